import { execFileSync } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalOrg, type LocalOrg } from '../../src/index.ts';

/**
 * The local org's Lightning pages over HTTP, without a browser: the page context, the Apex
 * emulation of the package's controllers, empApi streams and the Named Credential callouts.
 * (service/test/console/lightning-page.test.ts drives the same pages in Chromium.)
 */

const users = [
  ['admin', 'Pryzm_Admin', 'System Administrator'],
  ['integration', 'Pryzm_Integration', 'System Administrator'],
  ['rep', 'Pryzm_User', 'Standard User'],
].map(([name, permissionSet, profile], i) => ({
  username: `${name}@pages.example.com`,
  password: `Pages-${i}`,
  securityToken: `PAGESTOKEN${i}`,
  firstName: name!,
  lastName: 'User',
  email: `${name}@pages.example.com`,
  permissionSets: [permissionSet!],
  profile,
}));

let local: LocalOrg;
let org: LocalOrg['orgs'][number];
let service: Server;
let serviceUrl: string;
let serviceAnswers: { health: [number, unknown]; status: [number, unknown] };
const serviceHeaders: IncomingHttpHeaders[] = [];
const serviceUrls: string[] = [];

type Who = 'admin' | 'integration' | 'rep';
const userOf = (who: Who) => org.users.find((u) => u.username.startsWith(`${who}@`))!;

/** A browser session of a user: its cookie and the CSRF token its page carries. */
async function session(who: Who, recordPath = '/lightning/n/pryzm__Pryzm_Setup') {
  const { accessToken } = local.issueAccessToken(org.id, userOf(who).username);
  const cookie = `sid=${encodeURIComponent(accessToken)}`;
  const page = await fetch(`${org.instanceUrl}${recordPath}`, { headers: { cookie } });
  expect(page.status).toBe(200);
  const html = await page.text();
  const json = /<script type="application\/json" id="lightning-page-context">(.*?)<\/script>/s.exec(
    html,
  )![1]!;
  const context = JSON.parse(json) as { csrfToken: string; user: { id: string } } & Record<
    string,
    unknown
  >;
  const apex = async (classname: string, method: string, params: Record<string, unknown> = {}) => {
    const response = await fetch(`${org.instanceUrl}/lightning/apex`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': context.csrfToken },
      body: JSON.stringify({ classname, method, params }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { cookie, context, apex };
}

function rest(path: string, body: unknown, who: Who = 'integration') {
  const { accessToken } = local.issueAccessToken(org.id, userOf(who).username);
  return fetch(`${org.instanceUrl}/services/data/v63.0/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as { id: string } }));
}

/** Reads server-sent events from a stream until `count` data events arrived. */
async function readEvents(response: Response, count: number) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: { event: string; id?: string; data: Record<string, unknown> }[] = [];
  let buffer = '';
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (block.startsWith(':')) continue;
      const field = (name: string) =>
        block
          .split('\n')
          .find((line) => line.startsWith(`${name}: `))
          ?.slice(name.length + 2);
      events.push({
        event: field('event') ?? 'message',
        ...(field('id') ? { id: field('id') } : {}),
        data: JSON.parse(field('data') ?? '{}') as Record<string, unknown>,
      });
    }
  }
  await reader.cancel();
  return events;
}

beforeAll(async () => {
  execFileSync(
    process.execPath,
    [join(import.meta.dirname, '../../scripts/build-lightning.mjs'), '--if-stale'],
    {
      stdio: 'pipe',
    },
  );
  local = await startLocalOrg({
    orgs: [{ myDomain: 'pages--uat', name: 'Pages UAT', sandbox: true, namespace: 'pryzm', users }],
  });
  org = local.orgs[0]!;
  service = createServer((req, res) => {
    serviceHeaders.push(req.headers);
    serviceUrls.push(req.url ?? '');
    const [status, body] =
      req.url === '/api/salesforce/health' ? serviceAnswers.health : serviceAnswers.status;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => service?.close(resolve));
  await local?.close();
});

describe('PryzmPushController on the record page', () => {
  let ownAccount: string;
  let othersAccount: string;

  beforeAll(async () => {
    ownAccount = (await rest('sobjects/Account', { Name: 'Own', OwnerId: userOf('rep').id })).body
      .id;
    othersAccount = (await rest('sobjects/Account', { Name: 'Other' })).body.id;
  });

  it('gives the page its record, user and custom permissions', async () => {
    const { context } = await session('rep', `/lightning/r/Account/${ownAccount}/view`);
    expect(context).toMatchObject({
      page: 'record',
      user: { id: userOf('rep').id, username: 'rep@pages.example.com' },
      customPermissions: ['Pryzm_Push'],
      record: { id: ownAccount, objectApiName: 'Account', objectLabel: 'Account', name: 'Own' },
    });
  });

  it('lets the owner push and answers why others may not', async () => {
    const rep = await session('rep');
    const own = await rep.apex('PryzmPushController', 'getPushContext', { recordId: ownAccount });
    expect(own).toEqual({
      status: 200,
      body: {
        returnValue: {
          canPush: true,
          reason: null,
          objectApiName: 'Account',
          pryzmId: null,
          lastSynced: null,
          syncStatus: null,
          syncError: null,
          resultChannel: '/event/pryzm__Pryzm_Sync_Result__e',
          fieldPrefix: 'pryzm__',
        },
      },
    });
    const other = await rep.apex('PryzmPushController', 'getPushContext', {
      recordId: othersAccount,
    });
    expect(other.body['returnValue']).toMatchObject({
      canPush: false,
      reason: 'You need edit access to this record to push it.',
    });
    const integration = await session('integration');
    const noPermission = await integration.apex('PryzmPushController', 'getPushContext', {
      recordId: ownAccount,
    });
    expect(noPermission.body['returnValue']).toMatchObject({
      canPush: false,
      reason: 'You need the Pryzm User permission set to push records. Ask your Salesforce admin.',
    });
    const user = await rep.apex('PryzmPushController', 'getPushContext', {
      recordId: userOf('rep').id,
    });
    expect(user.body['returnValue']).toMatchObject({
      canPush: false,
      reason: 'User records are not synced with Pryzm.',
    });
    const invalid = await rep.apex('PryzmPushController', 'getPushContext', { recordId: 'nope' });
    expect(invalid).toEqual({
      status: 500,
      body: {
        message: 'Invalid id: nope',
        exceptionType: 'System.StringException',
        isUserDefinedException: false,
        stackTrace: '',
      },
    });
  });

  it('publishes the push request as the clicking user, and refuses what the context refuses', async () => {
    const rep = await session('rep');
    const log = local.events.bus.log(org.id, '/event/pryzm__Pryzm_Push_Request__e');
    const before = log.size();
    const pushed = await rep.apex('PryzmPushController', 'requestPush', { recordId: ownAccount });
    expect(pushed.status).toBe(200);
    const correlationId = pushed.body['returnValue'] as string;
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const [event] = log.readAfter(log.latestReplayId() - 1n, 1);
    const payload = local.events.bus
      .schemaById(event!.schemaId)!
      .type.fromBuffer(event!.payload) as Record<string, unknown>;
    expect(payload).toMatchObject({
      CreatedById: userOf('rep').id,
      pryzm__Record_Id__c: ownAccount,
      pryzm__Object_Name__c: 'Account',
      pryzm__Requested_By__c: userOf('rep').id,
      pryzm__Correlation_Id__c: correlationId,
    });
    const refused = await rep.apex('PryzmPushController', 'requestPush', {
      recordId: othersAccount,
    });
    expect(refused).toMatchObject({
      status: 500,
      body: {
        message: 'You need edit access to this record to push it.',
        exceptionType: 'System.AuraHandledException',
      },
    });
    expect(log.size()).toBe(before + 1);
  });
});

describe('lightning/empApi streams', () => {
  const channel = '/event/pryzm__Pryzm_Sync_Result__e';
  const publishResult = (correlationId: string) =>
    local.events.bus.publish(org.id, userOf('integration').id, 'pryzm__Pryzm_Sync_Result__e', {
      pryzm__Correlation_Id__c: correlationId,
      pryzm__Record_Id__c: userOf('rep').id,
      pryzm__Status__c: 'Success',
      pryzm__Message__c: 'Created in Pryzm.',
    });

  it('delivers new events in empApi’s message shape after saying it listens', async () => {
    const { cookie } = await session('rep');
    const stream = await fetch(
      `${org.instanceUrl}/lightning/emp/stream?channel=${encodeURIComponent(channel)}&replayId=-1`,
      { headers: { cookie } },
    );
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reading = readEvents(stream, 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(publishResult('stream-1').success).toBe(true);
    const [subscribed, message] = await reading;
    expect(subscribed).toMatchObject({ event: 'subscribed', data: { channel, replayId: -1 } });
    expect(message!.data).toMatchObject({
      channel,
      data: {
        schema: expect.any(String),
        payload: {
          CreatedById: userOf('integration').id,
          pryzm__Correlation_Id__c: 'stream-1',
          pryzm__Status__c: 'Success',
        },
        event: { replayId: Number(message!.id) },
      },
    });
    const payload = (message!.data['data'] as { payload: { CreatedDate: string } }).payload;
    expect(payload.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('replays retained events with -2, and refuses a bad replay id or channel', async () => {
    const { cookie } = await session('rep');
    expect(publishResult('stream-2').success).toBe(true);
    const open = (replayId: string, name = channel) =>
      fetch(
        `${org.instanceUrl}/lightning/emp/stream?channel=${encodeURIComponent(name)}&replayId=${replayId}`,
        { headers: { cookie } },
      );
    const replayed = await readEvents(await open('-2'), 3);
    expect(
      replayed
        .slice(1)
        .map(
          (e) =>
            (e.data['data'] as { payload: Record<string, unknown> }).payload[
              'pryzm__Correlation_Id__c'
            ],
        ),
    ).toEqual(['stream-1', 'stream-2']);
    const [badReplay] = await readEvents(await open('abc'), 1);
    expect(badReplay).toMatchObject({
      event: 'failure',
      data: { error: '400::Invalid replayId: abc' },
    });
    const [badChannel] = await readEvents(await open('-1', '/event/Nope__e'), 1);
    expect(badChannel).toMatchObject({
      event: 'failure',
      data: { error: '403::Unknown channel: /event/Nope__e' },
    });
    const anonymous = await fetch(`${org.instanceUrl}/lightning/emp/stream?channel=${channel}`);
    expect(anonymous.status).toBe(401);
  });
});

describe('PryzmSetupController on the Pryzm Setup page', () => {
  const statuses = (items: unknown) =>
    (items as { key: string; status: string }[]).map((i) => `${i.key}:${i.status}`);

  it('runs the service steps through the Named Credential with its API key', async () => {
    const put = await fetch(
      `${org.instanceUrl}/_localorg/orgs/${org.id}/named-credentials/Pryzm_Service`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: serviceUrl, apiKey: 'pryzm_live_pages' }),
      },
    );
    expect(put.status).toBe(204);
    serviceAnswers = {
      health: [200, { status: 'ok', version: '1.4.0' }],
      status: [
        200,
        {
          mappedObjects: ['Account', 'Contact'],
          lastPull: { status: 'succeeded', finishedAt: '2026-12-06T10:00:00Z', recordCount: 12 },
          lastSync: { status: 'succeeded', finishedAt: '2026-12-06T10:05:00Z' },
        },
      ],
    };
    const admin = await session('admin');
    const checklist = await admin.apex('PryzmSetupController', 'getChecklist');
    expect(statuses(checklist.body['returnValue'])).toEqual([
      'install:complete',
      'fields:complete',
      'permissions:complete',
      'integrationUser:complete',
      'flows:complete',
      'changeSource:complete',
      'connect:complete',
      'mapping:complete',
      'firstPull:complete',
    ]);
    const items = checklist.body['returnValue'] as { key: string; detail: string }[];
    expect(items.find((i) => i.key === 'connect')!.detail).toBe(
      'The Pryzm service answered (version 1.4.0).',
    );
    expect(items.find((i) => i.key === 'firstPull')!.detail).toBe(
      'First pull finished with 12 records at 2026-12-06T10:00:00Z. Last sync: succeeded at 2026-12-06T10:05:00Z.',
    );
    // One health and one setup-status call for the whole checklist, each with the key.
    expect(serviceHeaders.map((h) => h.authorization)).toEqual([
      'Bearer pryzm_live_pages',
      'Bearer pryzm_live_pages',
    ]);
    // The status call names the org, as PryzmServiceClient.setupStatus() does.
    expect(serviceUrls).toEqual([
      '/api/salesforce/health',
      `/api/salesforce/setup-status?orgId=${org.id}`,
    ]);
  });

  it('says a refused key, a paused change source and a missing admin permission', async () => {
    serviceAnswers.health = [401, { message: 'invalid key' }];
    const settings = await rest(
      'sobjects/pryzm__Pryzm_Settings__c',
      { SetupOwnerId: org.id, pryzm__Change_Source__c: 'paused' },
      'admin',
    );
    expect(settings.status).toBe(201);
    const admin = await session('admin');
    const connect = await admin.apex('PryzmSetupController', 'recheckStep', { key: 'connect' });
    expect(connect.body['returnValue']).toMatchObject({
      status: 'error',
      detail: 'The Pryzm service rejected the credential (HTTP 401: invalid key).',
    });
    const source = await admin.apex('PryzmSetupController', 'recheckStep', { key: 'changeSource' });
    expect(source.body['returnValue']).toMatchObject({
      key: 'changeSource',
      order: 6,
      status: 'incomplete',
    });
    const rep = await session('rep');
    const permissions = await rep.apex('PryzmSetupController', 'recheckStep', {
      key: 'permissions',
    });
    expect(permissions.body['returnValue']).toMatchObject({
      status: 'incomplete',
      fix: 'Setup > Permission Sets > Pryzm Admin > Manage Assignments: add yourself.',
    });
    // Only Pryzm Admin grants the Named Credential's principal: the rep's callout never leaves.
    const before = serviceHeaders.length;
    const repConnect = await rep.apex('PryzmSetupController', 'recheckStep', { key: 'connect' });
    expect(repConnect.body['returnValue']).toMatchObject({
      status: 'error',
      detail:
        "You may not use the Pryzm Service credential: We couldn't access the credential(s). You might not have the required permissions.",
    });
    expect(serviceHeaders.length).toBe(before);
    const unknown = await admin.apex('PryzmSetupController', 'recheckStep', { key: 'nope' });
    expect(unknown).toMatchObject({
      status: 500,
      body: { message: 'Unknown checklist step: nope' },
    });
  });

  it('refuses a method the package does not have, a bad credential URL and calls without a token', async () => {
    const admin = await session('admin');
    const missing = await admin.apex('PryzmSetupController', 'deleteEverything');
    expect(missing.status).toBe(404);
    const badUrl = await fetch(
      `${org.instanceUrl}/_localorg/orgs/${org.id}/named-credentials/Pryzm_Service`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: 'ftp://example.com' }),
      },
    );
    expect(badUrl.status).toBe(400);
    const noToken = await fetch(`${org.instanceUrl}/lightning/apex`, {
      method: 'POST',
      headers: { cookie: admin.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ classname: 'PryzmSetupController', method: 'getChecklist' }),
    });
    expect(noToken.status).toBe(403);
  });
});
