/**
 * The org of the real-time benchmark, in a process of its own (as Salesforce is): the writes, the
 * package's Flows, Change Data Capture, the Pub/Sub API and the SOQL the service sends all run
 * here, so the service's event loop carries only the service's work and the sender is never
 * slowed by what it measures. Started with `fork` (IPC) with the Account count in argv[2] and the
 * connected app's public key in argv[3]; sends `ready` with how to reach the org.
 *
 * On `send` an admin renames Accounts at the rate asked, `recordsPerCall` records per sObject
 * Collections update (one DML transaction each; at most 200, Salesforce's limit per call), and
 * it answers `sent` with each record's last name and the publish times of the events of the
 * change source's channel by record id (`flows`: `Pryzm_Record_Change__e`; `cdc`: the package's
 * change channel, each event's `recordIds`). On `usage` it answers the org's API requests so far
 * (every REST call the org counted, as `Sforce-Limit-Info` reports it): with the sender's own
 * calls taken off, what the service spent on the wire.
 */
import { startLocalOrg } from '../../localorg/src/index.ts';

import {
  BENCH_APP,
  type RealtimeOrgReady,
  type RealtimeSent,
  type RealtimeSendRequest,
  type RealtimeUsage,
} from './realtime-bench-messages.ts';

const accounts = Number(process.argv[2] ?? 2_000);
const certificatePem = Buffer.from(process.argv[3] ?? '', 'base64').toString('utf8');
const user = (name: string, permissionSets: string[]) => ({
  username: `${name}@bench.example.com.uat`,
  password: 'Pryzm-bench-1',
  securityToken: 'BENCHTOKEN',
  firstName: name,
  lastName: 'Bench',
  email: `${name}@bench.example.com`,
  permissionSets,
});
const local = await startLocalOrg({
  orgs: [
    {
      myDomain: 'bench--uat',
      sandbox: true,
      namespace: 'pryzm',
      connectedApps: [
        {
          ...BENCH_APP,
          callbackUrls: ['http://127.0.0.1:*'],
          certificatePem,
          refreshTokenRotation: false,
        },
      ],
      users: [user('admin', ['Pryzm_Admin']), user('integration', ['Pryzm_Integration'])],
      dailyApiRequests: 10_000_000,
    },
  ],
});
const org = local.orgs[0]!;
local.seed(org.id, { accounts, contacts: 0, opportunities: 0 });
const { accessToken } = local.issueAccessToken(org.id);

const sfFetch = (path: string, init: RequestInit = {}) =>
  fetch(`${org.instanceUrl}/services/data/v63.0/${path}`, {
    ...init,
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
  });
const ids = (
  (await (await sfFetch(`query?q=${encodeURIComponent('SELECT Id FROM Account')}`)).json()) as {
    records: { Id: string }[];
  }
).records.map((r) => r.Id);

// Publish times of the timed channel's events, by record id, as the org's event bus saw them.
let published = new Map<string, number[]>();
let timedChannel: RealtimeSendRequest['changeSource'] = 'flows';
local.events.bus.onPublish((orgId, { event, topicName }) => {
  if (orgId !== org.id) return;
  const flows = topicName.endsWith('Pryzm_Record_Change__e');
  const cdc = topicName.endsWith('Pryzm_Changes__chn');
  if (!(timedChannel === 'flows' ? flows : cdc)) return;
  const schema = local.events.bus.schemaById(event.schemaId)!;
  const payload = schema.type.fromBuffer(event.payload) as Record<string, unknown>;
  const recordIds = flows
    ? [String(payload['pryzm__Record_Id__c'])]
    : (payload['ChangeEventHeader'] as { recordIds: string[] }).recordIds;
  const at = Date.now();
  for (const id of recordIds) {
    const times = published.get(id) ?? [];
    times.push(at);
    published.set(id, times);
  }
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function send(request: RealtimeSendRequest): Promise<RealtimeSent> {
  const { rate, seconds, changeSource } = request;
  const perCall = Math.max(1, Math.min(200, ids.length, Math.round(request.recordsPerCall)));
  const intervalMs = (perCall / rate) * 1000;
  published = new Map();
  timedChannel = changeSource;
  const lastNames = new Map<string, string>();
  const started = Date.now();
  let sent = 0;
  let senderCalls = 0;
  let cursor = 0;
  for (let call = 0; Date.now() - started < seconds * 1000; call += 1) {
    const records = Array.from({ length: perCall }, () => {
      const Id = ids[cursor++ % ids.length]!;
      const Name = `Bench ${call} ${Id.slice(-6)}`;
      lastNames.set(Id, Name);
      return { attributes: { type: 'Account' }, Id, Name };
    });
    await sfFetch('composite/sobjects', {
      method: 'PATCH',
      body: JSON.stringify({ allOrNone: false, records }),
    });
    senderCalls += 1;
    sent += records.length;
    const due = started + (call + 1) * intervalMs;
    if (due > Date.now()) await sleep(due - Date.now());
  }
  return {
    type: 'sent',
    sent,
    sendSeconds: (Date.now() - started) / 1000,
    lastNames: [...lastNames],
    published: [...published],
    senderCalls,
  };
}

const ready: RealtimeOrgReady = {
  type: 'ready',
  loginUrl: local.loginUrl,
  sandboxLoginUrl: local.sandboxLoginUrl,
  instanceUrl: org.instanceUrl,
  orgId: org.id,
  pubSubEndpoint: local.pubSubEndpoint,
  caPem: local.events.caPem ?? '',
  accessToken,
  integrationUsername: org.users[1]!.username,
};
process.send?.(ready);
process.on('message', (message: { type: string }) => {
  if (message.type === 'send') {
    void send(message as RealtimeSendRequest).then((result) => process.send?.(result));
  } else if (message.type === 'usage') {
    const usage: RealtimeUsage = { type: 'usage', apiUsed: local.org(org.id).limits.apiUsed };
    process.send?.(usage);
  } else if (message.type === 'stop') {
    void local.close().then(() => process.exit(0));
  }
});
