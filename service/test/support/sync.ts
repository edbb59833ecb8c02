import { expect } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import type { ApiClient } from './api.ts';
import type { testConnectedApp } from './localorg.ts';

type Workspace = { id: string; client: ApiClient };
type Org = LocalOrg['orgs'][number];

/** A job as the sync suites read it. */
export interface Job {
  id: string;
  status: string;
  kind: string;
  mode: string;
  error: string | null;
  apiCalls: number;
  startedBy: string;
  counts: Record<string, number>;
  objects: {
    salesforceObject: string;
    phase: string;
    processed: number;
    total: number | null;
    counts: Record<string, number>;
  }[];
}

export const FINISHED = ['succeeded', 'partially_succeeded', 'failed', 'cancelled'];

/**
 * Connects the sandbox with JWT bearer (its first user) and saves the default mappings: where
 * every sync suite starts. Answers the connection id and the saved mappings.
 */
export async function connectWithDefaults(
  ws: Workspace,
  org: Org,
  app: ReturnType<typeof testConnectedApp>['app'],
  privateKeyPem: string,
): Promise<{ connectionId: string; mappings: { id: string; salesforceObject: string }[] }> {
  const connected = await ws.client.post<{ id: string }>(`/api/workspaces/${ws.id}/connections`, {
    authFlow: 'jwt_bearer',
    environment: 'sandbox',
    clientId: app.clientId,
    username: org.users[0]!.username,
    privateKey: privateKeyPem,
  });
  expect(connected.status, JSON.stringify(connected.body)).toBe(201);
  const defaults = await ws.client.post<{ saved: { id: string; salesforceObject: string }[] }>(
    `/api/workspaces/${ws.id}/connections/${connected.body.id}/mappings/defaults`,
    {},
  );
  expect(defaults.status, JSON.stringify(defaults.body)).toBe(201);
  return { connectionId: connected.body.id, mappings: defaults.body.saved };
}

/** Queues a job through the API; answers its id. */
export async function startJob(
  ws: Workspace,
  connectionId: string,
  body: Record<string, unknown>,
): Promise<string> {
  const started = await ws.client.post<Job>(
    `/api/workspaces/${ws.id}/connections/${connectionId}/jobs`,
    body,
  );
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return started.body.id;
}

/** Polls a job until its status is one of `statuses` (finished by default). */
export async function waitForJob(
  ws: Workspace,
  jobId: string,
  statuses: readonly string[] = FINISHED,
): Promise<Job> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const job = (await ws.client.get<Job>(`/api/workspaces/${ws.id}/jobs/${jobId}`)).body;
    if (statuses.includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Queues a job and waits for it to finish. */
export async function runJob(
  ws: Workspace,
  connectionId: string,
  body: Record<string, unknown>,
): Promise<Job> {
  return waitForJob(ws, await startJob(ws, connectionId, body));
}

/** Salesforce's REST API of a local org, as its admin: the test's own view of Salesforce. */
export function salesforceApi(local: LocalOrg, org: Org) {
  async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
    const { accessToken } = local.issueAccessToken(org.id);
    const response = await fetch(`${org.instanceUrl}/services/data/v63.0/${path}`, {
      ...init,
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }
  return {
    request,
    /** Records of a SOQL query (`all`: queryAll, deleted records included). */
    soql: async <T>(query: string, all = false): Promise<T[]> =>
      (
        await request<{ records: T[] }>(
          `${all ? 'queryAll' : 'query'}?q=${encodeURIComponent(query)}`,
        )
      ).records,
  };
}
