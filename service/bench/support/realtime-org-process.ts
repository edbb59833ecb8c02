/**
 * The org of the real-time benchmark, in a process of its own (as Salesforce is): the writes, the
 * package's Flows, the Pub/Sub API and the SOQL the service sends all run here, so the service's
 * event loop carries only the service's work and the sender is never slowed by what it measures.
 * Started with `fork` (IPC) with the Account count in argv[2] and the connected app's public key
 * in argv[3]; sends `ready` with how to reach the org; on `send` renames Accounts at the rate
 * asked (a tenth of a second's worth per sObject Collections call, as an admin's data load
 * would) and answers `sent` with each record's last name and each Flow event's publish time.
 */
import { startLocalOrg } from '../../localorg/src/index.ts';

export interface RealtimeOrgReady {
  type: 'ready';
  loginUrl: string;
  sandboxLoginUrl: string;
  instanceUrl: string;
  orgId: string;
  pubSubEndpoint: string;
  caPem: string;
  /** The admin's access token (their writes fire the Flows). */
  accessToken: string;
  integrationUsername: string;
}

export interface RealtimeSendRequest {
  type: 'send';
  rate: number;
  seconds: number;
}

export interface RealtimeSent {
  type: 'sent';
  sent: number;
  sendSeconds: number;
  /** Each renamed record's last name. */
  lastNames: [string, string][];
  /** Publish times (ms since epoch) of the Flow's events, by record id. */
  published: [string, number[]][];
}

export const BENCH_APP = {
  clientId: '3MVG9PryzmRealtimeBenchKey',
  clientSecret: 'PRYZMREALTIMEBENCHSECRET',
};

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

// Publish times of the Flow's events, by record id, as the org's event bus saw them.
const published = new Map<string, number[]>();
local.events.bus.onPublish((orgId, { event, topicName }) => {
  if (orgId !== org.id || !topicName.endsWith('Pryzm_Record_Change__e')) return;
  const schema = local.events.bus.schemaById(event.schemaId)!;
  const payload = schema.type.fromBuffer(event.payload) as Record<string, unknown>;
  const id = String(payload['pryzm__Record_Id__c']);
  const times = published.get(id) ?? [];
  times.push(Date.now());
  published.set(id, times);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sfFetch = (path: string, init: RequestInit = {}) =>
  fetch(`${org.instanceUrl}/services/data/v63.0/${path}`, {
    ...init,
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
  });

async function send({ rate, seconds }: RealtimeSendRequest): Promise<RealtimeSent> {
  const ids = (
    (await (await sfFetch(`query?q=${encodeURIComponent('SELECT Id FROM Account')}`)).json()) as {
      records: { Id: string }[];
    }
  ).records.map((r) => r.Id);
  const lastNames = new Map<string, string>();
  const perTick = Math.max(1, Math.round(rate / 10));
  const started = Date.now();
  let sent = 0;
  let cursor = 0;
  for (let tick = 0; Date.now() - started < seconds * 1000; tick += 1) {
    const batch = Array.from({ length: perTick }, () => ids[cursor++ % ids.length]!);
    const records = [...new Set(batch)].map((Id) => {
      const Name = `Bench ${tick} ${Id.slice(-6)}`;
      lastNames.set(Id, Name);
      return { attributes: { type: 'Account' }, Id, Name };
    });
    await sfFetch('composite/sobjects', {
      method: 'PATCH',
      body: JSON.stringify({ allOrNone: false, records }),
    });
    sent += records.length;
    const due = started + (tick + 1) * 100;
    if (due > Date.now()) await sleep(due - Date.now());
  }
  return {
    type: 'sent',
    sent,
    sendSeconds: (Date.now() - started) / 1000,
    lastNames: [...lastNames],
    published: [...published],
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
  } else if (message.type === 'stop') {
    void local.close().then(() => process.exit(0));
  }
});
