import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setChangeSource, startRealtimeStack, type RealtimeStack } from '../realtime/support.ts';
import { runJob, salesforceApi } from '../support/sync.ts';
import { accessibilityViolations, launchBrowser, screenshot } from './browser.ts';
// @ts-expect-error: a plain ES module of the start script, without type declarations
import * as recordPageLink from '../../../scripts/lib/local-org-pages.mjs';

const { demoRecordPageUrl } = recordPageLink as {
  demoRecordPageUrl: (options: {
    loginUrl: string;
    login: Record<'clientId' | 'clientSecret' | 'username' | 'password' | 'securityToken', string>;
  }) => Promise<string | undefined>;
};

const repository = join(import.meta.dirname, '..', '..', '..');

interface PryzmRecord {
  id: string;
  values: Record<string, unknown>;
}

/**
 * The package's own components on the local org's Lightning-like pages, in real Chromium,
 * against the real service with real-time sync: a sales user's Push goes the whole way (push
 * request event → the service's subscriber → sync → result event → the component), and an
 * admin's Setup page runs the checklist.
 */
describe('the package’s components on the local org’s Lightning pages', () => {
  let stack: RealtimeStack | undefined;
  let browser: Browser | undefined;
  const pageErrors: string[] = [];
  const sf = () => salesforceApi(stack!.local, stack!.org);
  const asIntegration = async (path: string, body: unknown) => {
    const { accessToken } = stack!.local.issueAccessToken(
      stack!.org.id,
      stack!.integration.username,
    );
    const response = await fetch(`${stack!.org.instanceUrl}/services/data/v63.0/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  const watch = (page: Page) => {
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  };

  beforeAll(async () => {
    execFileSync(
      process.execPath,
      [join(repository, 'service/localorg/scripts/build-lightning.mjs'), '--if-stale'],
      {
        stdio: 'pipe',
      },
    );
    [stack, browser] = await Promise.all([startRealtimeStack('sqlite'), launchBrowser()]);
    await setChangeSource(stack, 'flows');
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  describe('a sales user on an Account’s record page', () => {
    let page: Page;
    let ownAccountId: string;
    let othersAccountId: string;

    beforeAll(async () => {
      // Written by the integration user, whom the package's Flows leave out: the records reach
      // Pryzm only through the Push button.
      ownAccountId = await asIntegration('sobjects/Account', {
        Name: 'Northwind Traders',
        Industry: 'Retail',
        OwnerId: stack!.rep.id,
      });
      othersAccountId = await asIntegration('sobjects/Account', { Name: 'Contoso Pharma' });
      const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
      page = await context.newPage();
      watch(page);
    });

    it('signs in on the My Domain login page and lands on the record page', async () => {
      const recordUrl = `${stack!.org.instanceUrl}/lightning/r/Account/${ownAccountId}/view`;
      await page.goto(recordUrl);
      expect(new URL(page.url()).pathname).toBe('/');
      await page.getByLabel('Username').fill(stack!.rep.username);
      await page.getByLabel('Password').fill('not-the-password');
      await page.getByRole('button', { name: 'Log In' }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: 'check your username and password' })
        .waitFor();
      await page.getByLabel('Password').fill(stack!.rep.password);
      await page.getByRole('button', { name: 'Log In' }).click();
      await page.waitForURL(recordUrl);
      await page.getByRole('heading', { name: 'Northwind Traders', level: 1 }).waitFor();
      const card = page.getByRole('article', { name: 'Pryzm' });
      await card.getByText('Not linked yet').waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'lightning-01-record-page');
    });

    it('pushes the record: the result event comes back to the component, Pryzm has the record', async () => {
      const card = page.getByRole('article', { name: 'Pryzm' });
      await card.getByRole('button', { name: 'Push to Pryzm' }).click();
      await card.getByRole('status').filter({ hasText: 'Created in Pryzm.' }).waitFor();
      await page.getByRole('status').filter({ hasText: 'Pushed to Pryzm' }).first().waitFor();
      await screenshot(page, 'lightning-02-pushed');

      const [account] = await sf().soql<{ pryzm__Pryzm_ID__c: string | null }>(
        `SELECT pryzm__Pryzm_ID__c FROM Account WHERE Id = '${ownAccountId}'`,
      );
      const pryzmId = account!.pryzm__Pryzm_ID__c;
      expect(pryzmId).toBeTruthy();
      const record = await stack!.ws.client.get<PryzmRecord>(
        `/api/workspaces/${stack!.ws.id}/records/${pryzmId}`,
      );
      expect(record.status).toBe(200);
      expect(record.body.values['name']).toBe('Northwind Traders');
      // refreshApex reads the push context again; notifyRecordUpdateAvailable reloads the details.
      await card.getByText(pryzmId!).waitFor();
      await page.locator('[data-field="pryzm__Pryzm_ID__c"]', { hasText: pryzmId! }).waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
    });

    it('opens the Push to Pryzm quick action, pushes again from it and closes it', async () => {
      await page
        .locator('.open-push-action')
        .getByRole('button', { name: 'Push to Pryzm' })
        .click();
      const dialog = page.getByRole('dialog', { name: 'Push to Pryzm' });
      await dialog.getByRole('button', { name: 'Push to Pryzm' }).click();
      await dialog
        .getByRole('status')
        .filter({ hasText: 'Already up to date in Pryzm.' })
        .waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'lightning-03-quick-action');
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });
      // By keyboard: Escape closes it too, and the focus goes back to the action's button.
      const opener = page.locator('.open-push-action').getByRole('button');
      await opener.focus();
      await page.keyboard.press('Enter');
      await dialog.waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await opener.evaluate((button) => button.matches(':focus'))).toBe(true);
    });

    it('keeps the focus inside the quick action both ways, as SLDS modals do', async () => {
      const opener = page.locator('.open-push-action').getByRole('button');
      await opener.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Push to Pryzm' });
      await dialog.waitFor();
      const push = dialog.getByRole('button', { name: 'Push to Pryzm' });
      const close = dialog.getByRole('button', { name: 'Close' });
      const focused = async () => {
        if (await push.evaluate((button) => button.matches(':focus'))) return 'push';
        if (await close.evaluate((button) => button.matches(':focus'))) return 'close';
        return 'elsewhere';
      };
      const walk: string[] = [];
      // From the dialog itself (focused when it opens), backwards, then all the way round.
      for (const key of ['Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Tab', 'Tab', 'Tab']) {
        await page.keyboard.press(key);
        walk.push(await focused());
      }
      expect(walk).toEqual(['close', 'push', 'close', 'push', 'close', 'push']);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await opener.evaluate((button) => button.matches(':focus'))).toBe(true);
    });

    it('disables Push on a record the user may not edit, and says why', async () => {
      await page.goto(`${stack!.org.instanceUrl}/lightning/r/Account/${othersAccountId}/view`);
      const card = page.getByRole('article', { name: 'Pryzm' });
      await card.getByText('You need edit access to this record to push it.').waitFor();
      expect(await card.getByRole('button', { name: 'Push to Pryzm' }).isDisabled()).toBe(true);
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  });

  describe('an admin on the Pryzm Setup page', () => {
    let page: Page;

    beforeAll(async () => {
      const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      watch(page);
    });

    it('comes in through frontdoor.jsp and sees every step of the checklist', async () => {
      const { accessToken } = stack!.local.issueAccessToken(stack!.org.id, stack!.admin.username);
      const query = new URLSearchParams({
        sid: accessToken,
        retURL: '/lightning/n/pryzm__Pryzm_Setup',
      });
      await page.goto(`${stack!.org.instanceUrl}/secur/frontdoor.jsp?${query}`);
      await page.getByRole('heading', { name: 'Pryzm Setup', level: 1 }).waitFor();
      const steps = page.locator('li.step');
      await steps.nth(8).waitFor();
      const statuses = await steps.evaluateAll((items) =>
        items.map((item) => `${item.getAttribute('data-key')}:${item.getAttribute('data-status')}`),
      );
      // The org's Named Credential still points at the package's placeholder URL, which the
      // local org does not reach: the service steps wait for it (the next cases set it).
      expect(statuses).toEqual([
        'install:complete',
        'fields:complete',
        'permissions:complete',
        'integrationUser:complete',
        'flows:complete',
        'changeSource:complete',
        'connect:error',
        'mapping:blocked',
        'firstPull:blocked',
      ]);
      await page.getByText('6 of 9 steps complete. Next: Connect the Pryzm service.').waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'lightning-04-setup-checklist');
    });

    it('rechecks one step and says so in a toast', async () => {
      await page.getByRole('button', { name: 'Recheck step 6: Choose one change source' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'Choose one change source: complete' })
        .waitFor();
      expect(pageErrors).toEqual([]);
    });

    it('completes the service steps once the Named Credential points at the service and a pull ran', async () => {
      // What an admin does in Setup: the credential's URL and the workspace's API key.
      const credential = await fetch(
        `${stack!.local.loginUrl}/_localorg/orgs/${stack!.org.id}/named-credentials/Pryzm_Service`,
        {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ url: stack!.service.url, apiKey: stack!.ws.key }),
        },
      );
      expect(credential.status, await credential.clone().text()).toBeLessThan(300);
      const pull = await runJob(stack!.ws, stack!.connectionId, { kind: 'pull', mode: 'full' });
      expect(pull.status).toBe('succeeded');

      await page.reload();
      const steps = page.locator('li.step');
      await steps.nth(8).waitFor();
      const statuses = await steps.evaluateAll((items) =>
        items.map((item) => `${item.getAttribute('data-key')}:${item.getAttribute('data-status')}`),
      );
      expect(statuses.slice(6), (await steps.allInnerTexts()).slice(6).join('\n')).toEqual([
        'connect:complete',
        'mapping:complete',
        'firstPull:complete',
      ]);
      await page.getByText('Pryzm is set up: every step is complete.').waitFor();
      expect(pageErrors).toEqual([]);
    });
  });

  describe('sign-in, refusals and the link npm start prints', () => {
    it('sends a visitor without a session to the login page and refuses a stale frontdoor sid', async () => {
      const base = stack!.org.instanceUrl;
      const page = await fetch(`${base}/lightning/n/pryzm__Pryzm_Setup`, { redirect: 'manual' });
      expect(page.status).toBe(302);
      expect(page.headers.get('location')).toBe('/?startURL=%2Flightning%2Fn%2Fpryzm__Pryzm_Setup');
      const frontdoor = await fetch(`${base}/secur/frontdoor.jsp?sid=00Dnot-a-session`, {
        redirect: 'manual',
      });
      expect(frontdoor.status).toBe(302);
      expect(frontdoor.headers.get('location')).toBe('/');
      expect(frontdoor.headers.get('set-cookie')).toBeNull();
    });

    it('refuses Apex calls without the page’s CSRF token, and a return URL to another host', async () => {
      const base = stack!.org.instanceUrl;
      const { accessToken } = stack!.local.issueAccessToken(stack!.org.id, stack!.rep.username);
      const cookie = `sid=${encodeURIComponent(accessToken)}`;
      const apex = await fetch(`${base}/lightning/apex`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({
          classname: 'PryzmPushController',
          method: 'requestPush',
          params: { recordId: '001000000000000AAA' },
        }),
      });
      expect(apex.status).toBe(403);
      const query = new URLSearchParams({ sid: accessToken, retURL: '//evil.example.com/' });
      const frontdoor = await fetch(`${base}/secur/frontdoor.jsp?${query}`, { redirect: 'manual' });
      expect(frontdoor.headers.get('location')).toBe('/lightning/n/pryzm__Pryzm_Setup');
    });
    it('finds the record page npm start prints, through the org’s OAuth and REST API', async () => {
      await asIntegration('sobjects/Account', { Name: 'Aardvark Outfitters' });
      const url = await demoRecordPageUrl({
        loginUrl: stack!.local.sandboxLoginUrl,
        login: {
          clientId: '3MVG9PryzmServiceTestConsumerKey',
          clientSecret: 'PRYZMSERVICETESTSECRET',
          username: stack!.integration.username,
          password: stack!.integration.password,
          securityToken: stack!.integration.securityToken,
        },
      });
      expect(url).toMatch(
        new RegExp(`^${stack!.org.instanceUrl}/lightning/r/Account/001\\w{15}/view$`),
      );
      const { accessToken } = stack!.local.issueAccessToken(stack!.org.id, stack!.rep.username);
      const page = await fetch(url!, {
        headers: { cookie: `sid=${encodeURIComponent(accessToken)}` },
      });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('id="lightning-page-context"');
    });
  });
});
