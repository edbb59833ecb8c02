import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnectedApp } from '../support/localorg.ts';
import { connectWithDefaults, runJob, salesforceApi } from '../support/sync.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';
import { accessibilityViolations, buildConsole, launchBrowser, screenshot } from './browser.ts';

const { app, privateKeyPem } = testConnectedApp();

type Account = { Id: string; Name: string; pryzm__Pryzm_ID__c: string };

/**
 * The console in real Chromium against the real service and the local orgs: one stack and one
 * browser for the whole file; each case goes on from where the previous one left the page.
 */
describe('the console in a browser', () => {
  let stack: ServiceWithTwoOrgs | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    buildConsole();
    [stack, browser] = await Promise.all([
      startServiceWithTwoOrgs(app, 'sqlite', 'Console', { PRYZM_SYNC_POLL_MS: '20' }),
      launchBrowser(),
    ]);
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('serves the console at /console/ with no resource from another origin', async () => {
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const answer = await page.goto(`${stack!.service.url}/`);
    expect(answer?.status()).toBe(200);
    expect(page.url()).toBe(`${stack!.service.url}/console/`);
    expect(answer?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByRole('heading', { name: 'Sign in to the Pryzm Console' }).waitFor();
    expect(requests.filter((url) => !url.startsWith(stack!.service.url))).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, '01-sign-in');
  });

  it('refuses a wrong token and signs in with a workspace key', async () => {
    await page.getByLabel('API key or admin token').fill('pryzm_live_not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
    await page.getByLabel('API key or admin token').fill(stack!.ws.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Salesforce', level: 1 }).waitFor();
    await page.getByText('No Salesforce org connected yet').waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('connects a sandbox through the local org’s login pages and shows its card', async () => {
    const sandbox = stack!.local.orgs[1]!;
    const user = sandbox.users[0]!;
    await page.getByRole('button', { name: 'Connect an org' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect a Salesforce org' });
    await dialog.getByText('Sandbox', { exact: true }).click();
    expect(await dialog.getByLabel('Sandbox').isChecked()).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, '02-connect-dialog');
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      dialog.getByRole('button', { name: 'Continue to Salesforce' }).click(),
    ]);
    await popup.locator('#username').fill(user.username);
    await popup.locator('#password').fill(user.password);
    await popup.getByRole('button', { name: 'Log In' }).click();
    await popup.getByRole('button', { name: 'Allow' }).click();

    const card = page.getByRole('article', { name: 'Acme UAT' });
    await card.waitFor();
    await expect(card.locator('[data-id="status"]').textContent()).resolves.toBe('Active');
    const text = await card.textContent();
    expect(text).toContain(sandbox.id);
    expect(text).toContain(sandbox.instanceUrl);
    expect(text).toContain(user.username);
    expect(text).toContain('Sandbox');
    await page.getByText('Connected to Acme UAT').waitFor();
    // The setup checklist: the package is there, mappings are not yet; one click saves them.
    const summary = card.locator('[data-id="checklist-summary"]');
    await summary.filter({ hasText: '2 of 4 done' }).waitFor();
    await card.getByRole('button', { name: 'Use default mappings' }).click();
    await summary.filter({ hasText: '3 of 4 done' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, '03-integrations-salesforce');

    const listed = await stack!.ws.client.get<{ data: { status: string; orgName: string }[] }>(
      `/api/workspaces/${stack!.ws.id}/connections`,
    );
    expect(listed.body.data).toMatchObject([{ status: 'active', orgName: 'Acme UAT' }]);
  });

  it('re-authorises a connection in place, on the same card', async () => {
    const production = stack!.local.orgs[0]!;
    const user = production.users[0]!;
    // A sign-in left unfinished: the connection waits for authorisation and offers Re-authorise.
    await page.getByRole('button', { name: 'Connect an org' }).click();
    const dialog = page.getByRole('dialog', { name: 'Connect a Salesforce org' });
    await dialog.getByLabel('Label (optional)').fill('Acme production');
    const [abandoned] = await Promise.all([
      page.waitForEvent('popup'),
      dialog.getByRole('button', { name: 'Continue to Salesforce' }).click(),
    ]);
    await abandoned.close();
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.reload();
    const card = page.getByRole('article', { name: 'Acme production' });
    await expect(card.locator('[data-id="status"]').textContent()).resolves.toBe(
      'Waiting for authorisation',
    );
    const connectionId = await card.getAttribute('data-connection-id');

    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      card.getByRole('button', { name: 'Re-authorise' }).click(),
    ]);
    await page.getByRole('dialog', { name: 'Re-authorise Acme production' }).waitFor();
    await popup.locator('#username').fill(user.username);
    await popup.locator('#password').fill(user.password);
    await popup.getByRole('button', { name: 'Log In' }).click();
    await popup.getByRole('button', { name: 'Allow' }).click();

    const renewed = page.locator(`article[data-connection-id="${connectionId}"]`);
    await renewed.locator('[data-id="status"]', { hasText: 'Active' }).waitFor();
    expect(await renewed.textContent()).toContain(production.id);
    const listed = await stack!.ws.client.get<{ data: { id: string; status: string }[] }>(
      `/api/workspaces/${stack!.ws.id}/connections`,
    );
    // The same connection became active: no second one was made for the org.
    expect(listed.body.data.filter((c) => c.status !== 'disconnected')).toHaveLength(2);
    expect(listed.body.data).toContainEqual(
      expect.objectContaining({ id: connectionId, status: 'active' }),
    );
    const removed = await stack!.ws.client.delete(
      `/api/workspaces/${stack!.ws.id}/connections/${connectionId}`,
    );
    expect(removed.status).toBe(200);
    await page.reload();
    await page.getByRole('article', { name: 'Acme UAT' }).waitFor();
  });

  it('disconnects after a confirmation that says the records stay', async () => {
    await page
      .getByRole('article', { name: 'Acme UAT' })
      .getByRole('button', { name: 'Disconnect' })
      .click();
    const confirm = page.getByRole('alertdialog', { name: 'Disconnect Acme UAT?' });
    await confirm.getByText('records stay in Pryzm', { exact: false }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, '04-disconnect-confirmation');
    await confirm.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByText('No Salesforce org connected yet').waitFor();
    // The one 401 is the wrong token refused above.
    expect(consoleErrors.filter((text) => !text.includes('status of 401'))).toEqual([]);
  });

  describe('with the sandbox connected and its default mappings', () => {
    let connectionId: string;
    let accountMappingId: string;
    const sandbox = () => stack!.local.orgs[1]!;
    const soql = <T>(query: string) => salesforceApi(stack!.local, sandbox()).soql<T>(query);
    const api = () => stack!.ws.client;
    const base = () => `/api/workspaces/${stack!.ws.id}`;

    beforeAll(async () => {
      stack!.local.seed(sandbox().id, { accounts: 150, contacts: 60, opportunities: 30 });
      const connected = await connectWithDefaults(stack!.ws, sandbox(), app, privateKeyPem);
      connectionId = connected.connectionId;
      accountMappingId = connected.mappings.find((m) => m.salesforceObject === 'Account')!.id;
    });

    it('pulls from Salesforce with per-object progress until the job succeeds', async () => {
      await page.goto(`${stack!.service.url}/console/#/sync`);
      await page.getByRole('heading', { name: 'Sync data', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Pull from Salesforce' }).click();
      await page.getByRole('progressbar', { name: 'Account pull progress' }).waitFor();
      await page
        .locator('[data-id="job-status"]', { hasText: /^Succeeded|Partially succeeded$/ })
        .waitFor({ timeout: 60_000 });
      // Progress arrives over the workspace's event stream.
      await page.locator('[data-id="live"]', { hasText: 'Live' }).waitFor();
      const summary = await page.locator('[data-id="job-summary"]').textContent();
      expect(summary).toMatch(/created \d+/);
      expect(
        await page
          .getByRole('progressbar', { name: 'Account pull progress' })
          .getAttribute('aria-valuenow'),
      ).toBe('100');
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, '05-sync-data');
    });

    it('opens the job in History with per-record outcomes and their field results', async () => {
      await page.getByRole('link', { name: 'History' }).click();
      await page.getByRole('heading', { name: 'History', level: 1 }).waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, '06-history');
      await page.getByRole('table', { name: 'Jobs' }).getByRole('link').first().click();
      const outcomes = page.getByRole('table', { name: 'Record outcomes' });
      await outcomes.getByRole('row').nth(1).waitFor();
      expect(await outcomes.textContent()).toContain('created');
      await page.getByLabel('Filter by outcome').selectOption('created');
      await outcomes.getByRole('row').nth(1).waitFor();
      const expand = outcomes.getByRole('button', { name: /Show \d+ field/ }).first();
      if (await expand.count()) {
        await expand.click();
        await page.getByRole('table', { name: 'Field results' }).first().waitFor();
      }
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, '07-job-detail');
    });

    it('flags a mapping field the org lacks as it is typed, and saves it once fixed', async () => {
      await page.goto(`${stack!.service.url}/console/#/mapping`);
      await page.getByRole('tab', { name: /Account/ }).click();
      const website = page.getByLabel('Salesforce field for website');
      await website.fill('Websiet');
      await page.locator('[data-id="validation-status"]', { hasText: 'problem' }).waitFor();
      expect(await page.getByRole('list', { name: 'Validation messages' }).textContent()).toContain(
        'Websiet',
      );
      await screenshot(page, '08-mapping-invalid');
      await website.fill('Website');
      await page.locator('[data-id="validation-status"]', { hasText: 'Valid' }).waitFor();
      await page.getByLabel('When both sides changed').selectOption('manual');
      await page.locator('[data-id="validation-status"]', { hasText: 'Valid' }).waitFor();
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Account mapping saved').waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, '09-mapping');
      await page.getByLabel('New pipeline’s name').fill('Service deals');
      await page.getByRole('button', { name: 'Create pipeline from Salesforce stages' }).click();
      await page.getByText('Pipeline Service deals created').waitFor();
      const saved = await api().get<{ conflictStrategy: string }>(
        `${base()}/connections/${connectionId}/mappings/${accountMappingId}`,
      );
      expect(saved.body.conflictStrategy).toBe('manual');
    });

    it('shows a conflict side by side and settles it with the value chosen', async () => {
      const [account] = await soql<Account>(
        'SELECT Id, Name, pryzm__Pryzm_ID__c FROM Account ORDER BY Id LIMIT 1',
      );
      await salesforceApi(stack!.local, sandbox()).request(`sobjects/Account/${account!.Id}`, {
        method: 'PATCH',
        body: JSON.stringify({ Name: 'Renamed in Salesforce' }),
      });
      await api().patch(`${base()}/records/${account!.pryzm__Pryzm_ID__c}`, {
        values: { name: 'Renamed in Pryzm' },
      });
      const job = await runJob(stack!.ws, connectionId, { kind: 'pull', mode: 'incremental' });
      expect(job.counts.conflicts).toBe(1);

      await page.getByRole('link', { name: 'Conflicts' }).click();
      const row = page.locator('tr[data-attribute="name"]');
      await row.waitFor();
      expect(await row.textContent()).toContain('Renamed in Salesforce');
      expect(await row.textContent()).toContain('Renamed in Pryzm');
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, '10-conflicts');
      await row.getByText('Renamed in Pryzm').click();
      await page.getByRole('button', { name: 'Apply choices' }).click();
      await page.getByText('No open conflict.').waitFor();
      const [after] = await soql<Account>(`SELECT Name FROM Account WHERE Id = '${account!.Id}'`);
      expect(after!.Name).toBe('Renamed in Pryzm');
    });

    it('pushes a record changed in Pryzm to Salesforce from its detail', async () => {
      const [account] = await soql<Account>(
        'SELECT Id, Name, pryzm__Pryzm_ID__c FROM Account ORDER BY Id DESC LIMIT 1',
      );
      await api().patch(`${base()}/records/${account!.pryzm__Pryzm_ID__c}`, {
        values: { name: 'Pushed from the console' },
      });
      await page.getByRole('link', { name: 'Records' }).click();
      await page.getByLabel('Search').fill('Pushed from the console');
      await page.getByRole('link', { name: 'Pushed from the console' }).click();
      await page.getByRole('heading', { name: 'Pushed from the console', level: 2 }).waitFor();
      expect(await page.getByText(account!.Id).count()).toBeGreaterThan(0);
      await page.getByRole('button', { name: 'Push to Salesforce' }).click();
      await page.getByText('Pushed to Salesforce (updated)').waitFor();
      const [after] = await soql<Account>(`SELECT Name FROM Account WHERE Id = '${account!.Id}'`);
      expect(after!.Name).toBe('Pushed from the console');
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, '11-records');
    });

    it('shows the connection’s health: success rate, API usage against the allowance, a trend', async () => {
      await page.getByRole('link', { name: 'Health' }).click();
      await page.getByRole('heading', { name: 'Health', level: 1 }).waitFor();
      await page.locator('[data-id="chart"] canvas').waitFor();
      expect(await page.locator('[data-id="success-rate"]').textContent()).toMatch(/^\d+%$/);
      expect(await page.locator('[data-id="allowance"]').textContent()).toMatch(/\d+ of \d/);
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, '12-health');
    });

    it('creates an API key shown once, and revokes it after a confirmation', async () => {
      await page.getByRole('link', { name: 'API keys' }).click();
      await page.getByLabel('New key’s name').fill('Nightly export');
      await page.getByRole('button', { name: 'Create key' }).click();
      const secret = await page.locator('[data-id="secret"]').textContent();
      expect(secret).toMatch(/^pryzm_live_/);
      const table = page.getByRole('table', { name: 'API keys list' });
      await table.getByText('Nightly export').waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, '13-api-keys');
      await page.getByRole('button', { name: 'Revoke Nightly export' }).click();
      await page
        .getByRole('alertdialog', { name: 'Revoke Nightly export?' })
        .getByRole('button', { name: 'Revoke' })
        .click();
      await page.getByText('Nightly export revoked').waitFor();
      const refused = await fetch(`${stack!.service.url}/api/workspaces`, {
        headers: { authorization: `Bearer ${secret}` },
      });
      expect(refused.status).toBe(401);
      expect(consoleErrors.filter((text) => !text.includes('status of 401'))).toEqual([]);
    });

    it('signs the operator in with a one-time link, and out again', async () => {
      const minted = await fetch(`${stack!.service.url}/api/session/links`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack!.security.adminToken}` },
      });
      expect(minted.status).toBe(201);
      const { url } = (await minted.json()) as { url: string };
      const operator = await browser!.newContext({ viewport: { width: 1024, height: 768 } });
      try {
        const tab = await operator.newPage();
        tab.setDefaultTimeout(15_000);
        await tab.goto(url);
        await tab.locator('[data-id="role"]', { hasText: 'Operator' }).waitFor();
        // The link's secret does not stay in the address bar.
        expect(tab.url()).not.toContain('pryzm_link_');
        await tab.getByRole('article', { name: 'Acme UAT' }).waitFor();
        expect(await accessibilityViolations(tab)).toEqual([]);
        await screenshot(tab, '14-operator-tablet');
        // A new tab has no remembered CSRF token: the page under /console reads the pryzm_csrf
        // cookie (Path=/), and its sign-out (a write) passes the CSRF check with it.
        const second = await operator.newPage();
        second.setDefaultTimeout(15_000);
        await second.goto(`${stack!.service.url}/console/`);
        await second.locator('[data-id="role"]', { hasText: 'Operator' }).waitFor();
        expect(await second.evaluate(() => document.cookie)).toMatch(/pryzm_csrf=/);
        await second.getByRole('button', { name: 'Sign out' }).click();
        await second.getByRole('heading', { name: 'Sign in to the Pryzm Console' }).waitFor();
        // The session ended on the server, so the first tab is signed out too.
        await tab.reload();
        await tab.getByRole('heading', { name: 'Sign in to the Pryzm Console' }).waitFor();
        await tab.goto(url);
        await tab.getByText('already used or has expired').waitFor();
      } finally {
        await operator.close();
      }
    });

    it('shows a Viewer every page without a single write control', async () => {
      const minted = await api().post<{ secret: string }>(`${base()}/api-keys`, {
        name: 'Read only',
        role: 'viewer',
      });
      expect(minted.status).toBe(201);
      const viewer = await browser!.newContext({ viewport: { width: 1280, height: 860 } });
      try {
        const tab = await viewer.newPage();
        tab.setDefaultTimeout(15_000);
        await tab.goto(`${stack!.service.url}/console/`);
        await tab.getByLabel('API key or admin token').fill(minted.body.secret);
        await tab.getByRole('button', { name: 'Sign in' }).click();
        await tab.locator('[data-id="role"]', { hasText: 'Viewer' }).waitFor();
        const writeControls = [
          'Connect an org',
          'Disconnect',
          'Re-authorise',
          'Pull from Salesforce',
          'Sync now',
          'Push changes',
          'Cancel',
          'Save',
          'Revert',
          'Apply choices',
          'Push to Salesforce',
          'Create key',
          'Revoke',
        ];
        // Each page is checked once its data is on screen (`loaded`), so a control that would
        // only appear with the data cannot slip through.
        const visit = async (hash: string, heading: string, loaded: string) => {
          await tab.goto(`${stack!.service.url}/console/${hash}`);
          await tab.getByRole('heading', { name: heading, level: 1 }).waitFor();
          await tab.locator(loaded).first().waitFor();
          for (const name of writeControls) {
            expect(await tab.getByRole('button', { name, exact: true }).count(), name).toBe(0);
          }
          expect(await accessibilityViolations(tab)).toEqual([]);
        };
        await visit('#/integrations', 'Salesforce', '[data-id="checklist-summary"]');
        await visit('#/sync', 'Sync data', '[data-id="job-status"]');
        await visit('#/mapping', 'Mapping', 'tr[data-attribute="website"]');
        expect(await tab.getByLabel('Salesforce field for website').isDisabled()).toBe(true);
        await visit('#/conflicts', 'Conflicts', 'text=No open conflict.');
        await visit('#/records', 'Records', 'table[aria-label="Records list"] tbody tr');
        await tab.getByRole('table', { name: 'Records list' }).getByRole('link').first().click();
        await tab.locator('#record-heading').waitFor();
        expect(await tab.getByRole('button', { name: 'Push to Salesforce' }).count()).toBe(0);
        await visit('#/keys', 'API keys', 'text=Only an Admin of this workspace');
        await screenshot(tab, '15-viewer-api-keys');
      } finally {
        await viewer.close();
      }
    });
  });
});
