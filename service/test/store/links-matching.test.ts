import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMatchRules } from '../../src/mapping/index.ts';
import type { Database } from '../../src/store/database.ts';
import { createRepositories } from '../../src/store/repositories/index.ts';
import { LinkRepository } from '../../src/store/repositories/links.ts';
import { MatchIndex } from '../../src/records/record-matcher.ts';
import { RecordService } from '../../src/records/record-service.ts';
import { PROVIDERS, openMigratedDatabase, seedWorkspace } from '../support/databases.ts';

describe.each(PROVIDERS)('links and first-sync matching on %s', (provider) => {
  let database: Database;
  let workspaceId: string;
  let connectionId: string;
  let links: LinkRepository;
  let records: RecordService;

  beforeAll(async () => {
    database = await openMigratedDatabase(provider);
    ({ workspaceId, connectionId } = await seedWorkspace(database, 'L'));
    links = new LinkRepository(database.prisma);
    records = new RecordService(createRepositories(database.prisma));
  });
  afterAll(async () => {
    await database?.close();
  });

  it('keeps one link per Salesforce record and moves the base forward', async () => {
    const record = await records.create(workspaceId, 'organization', { name: 'Acme' });
    if (!record.ok) throw new Error(record.error.message);
    const first = await links.save({
      connectionId,
      recordId: record.value.id,
      salesforceObject: 'Account',
      salesforceId: '001000000000001AAA',
      baseValues: { name: 'Acme' },
    });
    const second = await links.save({
      connectionId,
      recordId: record.value.id,
      salesforceObject: 'Account',
      salesforceId: '001000000000001AAA',
      baseValues: { name: 'Acme Corp' },
    });
    expect(second.id).toBe(first.id);
    expect(
      (await links.findBySalesforceId(connectionId, '001000000000001AAA'))?.baseValues,
    ).toEqual({ name: 'Acme Corp' });
    expect((await links.findByRecord(connectionId, 'Account', record.value.id))?.salesforceId).toBe(
      '001000000000001AAA',
    );
    await expect(
      links.save({
        connectionId,
        recordId: record.value.id,
        salesforceObject: 'Account',
        salesforceId: '001000000000002AAA',
        baseValues: {},
      }),
    ).rejects.toThrow();
  });

  it('matches Contacts by email and Accounts by name and website, never guessing', () => {
    const people = new MatchIndex(
      [
        { id: 'p1', values: { full_name: 'Ada', primary_email: 'Ada@Example.com' } },
        { id: 'p2', values: { full_name: 'Bob', primary_email: 'bob@example.com' } },
        { id: 'p3', values: { full_name: 'Bob again', primary_email: 'BOB@example.com' } },
      ],
      defaultMatchRules('Contact'),
    );
    expect(people.match({ Email: 'ada@example.com ' })).toMatchObject({
      kind: 'matched',
      recordId: 'p1',
    });
    expect(people.match({ Email: 'ada@example.com' })).toEqual({ kind: 'none' });
    expect(people.match({ Email: 'bob@example.com' })).toMatchObject({
      kind: 'ambiguous',
      recordIds: ['p2', 'p3'],
    });
    expect(people.match({ Email: null })).toEqual({ kind: 'none' });

    const organizations = new MatchIndex(
      [{ id: 'o1', values: { name: 'Acme, Inc.', website: 'https://www.acme.example' } }],
      defaultMatchRules('Account'),
    );
    expect(organizations.match({ Name: 'ACME', Website: 'acme.example' })).toMatchObject({
      kind: 'matched',
      recordId: 'o1',
    });
  });
});
