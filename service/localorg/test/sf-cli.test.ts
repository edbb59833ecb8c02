import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalOrg, type LocalOrg } from '../src/index.ts';
import { loginWithAccessToken, sfCli, type SfCli } from './support/sf-cli.ts';

let local: LocalOrg;
let sf: SfCli;

beforeAll(async () => {
  local = await startLocalOrg({ orgs: [{ myDomain: 'cli-org', name: 'CLI Org' }] });
  const org = local.org('cli-org');
  org.write(org.users[0]?.id ?? '', 'test', (tx, dml) => {
    for (let i = 0; i < 3; i++)
      dml.insert(tx, 'Account', { Name: `CLI Account ${i}`, Industry: 'Banking' }, 'json');
  });
  sf = sfCli();
  const { accessToken, instanceUrl } = local.issueAccessToken('cli-org');
  const login = await loginWithAccessToken(sf, instanceUrl, 'local', {
    SF_ACCESS_TOKEN: accessToken,
  });
  expect(login.status).toBe(0);
  expect(login.result).toMatchObject({
    orgId: org.id,
    username: org.users[0]?.config.username,
    name: 'CLI Org',
    isSandbox: false,
  });
});

afterAll(async () => {
  sf.dispose();
  await local.close();
});

describe('sf CLI against the local org', () => {
  it('sf data query returns the records', async () => {
    const out = await sf.run([
      'data',
      'query',
      '--query',
      "SELECT Id, Name, Industry FROM Account WHERE Name LIKE 'CLI%' ORDER BY Name",
      '--target-org',
      'local',
    ]);
    expect(out.status).toBe(0);
    const result = out.result as {
      totalSize: number;
      records: { Name: string; Industry: string }[];
    };
    expect(result.totalSize).toBe(3);
    expect(result.records.map((r) => r.Name)).toEqual([
      'CLI Account 0',
      'CLI Account 1',
      'CLI Account 2',
    ]);
  });

  it('sf sobject describe returns the describe with package fields', async () => {
    const out = await sf.run([
      'sobject',
      'describe',
      '--sobject',
      'Account',
      '--target-org',
      'local',
    ]);
    const d = out.result as { name: string; fields: { name: string; externalId: boolean }[] };
    expect(d.name).toBe('Account');
    expect(d.fields.find((f) => f.name === 'Pryzm_ID__c')?.externalId).toBe(true);
  });

  it('sf data create record creates a record', async () => {
    const out = await sf.run([
      'data',
      'create',
      'record',
      '--sobject',
      'Account',
      '--values',
      "Name='Made By CLI' Industry=Energy",
      '--target-org',
      'local',
    ]);
    const result = out.result as { id: string; success: boolean };
    expect(result.success).toBe(true);
    const found = local.org('cli-org').findById(result.id);
    expect(found?.record).toMatchObject({ Name: 'Made By CLI', Industry: 'Energy' });
  });

  it('sf data export bulk writes the CSV', async () => {
    const file = join(sf.home, 'export.csv');
    const out = await sf.run([
      'data',
      'export',
      'bulk',
      '--query',
      "SELECT Id, Name FROM Account WHERE Industry = 'Banking' ORDER BY Name",
      '--output-file',
      file,
      '--result-format',
      'csv',
      '--wait',
      '2',
      '--target-org',
      'local',
    ]);
    expect(out.result).toMatchObject({ totalSize: 3 });
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('"Id","Name"');
    expect(lines[1]).toMatch(/^"001[A-Za-z0-9]{15}","CLI Account 0"$/);
  });

  it('sf data upsert bulk upserts by External ID', async () => {
    const file = join(sf.home, 'upsert.csv');
    writeFileSync(file, 'Name,Pryzm_ID__c\nUpserted One,u-1\nUpserted Two,u-2\n');
    const out = await sf.run([
      'data',
      'upsert',
      'bulk',
      '--sobject',
      'Account',
      '--file',
      file,
      '--external-id',
      'Pryzm_ID__c',
      '--wait',
      '2',
      '--target-org',
      'local',
    ]);
    const result = out.result as {
      jobInfo: { state: string; numberRecordsProcessed: number; numberRecordsFailed: number };
    };
    expect(result.jobInfo).toMatchObject({
      state: 'JobComplete',
      numberRecordsProcessed: 2,
      numberRecordsFailed: 0,
    });
    const again = await sf.run([
      'data',
      'query',
      '--query',
      "SELECT Name FROM Account WHERE Pryzm_ID__c = 'u-2'",
      '--target-org',
      'local',
    ]);
    expect((again.result as { records: { Name: string }[] }).records[0]?.Name).toBe('Upserted Two');
  });
});
