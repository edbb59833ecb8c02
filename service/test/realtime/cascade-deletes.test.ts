import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../support/databases.ts';
import { salesforceApi } from '../support/sync.ts';
import {
  eventually,
  publishedEvents,
  setChangeSource,
  startRealtimeStack,
  type RealtimeStack,
} from './support.ts';

interface Job {
  id: string;
  kind: string;
  status: string;
  startedBy: string;
}

interface Linked {
  Id: string;
  pryzm__Pryzm_ID__c: string;
}

/**
 * Deleting an Account in Salesforce deletes its Contacts and Opportunities with it, and Flows do
 * not run for those children: under `cdc` their DELETE change events soft-delete them in Pryzm;
 * under `flows` only the Account's delete is published and the reconciliation (an incremental
 * pull, what the sweep queues) finds the children in the recycle bin.
 */
describe.each(PROVIDERS)('cascade deletes of an Account on %s', (provider) => {
  let stack: RealtimeStack;
  const sf = () => salesforceApi(stack.local, stack.org);
  const base = () => `/api/workspaces/${stack.ws.id}`;
  const isDeletedInPryzm = async (pryzmId: string) =>
    (await stack.ws.client.get<{ deletedAt: string | null }>(`${base()}/records/${pryzmId}`)).body
      .deletedAt !== null;
  const jobs = async () =>
    (await stack.ws.client.get<{ data: Job[] }>(`${base()}/jobs?limit=100`)).body.data;
  const runPull = async (mode: 'full' | 'incremental') => {
    const started = await stack.ws.client.post<Job>(
      `${base()}/connections/${stack.connectionId}/jobs`,
      { kind: 'pull', mode },
    );
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    return eventually(
      async () => {
        const job = (await jobs()).find((j) => j.id === started.body.id);
        return job && ['succeeded', 'partially_succeeded'].includes(job.status) ? job : undefined;
      },
      `the ${mode} pull`,
      60_000,
    );
  };
  /** An Account with children, and the children as Salesforce links them to Pryzm. */
  const accountWithChildren = async (skip: Set<string>) => {
    const contacts = await sf().soql<Linked & { AccountId: string }>(
      'SELECT Id, AccountId, pryzm__Pryzm_ID__c FROM Contact WHERE AccountId != null',
    );
    const accountId = contacts.map((c) => c.AccountId).find((id) => !skip.has(id))!;
    skip.add(accountId);
    const [account] = await sf().soql<Linked>(
      `SELECT Id, pryzm__Pryzm_ID__c FROM Account WHERE Id = '${accountId}'`,
    );
    const opportunities = await sf().soql<Linked>(
      `SELECT Id, pryzm__Pryzm_ID__c FROM Opportunity WHERE AccountId = '${accountId}'`,
    );
    const children = [...contacts.filter((c) => c.AccountId === accountId), ...opportunities];
    expect(children.every((child) => child.pryzm__Pryzm_ID__c)).toBe(true);
    return { account: account!, children };
  };
  /** No pull queued or running (switching the change source may queue a catch-up pull). */
  const settled = () =>
    eventually(
      async () =>
        (await jobs()).some(
          (job) => job.kind === 'pull' && ['queued', 'running'].includes(job.status),
        )
          ? undefined
          : true,
      'the pulls to finish',
      60_000,
    );
  /** Salesforce ids that real-time jobs (not pulls) deleted in Pryzm. */
  const deletedByRealtime = async () => {
    const ids = new Set<string>();
    for (const job of (await jobs()).filter((j) => j.kind === 'realtime')) {
      const records = await stack.ws.client.get<{ data: { salesforceId: string }[] }>(
        `${base()}/jobs/${job.id}/records?action=deleted&limit=500`,
      );
      for (const record of records.body.data ?? []) ids.add(record.salesforceId);
    }
    return ids;
  };
  const deleteAccount = (id: string) =>
    sf().request(`sobjects/Account/${id}`, { method: 'DELETE' });
  const used = new Set<string>();

  beforeAll(async () => {
    stack = await startRealtimeStack(provider);
    stack.local.seed(stack.org.id, { accounts: 6, contacts: 18, opportunities: 12 });
    await runPull('full');
  });
  afterAll(() => stack?.close());

  it('should delete the children with their Account in the org, in its recycle bin', async () => {
    const { account, children } = await accountWithChildren(used);
    await setChangeSource(stack, 'paused');
    await deleteAccount(account.Id);
    const contacts = await sf().soql<{ Id: string; IsDeleted: boolean }>(
      `SELECT Id, IsDeleted FROM Contact WHERE AccountId = '${account.Id}'`,
      true,
    );
    expect(contacts.length).toBeGreaterThan(0);
    expect(contacts.every((contact) => contact.IsDeleted)).toBe(true);
    const live = await sf().soql<{ Id: string }>(
      `SELECT Id FROM Opportunity WHERE AccountId = '${account.Id}'`,
    );
    expect(live).toEqual([]);
    expect(children.length).toBeGreaterThan(contacts.length - 1);
  });

  it('should soft-delete the children in Pryzm from their change events under cdc', async () => {
    await setChangeSource(stack, 'cdc');
    await settled();
    const { account, children } = await accountWithChildren(used);
    await deleteAccount(account.Id);
    for (const child of [account, ...children]) {
      await eventually(
        async () => ((await isDeletedInPryzm(child.pryzm__Pryzm_ID__c)) ? true : undefined),
        `${child.Id} deleted in Pryzm`,
        20_000,
      );
    }
    // The change events did it, in real-time jobs.
    const deleted = await deletedByRealtime();
    for (const child of children) expect(deleted.has(child.Id)).toBe(true);
  });

  it('should publish no Flow event for the children under flows; the reconciliation deletes them', async () => {
    await setChangeSource(stack, 'flows');
    await settled();
    const { account, children } = await accountWithChildren(used);
    await deleteAccount(account.Id);
    await eventually(
      async () => ((await isDeletedInPryzm(account.pryzm__Pryzm_ID__c)) ? true : undefined),
      'the Account deleted in Pryzm',
      20_000,
    );
    const published = publishedEvents(stack, '/event/pryzm__Pryzm_Record_Change__e').map(
      (event) => event.payload['pryzm__Record_Id__c'] ?? event.payload['Record_Id__c'],
    );
    expect(published).toContain(account.Id);
    for (const child of children) {
      expect(published).not.toContain(child.Id);
      expect(await isDeletedInPryzm(child.pryzm__Pryzm_ID__c)).toBe(false);
    }
    await runPull('incremental');
    for (const child of children) {
      expect(await isDeletedInPryzm(child.pryzm__Pryzm_ID__c)).toBe(true);
    }
  });
});
