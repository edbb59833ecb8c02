import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnectedApp } from '../support/localorg.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';
import { accessibilityViolations, buildConsole, launchBrowser, screenshot } from './browser.ts';

const { app } = testConnectedApp();

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
      startServiceWithTwoOrgs(app, 'sqlite', 'Console'),
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
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, '03-integrations-salesforce');

    const listed = await stack!.ws.client.get<{ data: { status: string; orgName: string }[] }>(
      `/api/workspaces/${stack!.ws.id}/connections`,
    );
    expect(listed.body.data).toMatchObject([{ status: 'active', orgName: 'Acme UAT' }]);
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
});
