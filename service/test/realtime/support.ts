import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { startLocalOrg, type LocalOrg } from '../../localorg/src/index.ts';
import type { Provider } from '../../src/store/migrations/migration-files.ts';
import { createWorkspace, testSecurityEnv, type ApiClient } from '../support/api.ts';
import { freshDatabaseUrl } from '../support/databases.ts';
import { localOrgEnv, testConnectedApp } from '../support/localorg.ts';
import { bootService } from '../support/service.ts';
import { salesforceApi } from '../support/sync.ts';

type Org = LocalOrg['orgs'][number];

/** The users of the real-time suites' org: who changes records, who syncs, who may not edit. */
export const REALTIME_USERS = [
  {
    username: 'admin@rt.example.com.uat',
    password: 'Pryzm-rt-1',
    securityToken: 'RTTOKEN0001',
    firstName: 'Ada',
    lastName: 'Admin',
    email: 'admin@rt.example.com',
    permissionSets: ['Pryzm_Admin'],
  },
  {
    username: 'integration@rt.example.com.uat',
    password: 'Pryzm-rt-2',
    securityToken: 'RTTOKEN0002',
    firstName: 'Ivy',
    lastName: 'Integration',
    email: 'integration@rt.example.com',
    permissionSets: ['Pryzm_Integration'],
  },
  {
    username: 'rep@rt.example.com.uat',
    password: 'Pryzm-rt-3',
    securityToken: 'RTTOKEN0003',
    firstName: 'Sam',
    lastName: 'Seller',
    email: 'rep@rt.example.com',
    permissionSets: ['Pryzm_User'],
    profile: 'Standard User',
  },
];

export interface RealtimeStack {
  local: LocalOrg;
  org: Org;
  service: Awaited<ReturnType<typeof bootService>>;
  databaseUrl: string;
  ws: { id: string; key: string; client: ApiClient };
  connectionId: string;
  env: Record<string, string>;
  admin: Org['users'][number];
  integration: Org['users'][number];
  rep: Org['users'][number];
  close(): Promise<void>;
}

/**
 * A namespaced sandbox with an admin (whose changes fire the package's Flows), the integration
 * user the connection signs in as (bypassed by the Flows) and a sales rep with a Standard User
 * profile; the real service with real-time sync on, pointed at the org's Pub/Sub API; a
 * workspace connected with the default mappings.
 */
export async function startRealtimeStack(
  provider: Provider,
  env: Record<string, string> = {},
): Promise<RealtimeStack> {
  const { app, privateKeyPem } = testConnectedApp();
  const local = await startLocalOrg({
    orgs: [
      {
        myDomain: 'rt--uat',
        name: 'Realtime UAT',
        sandbox: true,
        namespace: 'pryzm',
        connectedApps: [app],
        users: REALTIME_USERS,
      },
    ],
  });
  const org = local.orgs[0]!;
  const security = testSecurityEnv();
  const databaseUrl = await freshDatabaseUrl(provider);
  const serviceEnv = {
    ...security.env,
    ...localOrgEnv(local, app),
    ...pubSubEnv(local),
    // One process: no other can take a lease over, so it may be short; turning auto push or a
    // change source on and off is then seen within a second instead of five.
    PRYZM_LEASE_TTL_MS: '3000',
    ...env,
  };
  const service = await bootService(databaseUrl, serviceEnv);
  const ws = await createWorkspace(service.url, security.adminToken, 'Realtime');
  const connected = await ws.client.post<{ id: string }>(`/api/workspaces/${ws.id}/connections`, {
    authFlow: 'jwt_bearer',
    environment: 'sandbox',
    clientId: app.clientId,
    username: org.users[1]!.username,
    privateKey: privateKeyPem,
  });
  expect(connected.status, JSON.stringify(connected.body)).toBe(201);
  const defaults = await ws.client.post(
    `/api/workspaces/${ws.id}/connections/${connected.body.id}/mappings/defaults`,
    {},
  );
  expect(defaults.status, JSON.stringify(defaults.body)).toBe(201);
  return {
    local,
    org,
    service,
    databaseUrl,
    ws,
    connectionId: connected.body.id,
    env: serviceEnv,
    admin: org.users[0]!,
    integration: org.users[1]!,
    rep: org.users[2]!,
    async close() {
      await service.stop();
      await local.close();
    },
  };
}

/** An Account of the real-time org with the Pryzm id the pull wrote back to it. */
export interface PulledAccount {
  Id: string;
  pryzm__Pryzm_ID__c: string;
}

/**
 * `startRealtimeStack` with `accounts` Accounts in the org, all pulled into Pryzm by a full pull
 * (their Pryzm ids written back), then `changeSource` switched on and the catch-up pull that
 * switching queues finished: a pull still running beside a test's changes reads a snapshot of
 * its own and would race them. Answers the Accounts by Name.
 */
export async function startPulledRealtimeStack(
  provider: Provider,
  options: { accounts: number; changeSource: string },
): Promise<{ stack: RealtimeStack; accounts: PulledAccount[] }> {
  const stack = await startRealtimeStack(provider);
  try {
    stack.local.seed(stack.org.id, { accounts: options.accounts, contacts: 0, opportunities: 0 });
    const jobs = `/api/workspaces/${stack.ws.id}/jobs`;
    const pulled = await stack.ws.client.post<{ id: string }>(
      `/api/workspaces/${stack.ws.id}/connections/${stack.connectionId}/jobs`,
      { kind: 'pull', mode: 'full' },
    );
    await eventually(
      async () => {
        const { status } = (
          await stack.ws.client.get<{ status: string }>(`${jobs}/${pulled.body.id}`)
        ).body;
        if (status === 'failed' || status === 'partially_succeeded') {
          throw new Error(`the full pull ended ${status}`);
        }
        return status === 'succeeded' ? true : undefined;
      },
      'the full pull',
      60_000,
    );
    await setChangeSource(stack, options.changeSource);
    await noPullRunning(stack, 'the catch-up pull');
    const accounts = await salesforceApi(stack.local, stack.org).soql<PulledAccount>(
      'SELECT Id, pryzm__Pryzm_ID__c FROM Account ORDER BY Name',
    );
    expect(accounts.every((account) => account.pryzm__Pryzm_ID__c)).toBe(true);
    return { stack, accounts };
  } catch (error) {
    // The suite's afterAll never sees a stack it was not given.
    await stack.close();
    throw error;
  }
}

/** Waits (a minute at most) until none of the workspace's pulls is queued or running. */
export async function noPullRunning(stack: RealtimeStack, what = 'no pull running'): Promise<void> {
  await eventually(
    async () => {
      const { data } = (
        await stack.ws.client.get<{ data: { kind: string; status: string }[] }>(
          `/api/workspaces/${stack.ws.id}/jobs?limit=100`,
        )
      ).body;
      return data.some((job) => job.kind === 'pull' && ['queued', 'running'].includes(job.status))
        ? undefined
        : true;
    },
    what,
    60_000,
  );
}

/** Polls until `check` answers something other than undefined (10 s at most). */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface ConnectionHealth {
  changeSource: string;
  realtime: { state: string; changeSource: string; eventsApplied: number; lagMs: number | null };
}

/** Sets the connection's change source and waits until its subscription is live. */
export async function setChangeSource(stack: RealtimeStack, source: string): Promise<void> {
  const path = `/api/workspaces/${stack.ws.id}/connections/${stack.connectionId}`;
  const patched = await stack.ws.client.patch<{ changeSource: string }>(path, {
    changeSource: source,
  });
  expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  expect(patched.body.changeSource).toBe(source);
  if (source === 'paused') return;
  let last: unknown;
  await eventually(async () => {
    const health = (await stack.ws.client.get<ConnectionHealth>(path)).body;
    last = health.realtime;
    return health.realtime.state === 'live' && health.realtime.changeSource === source
      ? health
      : undefined;
  }, `the ${source} subscription to be live`).catch((error: Error) => {
    throw new Error(`${error.message}: ${JSON.stringify(last)}`);
  });
}

/** Events published on a topic of the org, decoded. */
export function publishedEvents(stack: RealtimeStack, topicName: string) {
  const bus = stack.local.events.bus;
  const log = bus.log(stack.org.id, topicName);
  return log.readAfter(0n, 100_000).map((event) => ({
    replayId: event.replayId,
    payload: bus.schemaById(event.schemaId)!.type.fromBuffer(event.payload) as Record<
      string,
      unknown
    >,
  }));
}

/**
 * Real-time on, against the local org's Pub/Sub API: its endpoint and the CA it made for itself
 * (written to a file, as `SALESFORCE_PUBSUB_CA_FILE` wants), quick job polling, and leases of
 * 6 s renewed every 2 s (15 s and 5 s by default), so a process takes a dead one's subscription
 * over in seconds. For `startProcessStack`'s `env`, so service processes subscribe as an
 * in-process service does.
 */
export function pubSubEnv(local: LocalOrg): Record<string, string> {
  const caFile = join(mkdtempSync(join(tmpdir(), 'pryzm-rt-ca-')), 'ca.pem');
  writeFileSync(caFile, local.events.caPem ?? '');
  return {
    PRYZM_REALTIME: 'on',
    SALESFORCE_PUBSUB_ENDPOINT: local.pubSubEndpoint,
    SALESFORCE_PUBSUB_CA_FILE: caFile,
    PRYZM_SYNC_POLL_MS: '20',
    PRYZM_LEASE_TTL_MS: '6000',
  };
}
