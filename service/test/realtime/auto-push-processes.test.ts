import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../support/databases.ts';
import { startProcessStack, type ProcessStack } from '../support/process-stack.ts';
import type { ServiceProcess } from '../support/service-process.ts';
import { salesforceApi } from '../support/sync.ts';
import { eventually } from './support.ts';

/**
 * Auto push across service processes: a change committed just before its process is killed
 * (SIGKILL, nothing shut down) is pushed by the next process, which finds it in the database
 * after the stored cursor; on PostgreSQL a second process takes a dead holder's connection over.
 */
describe.each(PROVIDERS)('auto push across processes on %s', (provider) => {
  let stack: ProcessStack;
  let first: ServiceProcess;
  let ws: Awaited<ReturnType<ProcessStack['connect']>>['ws'];
  let connectionId: string;
  const sf = () => salesforceApi(stack.local, stack.org);
  const inSalesforce = async (pryzmId: string) =>
    (
      await sf().soql<{ Id: string }>(
        `SELECT Id FROM Account WHERE pryzm__Pryzm_ID__c = '${pryzmId}'`,
      )
    )[0];
  const create = async (client: Poster, name: string) => {
    const created = await client.post<{ id: string }>(
      `/api/workspaces/${ws.id}/record-types/organization/records`,
      { values: { name } },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id;
  };

  beforeAll(async () => {
    // Real-time on (auto push runs where it runs); no change source, so no Pub/Sub stream.
    // Leases of 6 s renewed every 2 s: a survivor looks for a dead holder's connection that often.
    stack = await startProcessStack(provider, {
      seed: { accounts: 0, contacts: 0, opportunities: 0 },
      env: { PRYZM_REALTIME: 'on', PRYZM_LEASE_TTL_MS: '6000' },
    });
    first = await stack.startService();
    ({ ws, connectionId } = await stack.connect(first));
    const connection = `/api/workspaces/${ws.id}/connections/${connectionId}`;
    expect((await ws.client.patch(connection, { changeSource: 'paused' })).status).toBe(200);
    const mappings = await ws.client.get<{ data: { id: string; salesforceObject: string }[] }>(
      `${connection}/mappings`,
    );
    const account = mappings.body.data.find((m) => m.salesforceObject === 'Account')!;
    const patched = await ws.client.patch(`${connection}/mappings/${account.id}`, {
      autoPush: true,
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const warmUp = await create(ws.client, 'Before Any Crash');
    await eventually(() => inSalesforce(warmUp), 'the first auto push', 30_000);
  });
  afterAll(() => stack?.close());

  it('should push a change committed just before the process was killed, after a restart', async () => {
    const id = await create(ws.client, 'Committed Before The Kill');
    await first.kill();
    const restarted = await stack.startService();
    await eventually(() => inSalesforce(id), 'the change pushed by the restarted process', 30_000);
    first = restarted;
  });

  it.runIf(provider === 'postgresql')(
    'should hand a killed holder’s connection to another process, which pushes what changed',
    async () => {
      const second = await stack.startService();
      await first.kill();
      const id = await create(apiOf(second, ws.key), 'Written Through The Survivor');
      await eventually(() => inSalesforce(id), 'the change pushed by the survivor', 30_000);
    },
  );
});

type Poster = {
  post: <T>(path: string, body: unknown) => Promise<{ status: number; body: T }>;
};

/** A JSON client of one service process with the workspace's key. */
function apiOf(service: ServiceProcess, key: string): Poster {
  const call = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
  return {
    post: <T>(path: string, body: unknown) => call<T>('POST', path, body),
  };
}
