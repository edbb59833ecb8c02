import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Connection } from 'jsforce';
import { startLocalOrg } from '../src/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'localorg-data-'));
const dataFile = join(dir, 'orgs.jsonl');

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('persistence to a file', () => {
  it('keeps records, deletions and id sequences across restarts', async () => {
    const first = await startLocalOrg({ orgs: [{ myDomain: 'kept' }], dataFile });
    const t1 = first.issueAccessToken('kept');
    const c1 = new Connection({ ...t1, version: '62.0' });
    const kept = (await c1.sobject('Account').create({ Name: 'Kept', Pryzm_ID__c: 'k-1' })) as {
      id: string;
    };
    const gone = (await c1.sobject('Account').create({ Name: 'Gone' })) as { id: string };
    await c1.sobject('Account').destroy(gone.id);
    first.seed('kept', { accounts: 10, contacts: 0, opportunities: 0 });
    await first.close();

    const second = await startLocalOrg({ orgs: [{ myDomain: 'kept' }], dataFile });
    try {
      const t2 = second.issueAccessToken('kept');
      const c2 = new Connection({ ...t2, version: '62.0' });
      const back = await c2.sobject('Account').retrieve(kept.id);
      expect(back).toMatchObject({ Name: 'Kept', Pryzm_ID__c: 'k-1' });
      const all = await c2.query(`SELECT Id, IsDeleted FROM Account WHERE Id = '${gone.id}'`, {
        scanAll: true,
      });
      expect(all.records[0]?.['IsDeleted']).toBe(true);
      expect((await c2.query('SELECT COUNT() FROM Account')).totalSize).toBe(11);
      const fresh = (await c2.sobject('Account').create({ Name: 'Fresh' })) as { id: string };
      expect([kept.id, gone.id]).not.toContain(fresh.id);
      await expect(
        c2.sobject('Account').create({ Name: 'Dup', Pryzm_ID__c: 'k-1' }),
      ).rejects.toMatchObject({ errorCode: 'DUPLICATE_VALUE' });
    } finally {
      await second.close();
    }
  });
});
