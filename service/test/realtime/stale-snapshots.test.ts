import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../support/databases.ts';
import { salesforceApi } from '../support/sync.ts';
import {
  eventually,
  noPullRunning,
  setChangeSource,
  startPulledRealtimeStack,
  type PulledAccount,
  type RealtimeStack,
} from './support.ts';

interface Job {
  id: string;
  kind: string;
  status: string;
  counts: Record<string, number>;
}

interface RecordResult {
  salesforceId: string;
  action: string;
  error: { code: string; message: string } | null;
}

/**
 * A pull reads a snapshot: Salesforce takes a Bulk API 2.0 query job's results when it processes
 * the job, so a page read later can hold an older version of a record than a change event
 * applied meanwhile. The link's stamp keeps that older version from undoing the newer one.
 */
describe.each(PROVIDERS)('stale snapshots against newer real-time changes on %s', (provider) => {
  let stack: RealtimeStack;
  let accounts: PulledAccount[];
  const sf = () => salesforceApi(stack.local, stack.org);
  const base = () => `/api/workspaces/${stack.ws.id}`;
  const record = async (pryzmId: string) =>
    (
      await stack.ws.client.get<{ values: Record<string, unknown>; version: number }>(
        `${base()}/records/${pryzmId}`,
      )
    ).body;
  const bulkJobMs = (ms: number) => {
    stack.local.org(stack.org.id).config.bulkJobMilliseconds = ms;
  };
  const queryJobIds = async () =>
    (await sf().request<{ records: { id: string }[] }>('jobs/query')).records.map((job) => job.id);
  const startPull = async (mode: 'full' | 'incremental') =>
    (
      await stack.ws.client.post<Job>(`${base()}/connections/${stack.connectionId}/jobs`, {
        kind: 'pull',
        mode,
      })
    ).body;
  const finished = (id: string) =>
    eventually(
      async () => {
        const job = (await stack.ws.client.get<Job>(`${base()}/jobs/${id}`)).body;
        return ['succeeded', 'partially_succeeded', 'failed'].includes(job.status)
          ? job
          : undefined;
      },
      'the pull',
      60_000,
    );
  /**
   * Starts a full pull whose Bulk query job Salesforce has taken its snapshot for, but which
   * is not done yet: what changes now is not in the pages the pull reads afterwards. The job
   * stays in progress 6 s, long enough for a change made now to be applied in real time first
   * on a loaded machine (1.5 s was not: the pull then read its page before the change event was
   * applied, and the older snapshot met an older link).
   */
  async function pullWithSnapshotTakenNow(): Promise<Job> {
    const before = new Set(await queryJobIds());
    bulkJobMs(6_000);
    const pull = await startPull('full');
    await eventually(
      async () => ((await queryJobIds()).some((id) => !before.has(id)) ? true : undefined),
      'the pull’s query job',
    );
    bulkJobMs(0);
    return pull;
  }

  async function expectOlderLeftAlone(account: PulledAccount, newName: string): Promise<void> {
    const pull = await pullWithSnapshotTakenNow();
    await sf().request(`sobjects/Account/${account.Id}`, {
      method: 'PATCH',
      body: JSON.stringify({ Name: newName }),
    });
    await eventually(
      async () =>
        (await record(account.pryzm__Pryzm_ID__c)).values['name'] === newName ? true : undefined,
      'the change applied in real time',
      20_000,
    );
    const done = await finished(pull.id);
    expect(done.status).toBe('succeeded');
    expect((await record(account.pryzm__Pryzm_ID__c)).values['name']).toBe(newName);
    const results = await stack.ws.client.get<{ data: RecordResult[] }>(
      `${base()}/jobs/${pull.id}/records?action=unchanged&limit=500`,
    );
    expect(results.body.data).toEqual([
      expect.objectContaining({
        salesforceId: account.Id,
        action: 'unchanged',
        error: expect.objectContaining({ code: 'older_than_applied' }),
      }),
    ]);
    expect(done.counts['conflicts']).toBe(0);
    expect(done.counts['updated']).toBe(0);
  }

  beforeAll(async () => {
    ({ stack, accounts } = await startPulledRealtimeStack(provider, {
      accounts: 5,
      changeSource: 'cdc',
    }));
  });
  afterAll(() => stack?.close());

  it('should keep a cdc change when a pull later reads an older snapshot of the record', async () => {
    await expectOlderLeftAlone(accounts[0]!, 'Newer Through CDC');
  });

  it('should change nothing when the same version comes again (equal stamps)', async () => {
    const account = accounts[0]!;
    const before = await record(account.pryzm__Pryzm_ID__c);
    const pull = await startPull('full');
    const done = await finished(pull.id);
    expect(done.status).toBe('succeeded');
    expect(done.counts['updated']).toBe(0);
    const after = await record(account.pryzm__Pryzm_ID__c);
    expect(after.values).toEqual(before.values);
    expect(after.version).toBe(before.version);
    const stale = await stack.ws.client.get<{ data: RecordResult[] }>(
      `${base()}/jobs/${pull.id}/records?action=unchanged&limit=500`,
    );
    expect(stale.body.data, 'the same stamp is not older').toEqual([]);
  });

  /** Deletes the Account while a pull's query job holds it, then checks the pull left it deleted. */
  async function expectDeleteKept(account: PulledAccount): Promise<void> {
    // The record as Pryzm has it: deleted records are answered too, with their deletedAt.
    const deleted = async () =>
      (
        await stack.ws.client.get<{ deletedAt: string | null }>(
          `${base()}/records/${account.pryzm__Pryzm_ID__c}`,
        )
      ).body.deletedAt !== null;
    expect(await deleted()).toBe(false);
    const pull = await pullWithSnapshotTakenNow();
    await sf().request(`sobjects/Account/${account.Id}`, { method: 'DELETE' });
    await eventually(
      async () => ((await deleted()) ? true : undefined),
      'the delete applied in real time',
      20_000,
    );
    const done = await finished(pull.id);
    expect(done.status).toBe('succeeded');
    expect(await deleted(), 'the older snapshot did not restore it').toBe(true);
    const results = await stack.ws.client.get<{ data: RecordResult[] }>(
      `${base()}/jobs/${pull.id}/records?action=unchanged&limit=500`,
    );
    expect(results.body.data).toEqual([
      expect.objectContaining({
        salesforceId: account.Id,
        error: expect.objectContaining({ code: 'older_than_applied' }),
      }),
    ]);
  }

  it('should keep a cdc delete when a pull later reads the record from before it', async () => {
    await expectDeleteKept(accounts[2]!);
  });

  it('should keep a flows change (read back by SOQL) against an older snapshot', async () => {
    await setChangeSource(stack, 'flows');
    await noPullRunning(stack);
    await expectOlderLeftAlone(accounts[1]!, 'Newer Through Flows');
  });

  it('should keep a flows delete when a pull later reads the record from before it', async () => {
    await expectDeleteKept(accounts[3]!);
  });
});
