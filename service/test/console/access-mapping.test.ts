import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnectedApp } from '../support/localorg.ts';
import { connectWithDefaults, runJob, salesforceApi } from '../support/sync.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';
import {
  accessibilityViolations,
  buildConsoleInBackground,
  launchBrowser,
  screenshot,
} from './browser.ts';

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
  const open = (hash: string) => page.goto(`${stack!.service.url}/console/${hash}`);
  const validation = () => page.locator('[data-id="validation-status"]');

  /** Signs a new tab in with `token` and waits for its role in the header. */
  async function signIn(tab: Page, token: string, role: string) {
    await tab.goto(`${stack!.service.url}/console/`);
    await tab.getByLabel('API key or admin token').fill(token);
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await tab.locator('[data-id="role"]', { hasText: role }).waitFor();
  }

  beforeAll(async () => {
    [, stack, browser] = await Promise.all([
      buildConsoleInBackground(),
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
      await page
        .getByRole('list', { name: 'Findings by kind' })
        .getByText('Frozen but active user')
        .waitFor();
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
      await page.getByRole('link', { name: 'Review the findings' }).click();
      await page.getByLabel('Kind').selectOption('frozen_active_user');
      const findings = page.getByRole('list', { name: 'Findings', exact: true });
      await findings.getByText('Frozen but active user').first().waitFor();
      const card = findings
        .getByRole('article')
        .filter({ hasText: 'Frozen but active user' })
        .first();
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
      await dialog.getByRole('button', { name: 'Close', exact: true }).click();
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
      // SLDS draws the checkbox on its label; the input itself is visually hidden.
      await row.locator('.slds-checkbox_faux').click();
      await page.locator('[data-id="selection"]', { hasText: '1 user(s) selected' }).waitFor();
      await page.getByLabel('Action for the selected users').selectOption('freeze-user');
      await page.getByRole('button', { name: 'Review action' }).click();
      const dialog = page.getByRole('dialog', { name: 'Freeze user' });
      await dialog.locator('[data-id="dry-run"]').waitFor();
      await dialog.getByRole('button', { name: 'Confirm' }).click();
      await dialog.locator('[data-id="outcome"]').waitFor();
      await dialog.getByRole('button', { name: 'Close', exact: true }).click();
      const frozen = await soql<{ Id: string }>(
        `SELECT Id FROM UserLogin WHERE IsFrozen = true AND UserId IN (SELECT Id FROM User WHERE Name = '${first}')`,
      );
      expect(frozen).toHaveLength(1);

      // An action that needs a choice: the permission set is picked in the dialog, then previewed.
      await page.getByLabel('Action for the selected users').selectOption('assign-permission-set');
      await page.getByRole('button', { name: 'Review action' }).click();
      const assign = page.getByRole('dialog', { name: 'Assign permission set' });
      await assign.getByLabel('Permission set').selectOption({ label: 'API Only Access' });
      await assign.locator('[data-id="dry-run"]').waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await assign.getByRole('button', { name: 'Confirm' }).click();
      await assign.locator('[data-id="outcome"], [role="alert"]').first().waitFor();
      await assign.getByRole('button', { name: 'Close', exact: true }).click();
      const [set] = await soql<{ Id: string }>(
        "SELECT Id FROM PermissionSet WHERE Label = 'API Only Access'",
      );
      const [assignee] = await soql<{ Id: string }>(`SELECT Id FROM User WHERE Name = '${first}'`);
      const assigned = await soql<{ Id: string }>(
        `SELECT Id FROM PermissionSetAssignment WHERE PermissionSetId = '${set!.Id}' AND AssigneeId = '${assignee!.Id}'`,
      );
      expect(assigned).toHaveLength(1);
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

  describe('the mapping editor', () => {
    type Mapping = {
      id: string;
      salesforceObject: string;
      autoPush?: boolean;
      deletes?: { fromSalesforce: string; fromPryzm: string };
      matchRules?: {
        parts: { salesforceField: string; attribute: string; normaliser: string }[];
      }[];
      fields: { attribute: string; salesforceField?: string; valueMap?: unknown[] }[];
    };
    const mappings = async () =>
      (await api().get<{ data: Mapping[] }>(`${base()}/connections/${connectionId}/mappings`)).body
        .data;

    it('removes an object pair after a confirmation, and adds it back field by field', async () => {
      await open('#/mapping');
      await page.getByRole('tab', { name: /Opportunity/ }).click();
      await page.getByRole('button', { name: 'Remove Opportunity ↔ deal' }).click();
      const confirm = page.getByRole('alertdialog', { name: 'Remove Opportunity ↔ deal?' });
      await confirm.getByText('Records, links and history stay').waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await confirm.getByRole('button', { name: 'Remove' }).click();
      await page.getByText('Opportunity ↔ deal removed').waitFor();
      expect((await mappings()).map((m) => m.salesforceObject).sort()).toEqual([
        'Account',
        'Contact',
      ]);

      await page.getByLabel('Salesforce object').fill('Opportunity');
      await page.getByLabel('Pryzm record type').selectOption('deal');
      await page.getByRole('button', { name: 'Add object pair' }).click();
      await page.getByRole('tab', { name: 'Opportunity ↔ deal (not saved)' }).waitFor();
      for (const [attribute, field] of [
        ['name', 'Name'],
        ['close_date', 'CloseDate'],
        ['stage', 'StageNam'],
      ] as const) {
        await page.getByLabel('Attribute to map').selectOption(attribute);
        await page.getByLabel('Its Salesforce field').fill(field);
        await page.getByRole('button', { name: 'Add field' }).click();
        await page.locator(`tr[data-attribute="${attribute}"]`).waitFor();
      }
      // The typo is flagged next to its field as the draft is checked against the org.
      await validation().filter({ hasText: 'problem' }).waitFor();
      await page.locator('tr[data-attribute="stage"] .slds-form-element__help').waitFor();
      await page.getByLabel('Salesforce field for stage').fill('StageName');
      await validation().filter({ hasText: 'Valid' }).waitFor();

      // A picklist value map: Salesforce's "Prospecting" becomes the pipeline's second stage.
      await page.getByRole('button', { name: /Edit values \(0\)/ }).click();
      await page.getByRole('button', { name: 'Add value to stage' }).click();
      await page.getByLabel('Salesforce value 1 of stage').fill('Prospecting');
      const option = page.getByLabel('Pryzm option for value 1 of stage');
      const second = await option.locator('option').nth(1).getAttribute('value');
      await option.selectOption(second!);
      await validation().filter({ hasText: 'Valid' }).waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'mapping-01-new-pair');
      await page.getByRole('button', { name: 'Save new pair' }).click();
      await page.getByText('Opportunity mapping saved').waitFor();

      const opportunity = (await mappings()).find((m) => m.salesforceObject === 'Opportunity')!;
      expect(opportunity.fields.map((f) => [f.attribute, f.salesforceField])).toEqual([
        ['name', 'Name'],
        ['close_date', 'CloseDate'],
        ['stage', 'StageName'],
      ]);
      expect(opportunity.fields[2]!.valueMap).toEqual([
        { salesforce: 'Prospecting', pryzm: second },
      ]);
    });

    it('edits match rules, deletes per direction and auto push, and removes a field row', async () => {
      await page.getByRole('tab', { name: /Account/ }).click();
      await page.getByRole('button', { name: 'Add part to rule 1' }).click();
      await page.getByLabel('Salesforce field of rule 1, part 3').fill('Phone');
      await page.getByLabel('Pryzm attribute of rule 1, part 3').selectOption('phone');
      await page.getByLabel('Compared as, rule 1, part 3').selectOption('phone');
      await page.getByLabel('When a record is deleted in Pryzm').selectOption('propagate');
      await page.locator('label[for="mapping-auto-push"]').click();
      await page.getByRole('button', { name: 'Remove description' }).click();
      expect(await page.locator('tr[data-attribute="description"]').count()).toBe(0);
      await validation().filter({ hasText: 'Valid' }).waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'mapping-02-rules');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Account mapping saved').waitFor();

      const account = (await mappings()).find((m) => m.salesforceObject === 'Account')!;
      expect(account.matchRules![0]!.parts[2]).toEqual({
        salesforceField: 'Phone',
        attribute: 'phone',
        normaliser: 'phone',
      });
      expect(account.deletes).toEqual({ fromSalesforce: 'propagate', fromPryzm: 'propagate' });
      expect(account.autoPush).toBe(true);
      expect(account.fields.some((f) => f.attribute === 'description')).toBe(false);
    });

    it('puts a mapping back on the default match rules', async () => {
      await open('#/mapping');
      await page.getByRole('tab', { name: /Account/ }).click();
      await page.getByRole('button', { name: 'Remove rule 1', exact: true }).waitFor();
      await page.getByRole('button', { name: 'Use default match rules' }).click();
      await page.locator('[data-id="match-rules-default"]').waitFor();
      expect(await page.getByRole('button', { name: 'Remove rule 1', exact: true }).count()).toBe(
        0,
      );
      await validation().filter({ hasText: 'Valid' }).waitFor();
      await page.getByRole('button', { name: 'Save' }).click();
      // The previous save's toast may still show: the saved mapping says when this one is done.
      const account = async () => (await mappings()).find((m) => m.salesforceObject === 'Account')!;
      await expect.poll(async () => 'matchRules' in (await account())).toBe(false);
      // Read back after a reload: the defaults stay, and can be customised again.
      await open('#/mapping');
      await page.getByRole('tab', { name: /Account/ }).click();
      await page.locator('[data-id="match-rules-default"]').waitFor();
      await page.getByRole('button', { name: 'Customise match rules' }).waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
    });
  });

  describe('live pages', () => {
    it('shows a new job in History as it runs, without a reload', async () => {
      await page.getByRole('link', { name: 'History' }).click();
      await page.locator('[data-id="live"]', { hasText: 'Live' }).waitFor();
      const jobs = page.getByRole('table', { name: 'Jobs' }).getByRole('row');
      const before = await jobs.count();
      await runJob(stack!.ws, connectionId, { kind: 'pull', mode: 'incremental' });
      await expect.poll(() => jobs.count(), { timeout: 10_000 }).toBe(before + 1);
      await page
        .getByRole('table', { name: 'Jobs' })
        .getByRole('row')
        .nth(1)
        .getByText(/Succeeded|Partially succeeded/)
        .waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'live-01-history');
    });

    it('updates Health when a job of the connection ends', async () => {
      await page.getByRole('link', { name: 'Health' }).click();
      await page.locator('[data-id="live"]', { hasText: 'Live' }).waitFor();
      const detail = page.getByText(/job\(s\) finished in 24 hours/);
      const count = async () => Number((await detail.textContent())!.match(/\d+/)![0]);
      const before = await count();
      await runJob(stack!.ws, connectionId, { kind: 'pull', mode: 'incremental' });
      await expect.poll(count, { timeout: 10_000 }).toBe(before + 1);
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'live-02-health');
    });
  });

  it('shows a Viewer the Access page and the mapping editor without a write control', async () => {
    const minted = await api().post<{ secret: string }>(`${base()}/api-keys`, {
      name: 'Read only',
      role: 'viewer',
    });
    expect(minted.status).toBe(201);
    // The Admin signs out and the Viewer signs in on the same tab, at a tablet's width.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.setViewportSize({ width: 1024, height: 768 });
    await signIn(page, minted.body.secret, 'Viewer');
    const writeControls = [
      /^Pull access now$/,
      /^Review/,
      /^Freeze$/,
      /^Deactivate$/,
      /^Confirm$/,
      /^Save/,
      /^Export/,
      /^Add /,
      /^Remove/,
      /^Customise/,
      /^Edit values/,
      /^Create/,
    ];
    // Every button's name (its aria-label, else its text) read in one pass over the page.
    const noWriteControl = async () => {
      const names = await page
        .locator('button, [role="button"]')
        .evaluateAll((buttons) =>
          buttons.map((b) => (b.getAttribute('aria-label') ?? b.textContent ?? '').trim()),
        );
      expect(names.filter((name) => writeControls.some((control) => control.test(name)))).toEqual(
        [],
      );
      expect(await accessibilityViolations(page)).toEqual([]);
    };
    await page.goto(`${stack!.service.url}/console/#/access`);
    await page.getByText('Only an Admin of this workspace sees Access').waitFor();
    await noWriteControl();
    await screenshot(page, 'viewer-01-access');
    await page.goto(`${stack!.service.url}/console/#/mapping`);
    await page.locator('tr[data-attribute="website"]').waitFor();
    await page.locator('[data-id="match-rules-default"], fieldset').first().waitFor();
    await noWriteControl();
    expect(await page.getByLabel('When a record is deleted in Pryzm').isDisabled()).toBe(true);
    expect(
      await page.getByLabel('Push Pryzm changes to Salesforce by themselves').isDisabled(),
    ).toBe(true);
    await screenshot(page, 'viewer-02-mapping');
  });
});
