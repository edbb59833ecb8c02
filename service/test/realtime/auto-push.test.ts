import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../support/databases.ts';
import { salesforceApi } from '../support/sync.ts';
import { eventually, setChangeSource, startRealtimeStack, type RealtimeStack } from './support.ts';

interface Job {
  id: string;
  kind: string;
  mode: string;
  status: string;
  apiCalls: number;
  counts: Record<string, number>;
}

interface PryzmRecord {
  id: string;
  version: number;
  values: Record<string, unknown>;
}

describe.each(PROVIDERS)('auto push of Pryzm changes to Salesforce on %s', (provider) => {
  let stack: RealtimeStack;
  const sf = () => salesforceApi(stack.local, stack.org);
  const base = () => `/api/workspaces/${stack.ws.id}`;
  const connectionPath = () => `${base()}/connections/${stack.connectionId}`;
  const accountsNamed = (name: string) =>
    sf().soql<{ Id: string; Name: string; pryzm__Pryzm_ID__c: string }>(
      `SELECT Id, Name, pryzm__Pryzm_ID__c FROM Account WHERE Name = '${name}'`,
    );
  const accountOf = async (pryzmId: string) =>
    (
      await sf().soql<{ Id: string; Name: string }>(
        `SELECT Id, Name FROM Account WHERE pryzm__Pryzm_ID__c = '${pryzmId}'`,
      )
    )[0];
  const createOrganization = async (name: string) => {
    const created = await stack.ws.client.post<PryzmRecord>(
      `${base()}/record-types/organization/records`,
      { values: { name } },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body;
  };
  const autoJobs = async () =>
    (
      await stack.ws.client.get<{ data: Job[] }>(`${base()}/jobs?kind=push&limit=100`)
    ).body.data.filter((job) => job.mode === 'auto');
  const autoPushCalls = async () => (await autoJobs()).reduce((sum, job) => sum + job.apiCalls, 0);
  const record = async (id: string) =>
    (await stack.ws.client.get<PryzmRecord>(`${base()}/records/${id}`)).body;
  /**
   * Every auto push of what was written so far committed: the Account cursor, saved once a
   * round's calls committed, reached the newest change of an organization. Salesforce holds a
   * push's values before the service commits its outcome (the job's calls with it), so calls
   * counted as soon as Salesforce shows a record may not include that record's call yet.
   */
  const pushesCommitted = () =>
    eventually(
      async () => {
        const prisma = stack.service.database.prisma;
        const [newest, state] = await Promise.all([
          prisma.pryzmRecord.findFirst({
            where: { workspaceId: stack.ws.id, recordType: { key: 'organization' } },
            orderBy: { updatedAt: 'desc' },
            select: { updatedAt: true },
          }),
          prisma.autoPushState.findUnique({
            where: { connectionId: stack.connectionId },
            select: { cursors: true },
          }),
        ]);
        const cursor = (state?.cursors as Record<string, string> | undefined)?.['Account'];
        return newest && cursor && new Date(cursor) >= newest.updatedAt ? true : undefined;
      },
      'the auto pushes committed',
      10_000,
    );
  /** Salesforce took the record and its push committed (the link, the job's calls). */
  const pushed = (id: string) =>
    eventually(
      async () => {
        const links = await stack.ws.client.get<{ data: unknown[] } | unknown[]>(
          `${base()}/records/${id}/links`,
        );
        const list = Array.isArray(links.body) ? links.body : links.body.data;
        return list.length > 0 ? true : undefined;
      },
      'the push committed',
      20_000,
    );

  beforeAll(async () => {
    stack = await startRealtimeStack(provider);
    const mappings = await stack.ws.client.get<{
      data: { id: string; salesforceObject: string }[];
    }>(`${connectionPath()}/mappings`);
    const account = mappings.body.data.find((m) => m.salesforceObject === 'Account')!;
    const patched = await stack.ws.client.patch<{ autoPush?: boolean }>(
      `${connectionPath()}/mappings/${account.id}`,
      { autoPush: true },
    );
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    // The first record waits for a process to take the connection's auto push lease.
    const first = await createOrganization('Auto Push Warm Up');
    await eventually(() => accountOf(first.id), 'the first auto push', 15_000);
  });
  afterAll(() => stack?.close());

  it('should refuse auto push on a mapping that only pulls, changing nothing', async () => {
    const mappings = await stack.ws.client.get<{
      data: { id: string; salesforceObject: string; direction: string }[];
    }>(`${connectionPath()}/mappings`);
    const contact = mappings.body.data.find((m) => m.salesforceObject === 'Contact')!;
    const refused = await stack.ws.client.patch<{ error: { code: string } }>(
      `${connectionPath()}/mappings/${contact.id}`,
      { direction: 'pull', autoPush: true },
    );
    expect(refused.status).toBe(422);
    const after = await stack.ws.client.get<{ direction: string; autoPush?: boolean }>(
      `${connectionPath()}/mappings/${contact.id}`,
    );
    expect(after.body.direction).toBe(contact.direction);
    expect(after.body.autoPush).toBeUndefined();
  });

  it('should push a record created through the API within 2 seconds', async () => {
    const created = await createOrganization('Created In Pryzm');
    const start = Date.now();
    const account = await eventually(() => accountOf(created.id), 'the new Account', 5_000);
    expect(Date.now() - start).toBeLessThan(2_000);
    expect(account.Name).toBe('Created In Pryzm');
  });

  it('should push an update made through the API within 2 seconds', async () => {
    const created = await createOrganization('Before The Edit');
    await eventually(() => accountOf(created.id), 'the new Account', 5_000);
    const patched = await stack.ws.client.patch(`${base()}/records/${created.id}`, {
      values: { name: 'After The Edit' },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const start = Date.now();
    await eventually(
      async () => ((await accountOf(created.id))?.Name === 'After The Edit' ? true : undefined),
      'the edit in Salesforce',
      20_000,
    );
    expect(Date.now() - start).toBeLessThan(2_000);
  });

  it('should push 450 records written at once in one Composite call', async () => {
    // The previous test saw its edit in Salesforce, which may be before its call was counted.
    await pushesCommitted();
    const callsBefore = await autoPushCalls();
    // One transaction, as a bulk write by any process on the database would commit them.
    const prisma = stack.service.database.prisma;
    const recordType = await prisma.recordType.findFirstOrThrow({
      where: { workspaceId: stack.ws.id, key: 'organization' },
    });
    await prisma.pryzmRecord.createMany({
      data: Array.from({ length: 450 }, (_, i) => ({
        workspaceId: stack.ws.id,
        recordTypeId: recordType.id,
        values: { name: `Imported ${String(i).padStart(3, '0')}` },
      })),
    });
    await eventually(
      async () => {
        const [{ expr0 }] = (await sf().soql<{ expr0: number }>(
          "SELECT COUNT(Id) FROM Account WHERE Name LIKE 'Imported %'",
        )) as [{ expr0: number }];
        return expr0 === 450 ? true : undefined;
      },
      'the 450 Accounts',
      30_000,
    );
    // The burst went as one debounced push (450 records one at a time would be 450 calls): the
    // cursor moves past the last of them only once every round that pushed them committed.
    await pushesCommitted();
    expect((await autoPushCalls()) - callsBefore).toBe(1);
  });

  it('should keep an auto push that a pull snapshot from before it would undo', async () => {
    const created = await createOrganization('Before The Snapshot');
    await pushed(created.id);
    const account = (await accountOf(created.id))!;
    // A full pull whose Bulk query job has taken its snapshot but is not done yet.
    const queryJobs = async () =>
      (await sf().request<{ records: { id: string }[] }>('jobs/query')).records.map((j) => j.id);
    const before = new Set(await queryJobs());
    stack.local.org(stack.org.id).config.bulkJobMilliseconds = 1_500;
    const pull = await stack.ws.client.post<Job>(`${connectionPath()}/jobs`, {
      kind: 'pull',
      mode: 'full',
    });
    expect(pull.status, JSON.stringify(pull.body)).toBe(202);
    await eventually(
      async () => ((await queryJobs()).some((id) => !before.has(id)) ? true : undefined),
      'the pull’s query job',
      30_000,
    );
    stack.local.org(stack.org.id).config.bulkJobMilliseconds = 0;
    const edited = await stack.ws.client.patch(`${base()}/records/${created.id}`, {
      values: { name: 'Auto Pushed Over The Snapshot' },
    });
    expect(edited.status).toBe(200);
    await eventually(
      async () =>
        (await accountOf(created.id))?.Name === 'Auto Pushed Over The Snapshot' ? true : undefined,
      'the auto push',
      20_000,
    );
    const done = await eventually(
      async () => {
        const job = (await stack.ws.client.get<Job>(`${base()}/jobs/${pull.body.id}`)).body;
        return ['succeeded', 'partially_succeeded', 'failed'].includes(job.status)
          ? job
          : undefined;
      },
      'the pull',
      60_000,
    );
    expect(done.status).toBe('succeeded');
    // The snapshot's older Name did not come back over the pushed one.
    expect((await record(created.id)).values['name']).toBe('Auto Pushed Over The Snapshot');
    const stale = await stack.ws.client.get<{
      data: { salesforceId: string; error: { code: string } | null }[];
    }>(`${base()}/jobs/${pull.body.id}/records?action=unchanged&limit=500`);
    expect(stale.body.data).toContainEqual(
      expect.objectContaining({
        salesforceId: account.Id,
        error: expect.objectContaining({ code: 'older_than_applied' }),
      }),
    );
  });

  it('should not push back what a pull or a change event brings of the same values', async () => {
    const created = await createOrganization('Echo Check');
    await pushed(created.id);
    const [account] = await accountsNamed('Echo Check');
    expect(account!.pryzm__Pryzm_ID__c).toBe(created.id);
    const before = await record(created.id);
    const callsBefore = await autoPushCalls();
    // An incremental pull reads the Account the push wrote: the values pushed come back as they
    // are (only what Salesforce added, the owner's email, is new) and nothing goes back.
    const pulled = await stack.ws.client.post<Job>(`${connectionPath()}/jobs`, {
      kind: 'pull',
      mode: 'incremental',
    });
    expect(pulled.status, JSON.stringify(pulled.body)).toBe(202);
    const done = await eventually(
      async () => {
        const job = (await stack.ws.client.get<Job>(`${base()}/jobs/${pulled.body.id}`)).body;
        return job.status === 'succeeded' ? job : undefined;
      },
      'the incremental pull',
      30_000,
    );
    expect(done.counts['failed']).toBe(0);
    const { owner_email: ownerEmail, ...pulledValues } = (await record(created.id)).values;
    const { owner_email: _none, ...pushedValues } = before.values;
    expect(pulledValues).toEqual(pushedValues);
    expect(ownerEmail).toBe('integration@rt.example.com');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await autoPushCalls()).toBe(callsBefore);
    const beforeEdit = await record(created.id);
    // Under cdc, the push's own change event (committed by the connection's user) is dropped.
    await setChangeSource(stack, 'cdc');
    const edited = await stack.ws.client.patch(`${base()}/records/${created.id}`, {
      values: { name: 'Echo Check Again' },
    });
    expect(edited.status).toBe(200);
    await eventually(
      async () => ((await accountOf(created.id))?.Name === 'Echo Check Again' ? true : undefined),
      'the edit in Salesforce',
      20_000,
    );
    const afterEdit = await record(created.id);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await record(created.id)).version).toBe(afterEdit.version);
    expect(afterEdit.version).toBe(beforeEdit.version + 1);
    // One call for the edit, none for an echo.
    expect((await autoPushCalls()) - callsBefore).toBe(1);
    await setChangeSource(stack, 'flows');
  });

  it('should push nothing while auto push is off, and only later changes once it is on again', async () => {
    const mappings = await stack.ws.client.get<{
      data: { id: string; salesforceObject: string }[];
    }>(`${connectionPath()}/mappings`);
    const account = mappings.body.data.find((m) => m.salesforceObject === 'Account')!;
    const setAutoPush = async (autoPush: boolean) =>
      expect(
        (
          await stack.ws.client.patch(`${connectionPath()}/mappings/${account.id}`, {
            autoPush,
          })
        ).status,
      ).toBe(200);
    const state = () =>
      stack.service.database.prisma.autoPushState.findUnique({
        where: { connectionId: stack.connectionId },
      });
    await setAutoPush(false);
    await eventually(
      async () => ((await state())?.holderId === null ? true : undefined),
      'the auto push let go',
      15_000,
    );
    const whileOff = await createOrganization('Written While Off');
    await setAutoPush(true);
    const afterOn = await createOrganization('Written Once On Again');
    await eventually(() => accountOf(afterOn.id), 'the change after auto push was on', 20_000);
    expect(await accountOf(whileOff.id)).toBeUndefined();
  });
});
