import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnectedApp } from '../support/localorg.ts';
import { connectWithDefaults, salesforceApi } from '../support/sync.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';
import { accessibilityViolations, buildConsole, launchBrowser, screenshot } from './browser.ts';

const { app, privateKeyPem } = testConnectedApp();

/**
 * The console's Access pages, the mapping editor and the live History and Health pages in real
 * Chromium against the real service and the local org: one stack and one browser for the file;
 * each case goes on from where the previous one left the page.
 */
describe('the console: access, the mapping editor and live pages', () => {
  let stack: ServiceWithTwoOrgs | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let connectionId: string;
  const consoleErrors: string[] = [];
  const sandbox = () => stack!.local.orgs[1]!;
  const soql = <T>(query: string) => salesforceApi(stack!.local, sandbox()).soql<T>(query);
  const api = () => stack!.ws.client;
  const base = () => `/api/workspaces/${stack!.ws.id}`;

  /** Signs a new tab in with `token` and waits for its role in the header. */
  async function signIn(tab: Page, token: string, role: string) {
    await tab.goto(`${stack!.service.url}/console/`);
    await tab.getByLabel('API key or admin token').fill(token);
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await tab.locator('[data-id="role"]', { hasText: role }).waitFor();
  }

  beforeAll(async () => {
    buildConsole();
    [stack, browser] = await Promise.all([
      startServiceWithTwoOrgs(app, 'sqlite', 'Console access', { PRYZM_SYNC_POLL_MS: '20' }),
      launchBrowser(),
    ]);
    stack.local.seed(sandbox().id, {
      accounts: 30,
      contacts: 10,
      opportunities: 5,
      users: 40,
      logins: 400,
    });
    ({ connectionId } = await connectWithDefaults(stack.ws, sandbox(), app, privateKeyPem));
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await signIn(page, stack.ws.key, 'Admin');
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  describe('Access, as an Admin', () => {
    it('pulls the org’s access with visible progress, then shows its licences', async () => {
      await page.getByRole('link', { name: 'Access' }).click();
      await page.getByRole('heading', { name: 'Access', level: 1 }).waitFor();
      await page.getByText('No access pull yet').waitFor();
      await page.getByRole('button', { name: 'Pull access now' }).click();
      await page.getByRole('progressbar', { name: 'Access pull progress' }).waitFor();
      await page.locator('[data-id="pull-status"]', { hasText: 'Succeeded' }).waitFor();
      expect(
        await page
          .getByRole('progressbar', { name: 'Access pull progress' })
          .getAttribute('aria-valuenow'),
      ).toBe('100');
      expect(await page.locator('[data-id="pull-progress"]').textContent()).toContain(
        '17 of 17 objects read',
      );
      const licences = page.getByRole('table', { name: 'Licences' });
      await licences
        .getByRole('row', { name: /Salesforce/ })
        .first()
        .waitFor();
      expect(await licences.textContent()).toMatch(/\d+ of \d+/);
      await page.getByText('Access pull finished').waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'access-01-overview');
    });

    it('exports the users as CSV', async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export Users as CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('users.csv');
      const path = await download.path();
      const { readFileSync } = await import('node:fs');
      const csv = readFileSync(path, 'utf8');
      expect(csv.split('\n')[0]).toContain('salesforceId');
      expect(csv).toContain('Ada Admin');
    });

    it('shows a finding with its records, previews the suggested action, then confirms it', async () => {
      await page.getByRole('link', { name: 'Findings' }).click();
      await page.getByLabel('Kind').selectOption('frozen_active_user');
      const findings = page.getByRole('list', { name: 'Findings' });
      await findings.getByText('Frozen but active user').first().waitFor();
      const card = findings.getByRole('article').first();
      const subject = (await card.getByRole('heading').textContent())!.trim();
      expect(await card.getByRole('list', { name: 'Records concerned' }).textContent()).toContain(
        `User: ${subject}`,
      );
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'access-02-findings');

      await card.getByRole('button', { name: /^Review deactivate user/ }).click();
      const dialog = page.getByRole('dialog', { name: 'Deactivate user' });
      await dialog.locator('[data-id="dry-run"]').waitFor();
      const preview = dialog.getByRole('table', { name: 'What would change' });
      expect(await preview.textContent()).toContain(subject);
      expect(await preview.textContent()).toContain('Planned');
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'access-03-dry-run');
      // The dry run changed nothing in the org.
      const [user] = await soql<{ Id: string; IsActive: boolean }>(
        `SELECT Id, IsActive FROM User WHERE Name = '${subject}'`,
      );
      expect(user!.IsActive).toBe(true);

      await dialog.getByRole('button', { name: 'Confirm' }).click();
      await dialog.locator('[data-id="outcome"]', { hasText: 'Succeeded' }).waitFor();
      await screenshot(page, 'access-04-action-done');
      await dialog.getByRole('button', { name: 'Close' }).click();
      const [after] = await soql<{ IsActive: boolean }>(
        `SELECT IsActive FROM User WHERE Id = '${user!.Id}'`,
      );
      expect(after!.IsActive).toBe(false);

      await page.getByRole('link', { name: 'Actions', exact: true }).click();
      const log = page.getByRole('table', { name: 'Actions taken' });
      await log.getByRole('row', { name: /Deactivate user.*Confirmed.*Succeeded/ }).waitFor();
      await log.getByRole('row', { name: /Deactivate user.*Dry run.*Previewed/ }).waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'access-05-actions');
    });

    it('lists users with search and paging, and freezes the selected ones', async () => {
      await page.getByRole('link', { name: 'Users' }).click();
      const users = page.getByRole('table', { name: 'Users list' });
      await users.getByRole('row').nth(25).waitFor();
      expect(await users.getByRole('row').count()).toBe(26);
      await page.getByRole('button', { name: 'Next page' }).click();
      await page.locator('[data-id="page"]', { hasText: 'Page 2' }).waitFor();
      const first = await users.getByRole('row').nth(1).getAttribute('data-user');
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'access-06-users');

      await page.getByLabel('Search by name').fill(first!.split(' ')[0]!);
      await page.locator('[data-id="page"]', { hasText: 'Page 1' }).waitFor();
      const row = users.locator(`tr[data-user="${first}"]`);
      await row.waitFor();
      expect(await row.textContent()).toMatch(/Active|Inactive/);
      await row.getByLabel(`Select ${first}`).check({ force: true });
      await page.locator('[data-id="selection"]', { hasText: '1 user(s) selected' }).waitFor();
      await page.getByRole('button', { name: 'Freeze', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Freeze user' });
      await dialog.locator('[data-id="dry-run"]').waitFor();
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      await dialog.locator('[data-id="outcome"]').waitFor();
      await dialog.getByRole('button', { name: 'Close' }).click();
      const frozen = await soql<{ Id: string }>(
        `SELECT Id FROM UserLogin WHERE IsFrozen = true AND UserId IN (SELECT Id FROM User WHERE Name = '${first}')`,
      );
      expect(frozen).toHaveLength(1);
    });

    it('saves the finding thresholds', async () => {
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByLabel('Days without a login before a paid user is reported').fill('60');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Access settings saved').waitFor();
      const saved = await api().get<{ inactiveDays: number }>(
        `${base()}/connections/${connectionId}/access/settings`,
      );
      expect(saved.body.inactiveDays).toBe(60);
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'access-07-settings');
      // The one 401 is the first page load asking whether a session cookie signs it in.
      expect(consoleErrors.filter((text) => !text.includes('status of 401'))).toEqual([]);
    });
  });
});
