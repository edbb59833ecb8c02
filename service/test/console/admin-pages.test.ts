import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api.ts';
import { testConnectedApp } from '../support/localorg.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';
import {
  accessibilityViolations,
  buildConsole,
  launchBrowser,
  screenshot,
  screenshotDir,
} from './browser.ts';

const { app } = testConnectedApp();

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver on loopback: records each delivery and answers 204. */
async function startReceiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/pryzm`, received, server };
}

/** The README's verification recipe: HMAC-SHA256 over `<t>.<raw body>`. */
function signatureValid(secret: string, header: string, body: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2)));
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest('hex');
  return parts.v1 === expected;
}

async function until<T>(read: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * The console's workspace administration pages (members and roles, personal tokens, API keys
 * with role and expiry, webhooks with their delivery log, the audit log) and the way back from
 * Salesforce's login pages, in real Chromium against the real service and local orgs: one
 * started stack and one browser for the file.
 */
describe('the console’s administration pages', () => {
  let stack: ServiceWithTwoOrgs | undefined;
  let browser: Browser | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  let admin: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  const url = (hash: string) => `${stack!.service.url}/console/${hash}`;
  const api = () => stack!.ws.client;
  const base = () => `/api/workspaces/${stack!.ws.id}`;

  /** Signs a fresh page in with a token, as a person pastes it on the sign-in page. */
  async function signIn(tab: Page, token: string, role: string): Promise<void> {
    await tab.goto(url(''));
    await tab.getByLabel('API key or admin token').fill(token);
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await tab.locator('[data-id="role"]', { hasText: role }).waitFor();
  }

  async function visit(tab: Page, hash: string, heading: string): Promise<void> {
    await tab.goto(url(hash));
    await tab.getByRole('heading', { name: heading, level: 1 }).waitFor();
  }

  const focusedId = (tab: Page) => tab.evaluate(() => document.activeElement?.id ?? '');

  beforeAll(async () => {
    buildConsole();
    [stack, browser, receiver] = await Promise.all([
      startServiceWithTwoOrgs(app, 'sqlite', 'Admin pages', {
        PRYZM_WEBHOOK_PRIVATE_TARGETS: 'on',
      }),
      launchBrowser(),
      startReceiver(),
    ]);
    admin = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await admin.newPage();
    page.setDefaultTimeout(15_000);
    // The console's own errors (the local org's login pages are not the console).
    page.on('console', (message) => {
      if (message.type() === 'error' && page.url().includes('/console/')) {
        consoleErrors.push(message.text());
      }
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await signIn(page, stack.ws.key, 'Admin');
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    receiver?.server.close();
  });

  it('adds a member in a dialog that takes and gives back focus, and changes their role', async () => {
    await visit(page, '#/members', 'Members and roles');
    await page.getByText('No member yet').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);

    const addButton = page.getByRole('button', { name: 'Add member' });
    await addButton.click();
    const dialog = page.getByRole('dialog', { name: 'Add a member' });
    await dialog.waitFor();
    expect(await focusedId(page)).toBe('new-member-email');
    // Tab and Shift+Tab stay inside the dialog.
    const inDialog = () =>
      page.evaluate(() => Boolean(document.activeElement?.closest('[role="dialog"]')));
    await page.keyboard.press('Shift+Tab');
    expect(await inDialog()).toBe(true);
    for (let i = 0; i < 8; i += 1) await page.keyboard.press('Tab');
    expect(await inDialog()).toBe(true);
    // Escape closes the dialog and focus goes back to the button that opened it.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => addButton.evaluate((el) => el === document.activeElement)).toBe(true);

    await addButton.click();
    await dialog.getByLabel('Email').fill('ada@example.com');
    await dialog.getByLabel('Name').fill('Ada Lovelace');
    await dialog.getByText('Editor', { exact: true }).click();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'admin-01-add-member');
    await dialog.getByRole('button', { name: 'Add member' }).click();
    await page.getByText('Ada Lovelace added as Editor').waitFor();
    const row = page.getByRole('table', { name: 'Members list' }).locator('tr', {
      hasText: 'ada@example.com',
    });
    expect(await row.getByLabel('Role of Ada Lovelace').inputValue()).toBe('editor');

    await row.getByLabel('Role of Ada Lovelace').selectOption('viewer');
    await page.getByText('Ada Lovelace is now a Viewer').waitFor();
    const members = await api().get<{ data: { email: string; role: string }[] }>(
      `${base()}/members`,
    );
    expect(members.body.data).toMatchObject([{ email: 'ada@example.com', role: 'viewer' }]);
  });

  it('creates a personal token shown once, with an expiry, revokes it, and mints a sign-in link', async () => {
    // Adding Ada opened her tokens panel.
    const panel = page.getByRole('article', { name: 'Ada Lovelace’s personal tokens' });
    await panel.getByText('cannot sign in until you create one').waitFor();
    await panel.getByLabel('Token name').fill('Ada laptop');
    await panel.getByLabel('Expires').selectOption('30');
    await panel.getByRole('button', { name: 'Create token' }).click();
    const secret = (await panel.locator('[data-id="secret"]').textContent())!.trim();
    expect(secret).toMatch(/^pryzm_live_/);
    const tokens = panel.getByRole('table', { name: 'Personal tokens list' });
    await tokens.getByText('Ada laptop').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'admin-02-member-tokens');

    const session = await apiClient(stack!.service.url, secret).get<{
      role: string;
      expiresAt: string | null;
    }>('/api/session');
    expect(session.body.role).toBe('viewer');
    const days = (Date.parse(session.body.expiresAt!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThan(31);

    await panel.getByRole('button', { name: 'Revoke token Ada laptop' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Revoke Ada laptop?' });
    expect(
      await confirm
        .getByRole('button', { name: 'Cancel' })
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await confirm.getByRole('button', { name: 'Revoke' }).click();
    await page.getByText('Ada laptop revoked').waitFor();
    expect((await apiClient(stack!.service.url, secret).get('/api/session')).status).toBe(401);

    // A one-time sign-in link for Ada, shown once, opens the console with her role.
    await page.getByRole('button', { name: 'Sign-in link for Ada Lovelace' }).click();
    const shown = page.locator('.pryzm-shown-once', { hasText: 'Sign-in link for Ada Lovelace' });
    const link = (await shown.locator('[data-id="secret"]').textContent())!.trim();
    expect(link).toContain('/console/#sign-in=');
    expect(await accessibilityViolations(page)).toEqual([]);
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'detached' });
    const member = await browser!.newContext({ viewport: { width: 1280, height: 860 } });
    try {
      const tab = await member.newPage();
      tab.setDefaultTimeout(15_000);
      await tab.goto(link);
      await tab.locator('[data-id="role"]', { hasText: 'Viewer' }).waitFor();
      expect(tab.url()).not.toContain('sign-in=');
    } finally {
      await member.close();
    }

    await page.getByRole('button', { name: 'Remove Ada Lovelace' }).click();
    await page
      .getByRole('alertdialog', { name: 'Remove Ada Lovelace?' })
      .getByRole('button', { name: 'Remove' })
      .click();
    await page.getByText('Ada Lovelace removed').waitFor();
    await page.getByText('No member yet').waitFor();
  });

  it('creates an API key with a role and an expiry, and lists both', async () => {
    await visit(page, '#/keys', 'API keys');
    await page.getByLabel('New key’s name').fill('CI reader');
    await page.getByLabel('Role').selectOption('viewer');
    await page.getByLabel('Expires').selectOption('date');
    await page.getByLabel('Expiry date').fill('2036-06-30');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.locator('[data-id="secret"]').textContent())!.trim();
    const row = page.locator('tr[data-key="CI reader"]');
    expect(await row.locator('[data-id="key-role"]').textContent()).toBe('Viewer');
    expect(await row.locator('[data-id="key-expires"]').textContent()).toContain('2036');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'admin-03-api-keys');

    const session = await apiClient(stack!.service.url, secret).get<{
      role: string;
      expiresAt: string;
    }>('/api/session');
    expect(session.body).toMatchObject({ role: 'viewer' });
    expect(session.body.expiresAt.startsWith('2036-06-')).toBe(true);
    // A refused write, for the audit log's filters below.
    const refused = await apiClient(stack!.service.url, secret).post(`${base()}/api-keys`, {
      name: 'escalation',
    });
    expect(refused.status).toBe(403);
  });

  it('subscribes a webhook with a value filter; the secret is shown once and signs deliveries', async () => {
    await visit(page, '#/webhooks', 'Webhooks');
    await page.getByText('No webhook yet').waitFor();
    await page.getByRole('button', { name: 'New webhook' }).click();
    const dialog = page.getByRole('dialog', { name: 'New webhook' });
    expect(await focusedId(page)).toBe('webhook-url');
    await dialog.getByLabel('Target URL').fill(receiver!.url);
    await dialog.getByLabel('Description').fill('Deals desk');
    await dialog.getByText('Record updated', { exact: true }).click();
    await dialog.getByRole('button', { name: 'Add condition' }).click();
    await dialog.getByLabel('Attribute of condition 1').fill('name');
    await dialog.getByLabel('Comparison of condition 1').selectOption('contains');
    await dialog.getByLabel('Value of condition 1').fill('Acme');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'admin-04-webhook-form');
    await dialog.getByRole('button', { name: 'Create webhook' }).click();
    const secret = (await page.locator('[data-id="secret"]').textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    const row = page.getByRole('table', { name: 'Webhooks list' }).locator('tr', {
      hasText: receiver!.url,
    });
    expect(await row.textContent()).toContain('name contains "Acme"');
    expect(await row.textContent()).toContain('Record created');

    // Two records: only the one the filter passes is delivered, signed with the secret.
    for (const name of ['Globex', 'Acme Rockets']) {
      const created = await api().post(`${base()}/record-types/organization/records`, {
        values: { name },
      });
      expect(created.status).toBe(201);
    }
    const first = await until(() => receiver!.received[0], 'the first delivery');
    expect(JSON.parse(first.body)).toMatchObject({
      type: 'record.created',
      data: { record: { values: { name: 'Acme Rockets' } } },
    });
    expect(signatureValid(secret, String(first.headers['pryzm-signature']), first.body)).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'admin-05-webhooks');
  });

  it('shows a webhook’s delivery log, redelivers the same event, edits and deletes it', async () => {
    await page.getByRole('link', { name: 'Deals desk' }).click();
    await page.getByRole('heading', { name: 'Deliveries', level: 1 }).waitFor();
    const log = page.getByRole('table', { name: 'Deliveries list' });
    await log.locator('[data-id="delivery-status"]', { hasText: 'Succeeded' }).waitFor();
    await log.getByRole('button', { name: 'Show body' }).click();
    expect(await log.locator('pre').textContent()).toContain('Acme Rockets');

    await log.getByRole('button', { name: /^Redeliver Record created/ }).click();
    await page.getByText('Redelivery sent').waitFor();
    const second = await until(() => receiver!.received[1], 'the redelivery');
    expect(second.headers['pryzm-event-id']).toBe(receiver!.received[0]!.headers['pryzm-event-id']);
    expect(second.body).toBe(receiver!.received[0]!.body);
    await log.getByText('Redelivery', { exact: true }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'admin-06-deliveries');

    await page.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit webhook' });
    expect(await dialog.getByLabel('Value of condition 1').inputValue()).toBe('Acme');
    // The SLDS checkbox is drawn by its label: a person clicks the text.
    await dialog.getByText('Enabled (send deliveries)').click();
    expect(await dialog.getByLabel('Enabled (send deliveries)').isChecked()).toBe(false);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Webhook saved').waitFor();
    await page.locator('.slds-badge', { hasText: 'Paused' }).waitFor();

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page
      .getByRole('alertdialog', { name: `Delete the webhook to ${receiver!.url}?` })
      .getByRole('button', { name: 'Delete' })
      .click();
    await page.getByText('Webhook deleted').waitFor();
    await page.getByText('No webhook yet').waitFor();
    expect((await api().get<{ data: unknown[] }>(`${base()}/webhooks`)).body.data).toEqual([]);
  });

  it('reads the audit log with who, what, when, from where and outcome; filters and pages', async () => {
    // Enough administrative actions for a second page (the page holds 50).
    for (let i = 0; i < 26; i += 1) {
      const key = await api().post<{ id: string }>(`${base()}/api-keys`, { name: `rotated ${i}` });
      await api().delete(`${base()}/api-keys/${key.body.id}`);
    }
    await visit(page, '#/audit', 'Audit log');
    const table = page.getByRole('table', { name: 'Audit log entries' });
    await table.locator('tr[data-action="DELETE /api-keys/:apiKeyId"]').first().waitFor();
    const first = table.locator('tbody tr').first();
    expect(await first.textContent()).toContain('127.0.0.1');
    expect(await first.textContent()).toContain('Succeeded');
    await page.getByRole('button', { name: 'Load older' }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThan(50);
    await table.locator('tr[data-action="POST /webhooks"]').first().waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'admin-07-audit');

    await page.getByLabel('Outcome').selectOption('denied');
    // The unfiltered rows stay on screen until the filtered page arrives: wait for the table to
    // hold refusals only, not for a row that both lists share.
    await expect
      .poll(async () => new Set(await table.locator('[data-id="audit-outcome"]').allTextContents()))
      .toEqual(new Set(['Refused (401/403)']));
    await table.locator('tr[data-action="POST /api-keys"]').first().waitFor();
    // The refused call was made with the CI reader key: the log names it.
    expect(await table.textContent()).toContain('API key “CI reader”');

    await page.getByLabel('Outcome').selectOption('');
    await page.getByLabel('Who').selectOption({ label: 'API key “CI reader”' });
    await expect
      .poll(() => table.locator('[data-id="audit-outcome"]').allTextContents())
      .toEqual(['Refused (401/403)']);
  });

  it('answers a browser at the OAuth callback with a redirect to the console, a script with JSON', async () => {
    const callback = `${stack!.service.url}/oauth/callback?state=unknown&code=x`;
    const browserAnswer = await fetch(callback, {
      headers: { accept: 'text/html,application/xhtml+xml' },
      redirect: 'manual',
    });
    expect(browserAnswer.status).toBe(303);
    const location = new URL(browserAnswer.headers.get('location')!, stack!.service.url);
    expect(location.pathname).toBe('/console/');
    const outcome = new URLSearchParams(location.hash.split('?')[1]);
    expect(location.hash.startsWith('#/integrations?')).toBe(true);
    expect(outcome.get('oauth')).toBe('failed');
    expect(outcome.get('code')).toBe('invalid_state');
    const scriptAnswer = await fetch(callback, { headers: { accept: 'application/json' } });
    expect(scriptAnswer.status).toBe(401);
    expect(await scriptAnswer.json()).toMatchObject({ error: { code: 'invalid_state' } });
  });

  it('lands back on the Integrations page with the outcome after Salesforce’s login pages', async () => {
    const sandbox = stack!.local.orgs[1]!;
    const user = sandbox.users[0]!;
    // An authorisation started by the API and finished in this browser's own tab.
    const started = await api().post<{ authorizationUrl: string }>(`${base()}/connections`, {
      authFlow: 'web_server',
      environment: 'sandbox',
    });
    expect(started.status).toBe(202);
    await page.goto(started.body.authorizationUrl);
    await page.locator('#username').fill(user.username);
    await page.locator('#password').fill(user.password);
    await page.getByRole('button', { name: 'Log In' }).click();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.getByText('Connected to Acme UAT').waitFor();
    await page.getByRole('article', { name: 'Acme UAT' }).waitFor();
    // The outcome leaves the address bar, so a reload does not announce it again.
    expect(page.url()).toBe(url('#/integrations'));
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'admin-08-oauth-connected');

    // In the console's popup, a refusal goes back to the page that opened it, and the popup
    // closes.
    const production = stack!.local.orgs[0]!;
    await page.getByRole('button', { name: 'Connect an org' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect a Salesforce org' });
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      dialog.getByRole('button', { name: 'Continue to Salesforce' }).click(),
    ]);
    await popup.locator('#username').fill(production.users[0]!.username);
    await popup.locator('#password').fill(production.users[0]!.password);
    await popup.getByRole('button', { name: 'Log In' }).click();
    await Promise.all([
      popup.waitForEvent('close'),
      popup.getByRole('button', { name: 'Deny' }).click(),
    ]);
    await page.getByText('Salesforce access was not allowed').waitFor();
    await dialog.waitFor({ state: 'detached' });
    await screenshot(page, 'admin-09-oauth-denied');
    expect(
      consoleErrors.filter((text) => !/status of (401|403)/.test(text)),
      consoleErrors.join('\n'),
    ).toEqual([]);
  });

  it('shows a Viewer the administration pages without a single write control', async () => {
    const minted = await api().post<{ secret: string }>(`${base()}/api-keys`, {
      name: 'Read only',
      role: 'viewer',
    });
    const viewer = await browser!.newContext({ viewport: { width: 1280, height: 860 } });
    try {
      const tab = await viewer.newPage();
      tab.setDefaultTimeout(15_000);
      await signIn(tab, minted.body.secret, 'Viewer');
      const writeControls = [
        'Add member',
        'Create token',
        'Remove',
        'Create key',
        'Revoke',
        'New webhook',
        'Edit',
        'Delete',
        'Redeliver',
      ];
      const pages: [string, string][] = [
        ['#/members', 'Members and roles'],
        ['#/keys', 'API keys'],
        ['#/webhooks', 'Webhooks'],
        ['#/audit', 'Audit log'],
      ];
      for (const [hash, heading] of pages) {
        await visit(tab, hash, heading);
        await tab.getByRole('heading', { name: 'Admins only' }).waitFor();
        for (const name of writeControls) {
          expect(await tab.getByRole('button', { name, exact: true }).count(), name).toBe(0);
        }
        expect(await tab.getByRole('combobox').count()).toBe(1); // the workspace switcher only
        expect(await accessibilityViolations(tab)).toEqual([]);
      }
      await screenshot(tab, 'admin-10-viewer-audit');
    } finally {
      await viewer.close();
    }
  });

  it('warns before revoking the key the console is signed in with, then says it signed out', async () => {
    const minted = await api().post<{ id: string; secret: string }>(`${base()}/api-keys`, {
      name: 'My console key',
    });
    await api().post(`${base()}/api-keys`, { name: 'Another key', role: 'viewer' });
    const own = await browser!.newContext({ viewport: { width: 1280, height: 860 } });
    try {
      const tab = await own.newPage();
      tab.setDefaultTimeout(15_000);
      await signIn(tab, minted.body.secret, 'Admin');
      await visit(tab, '#/keys', 'API keys');
      const row = tab.locator('tr[data-key="My console key"]');
      await row.locator('[data-id="signed-in-with"]', { hasText: 'This console' }).waitFor();
      // Another key's revoke says nothing of signing out.
      await tab.getByRole('button', { name: 'Revoke Another key' }).click();
      const other = tab.getByRole('alertdialog', { name: 'Revoke Another key?' });
      await other.waitFor();
      expect(await other.locator('[data-id="revoke-signs-out"]').count()).toBe(0);
      await other.getByRole('button', { name: 'Cancel' }).click();

      await tab.getByRole('button', { name: 'Revoke My console key' }).click();
      const confirm = tab.getByRole('alertdialog', { name: 'Revoke My console key?' });
      await confirm.locator('[data-id="revoke-signs-out"]', { hasText: 'signs you out' }).waitFor();
      expect(await accessibilityViolations(tab)).toEqual([]);
      await screenshot(tab, 'admin-11-revoke-own-key');
      await confirm.getByRole('button', { name: 'Revoke' }).click();
      await tab
        .locator('[data-id="signed-out-notice"]', { hasText: 'You revoked My console key' })
        .waitFor();
      await tab.getByLabel('API key or admin token').waitFor();
      expect(await tab.evaluate(() => sessionStorage.getItem('pryzm.console.token'))).toBeNull();
      expect(await accessibilityViolations(tab)).toEqual([]);
      expect(
        (await apiClient(stack!.service.url, minted.body.secret).get('/api/session')).status,
      ).toBe(401);
    } finally {
      await own.close();
    }
  });

  it('warns an Admin member removing themselves, marks their own token, then signs them out', async () => {
    const member = await api().post<{ id: string }>(`${base()}/members`, {
      email: 'grace@example.com',
      name: 'Grace Hopper',
      role: 'admin',
    });
    const token = await api().post<{ secret: string }>(
      `${base()}/members/${member.body.id}/tokens`,
      { name: 'Grace laptop' },
    );
    const own = await browser!.newContext({ viewport: { width: 1280, height: 860 } });
    try {
      const tab = await own.newPage();
      tab.setDefaultTimeout(15_000);
      await signIn(tab, token.body.secret, 'Admin');
      await visit(tab, '#/members', 'Members and roles');
      await tab.getByRole('button', { name: 'Personal tokens of Grace Hopper' }).click();
      const panel = tab.getByRole('article', { name: 'Grace Hopper’s personal tokens' });
      await panel.locator('[data-id="signed-in-with"]', { hasText: 'This console' }).waitFor();
      await tab.getByRole('button', { name: 'Remove Grace Hopper' }).click();
      const confirm = tab.getByRole('alertdialog', { name: 'Remove Grace Hopper?' });
      await confirm.locator('[data-id="remove-signs-out"]').waitFor();
      await confirm.getByRole('button', { name: 'Remove' }).click();
      await tab
        .locator('[data-id="signed-out-notice"]', { hasText: 'You removed Grace Hopper' })
        .waitFor();
      expect(
        (await apiClient(stack!.service.url, token.body.secret).get('/api/session')).status,
      ).toBe(401);
    } finally {
      await own.close();
    }
  });

  it('fits a tablet (820 × 1180): every main page without sideways scrolling', async () => {
    // Lists with rows in them, so a table that is too wide shows.
    await api().post(`${base()}/members`, {
      email: 'grace.hopper@example.com',
      name: 'Grace Hopper',
      role: 'admin',
    });
    await api().post(`${base()}/webhooks`, {
      url: `${receiver!.url}/won-deals-above-fifty-thousand`,
      events: ['record.created', 'record.updated', 'job.failed'],
      description: 'Won deals to the finance system',
      filter: {
        all: [
          { attribute: 'stage', op: 'eq', value: 'Closed Won' },
          { attribute: 'amount', op: 'gt', value: 50000 },
        ],
      },
    });
    const tablet = await browser!.newContext({ viewport: { width: 820, height: 1180 } });
    try {
      const tab = await tablet.newPage();
      tab.setDefaultTimeout(15_000);
      await signIn(tab, stack!.ws.key, 'Admin');
      const pages: [string, string][] = [
        ['#/integrations', 'Salesforce'],
        ['#/sync', 'Sync data'],
        ['#/history', 'History'],
        ['#/records', 'Records'],
        ['#/health', 'Health'],
        ['#/keys', 'API keys'],
        ['#/members', 'Members and roles'],
        ['#/webhooks', 'Webhooks'],
        ['#/audit', 'Audit log'],
      ];
      for (const [hash, heading] of pages) {
        await visit(tab, hash, heading);
        const overflow = await tab.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, `${hash} scrolls sideways`).toBeLessThanOrEqual(0);
        expect(await accessibilityViolations(tab), hash).toEqual([]);
        // What a tablet shows first (a full-page capture of a long log is slow and adds nothing).
        await tab.screenshot({ path: join(screenshotDir, `admin-tablet-${hash.slice(2)}.png`) });
      }
    } finally {
      await tablet.close();
    }
  });
});
