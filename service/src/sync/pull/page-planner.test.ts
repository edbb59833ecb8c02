import { describe, expect, it } from 'vitest';
import { accountDescribe, pryzmIdField, withFields } from '../../mapping/__fixtures__/describes.ts';
import { defaultAccountMapping } from '../../mapping/defaults.ts';
import {
  ORGANIZATION_RECORD_TYPE,
  type ConflictStrategy,
  type PryzmValues,
} from '../../mapping/index.ts';
import { MatchIndex } from '../../records/record-matcher.ts';
import type { PageState } from '../../store/repositories/sync-pages.ts';
import { planPage } from './page-planner.ts';

const describe_ = withFields(accountDescribe, pryzmIdField);
const SF_ID = '001000000000001AAA';
const RECORD_ID = '8b0c6a4e-2f1d-4c3b-9a8e-7d6c5b4a3f21';

function row(fields: Record<string, unknown>) {
  return {
    Id: SF_ID,
    Name: 'Acme',
    Website: 'acme.example.com',
    LastModifiedDate: '2026-12-06T10:00:00.000Z',
    SystemModstamp: '2026-12-06T10:00:00.000Z',
    ...fields,
  };
}

function state(overrides: Partial<PageState> = {}): PageState {
  return { linked: new Map(), named: new Map(), parents: new Map(), ...overrides };
}

function linkedTo(values: PryzmValues, base: PryzmValues, extra: object = {}): PageState {
  return state({
    linked: new Map([
      [
        SF_ID,
        {
          recordId: RECORD_ID,
          values,
          baseValues: base,
          version: 3,
          deleted: false,
          salesforceDeleted: false,
          updatedAt: new Date('2026-12-06T09:00:00.000Z'),
          salesforceModstamp: null,
          ...extra,
        },
      ],
    ]),
  });
}

function plan(
  rows: Record<string, unknown>[],
  pageState: PageState,
  options: { strategy?: ConflictStrategy; unlinked?: { id: string; values: PryzmValues }[] } = {},
) {
  const mapping = {
    ...defaultAccountMapping(),
    conflictStrategy: options.strategy ?? 'manual',
  };
  const unlinked = (options.unlinked ?? []).map((record) => ({ ...record, version: 1 }));
  return planPage(rows, pageState, {
    mapping,
    describe: describe_,
    toPryzm: { recordType: ORGANIZATION_RECORD_TYPE, describe: describe_ },
    matches: new MatchIndex(unlinked, mapping.matchRules ?? []),
    unlinked: new Map(unlinked.map((record) => [record.id, record])),
  });
}

describe('planPage', () => {
  it('should create a Pryzm record for a Salesforce record nobody linked', () => {
    const result = plan([row({})], state());
    expect(result.creates).toEqual([
      expect.objectContaining({
        salesforceId: SF_ID,
        values: expect.objectContaining({ name: 'Acme' }),
      }),
    ]);
    expect(result.counts.created).toBe(1);
    expect(result.maxModstamp).toBe('2026-12-06T10:00:00.000Z');
  });

  it('should update a linked record with what changed in Salesforce and move the base', () => {
    const result = plan(
      [row({ Name: 'Acme Renamed' })],
      linkedTo({ name: 'Acme' }, { name: 'Acme' }),
    );
    expect(result.updates).toEqual([
      expect.objectContaining({
        recordId: RECORD_ID,
        expectedVersion: 3,
        values: expect.objectContaining({ name: 'Acme Renamed' }),
        baseValues: expect.objectContaining({ name: 'Acme Renamed' }),
      }),
    ]);
    expect(result.counts.updated).toBe(1);
    expect(result.settled).toEqual([SF_ID]);
  });

  it('should leave a Pryzm-side change for the push: no write, base kept, push pending', () => {
    const website = 'https://acme.example.com';
    const result = plan(
      [row({})],
      linkedTo({ name: 'Acme Pryzm', website }, { name: 'Acme', website }),
    );
    expect(result.updates[0]).toMatchObject({ values: undefined, pendingPush: true });
    expect(result.updates[0]?.baseValues.name).toBe('Acme');
    expect(result.counts.unchanged).toBe(1);
    expect(result.results, 'unchanged records are counted, not listed').toEqual([]);
  });

  it('should keep a conflict open under the manual strategy and change neither side', () => {
    const result = plan(
      [row({ Name: 'From SF' })],
      linkedTo({ name: 'From Pryzm' }, { name: 'Acme' }),
    );
    expect(result.conflicts).toEqual([
      {
        recordId: RECORD_ID,
        salesforceId: SF_ID,
        fields: [{ attribute: 'name', base: 'Acme', pryzm: 'From Pryzm', salesforce: 'From SF' }],
      },
    ]);
    expect(result.updates[0]?.values?.name ?? 'From Pryzm').toBe('From Pryzm');
    expect(result.counts.conflicts).toBe(1);
    expect(result.results[0]?.action).toBe('conflict');
  });

  it('should let Salesforce win a conflict under salesforce_wins', () => {
    const result = plan(
      [row({ Name: 'From SF' })],
      linkedTo({ name: 'From Pryzm' }, { name: 'Acme' }),
      {
        strategy: 'salesforce_wins',
      },
    );
    expect(result.updates[0]?.values?.name).toBe('From SF');
    expect(result.conflicts).toEqual([]);
  });

  it('should link the record its Pryzm_ID__c names instead of creating one', () => {
    const result = plan(
      [row({ Pryzm_ID__c: RECORD_ID })],
      state({
        named: new Map([[RECORD_ID, { values: { name: 'Acme' }, version: 1, linked: false }]]),
      }),
    );
    expect(result.creates).toEqual([]);
    expect(result.updates[0]).toMatchObject({
      recordId: RECORD_ID,
      newLink: true,
      pryzmIdInSalesforce: true,
    });
    expect(result.counts.linked).toBe(1);
  });

  it('should report an ambiguous match and never guess', () => {
    const twins = [
      { id: 'a', values: { name: 'Acme', website: 'https://acme.example.com' } },
      { id: 'b', values: { name: 'ACME Inc', website: 'acme.example.com' } },
    ];
    const result = plan([row({})], state(), { unlinked: twins });
    expect(result.creates).toEqual([]);
    expect(result.results[0]).toMatchObject({ action: 'skipped', errorCode: 'ambiguous_match' });
  });

  it('should skip a record deleted in Pryzm and restore one deleted by a Salesforce delete', () => {
    const deletedHere = plan(
      [row({})],
      linkedTo({ name: 'Acme' }, { name: 'Acme' }, { deleted: true }),
    );
    expect(deletedHere.results[0]).toMatchObject({
      action: 'skipped',
      errorCode: 'deleted_in_pryzm',
    });
    const undeleted = plan(
      [row({})],
      linkedTo({ name: 'Acme' }, { name: 'Acme' }, { deleted: true, salesforceDeleted: true }),
    );
    expect(undeleted.updates[0]).toMatchObject({ undeleted: true });
    expect(undeleted.results[0]?.action).toBe('restored');
  });

  describe('a row older than the version its link holds', () => {
    const applied = { salesforceModstamp: new Date('2026-12-06T10:00:05.000Z') };

    it('should apply nothing and report it unchanged, never as a conflict', () => {
      const result = plan(
        [row({ Name: 'Acme (older snapshot)', SystemModstamp: '2026-12-06T10:00:01.000+0000' })],
        linkedTo({ name: 'Acme Newer' }, { name: 'Acme Newer' }, applied),
      );
      expect(result.updates).toEqual([]);
      expect(result.conflicts).toEqual([]);
      expect(result.settled).toEqual([]);
      expect(result.counts).toMatchObject({ unchanged: 1, updated: 0, conflicts: 0 });
      expect(result.results).toEqual([
        expect.objectContaining({
          salesforceId: SF_ID,
          recordId: RECORD_ID,
          action: 'unchanged',
          errorCode: 'older_than_applied',
        }),
      ]);
    });

    it('should not restore a record whose delete is newer than the row', () => {
      const result = plan(
        [row({ SystemModstamp: '2026-12-06T10:00:01.000Z' })],
        linkedTo({ name: 'Acme' }, { name: 'Acme' }, { ...applied, salesforceDeleted: true }),
      );
      expect(result.updates).toEqual([]);
      expect(result.results[0]).toMatchObject({ errorCode: 'older_than_applied' });
    });

    it('should apply a row of the same stamp (changing nothing) or a newer one, and carry its stamp', () => {
      const held = { name: 'Acme Newer', website: 'https://acme.example.com' };
      const same = plan(
        [row({ Name: 'Acme Newer', SystemModstamp: '2026-12-06T10:00:05.000+0000' })],
        linkedTo(held, held, applied),
      );
      expect(same.updates[0]).toMatchObject({ values: undefined });
      expect(same.updates[0]?.salesforceModstamp?.toISOString()).toBe('2026-12-06T10:00:05.000Z');
      expect(same.counts.unchanged).toBe(1);
      expect(same.results).toEqual([]);
      const newer = plan(
        [row({ Name: 'Acme Newest', SystemModstamp: '2026-12-06T10:00:09.000Z' })],
        linkedTo({ name: 'Acme Newer' }, { name: 'Acme Newer' }, applied),
      );
      expect(newer.updates[0]?.values?.name).toBe('Acme Newest');
      expect(newer.updates[0]?.salesforceModstamp?.toISOString()).toBe('2026-12-06T10:00:09.000Z');
    });

    it("should take a change event's LastModifiedDate when the row has no SystemModstamp", () => {
      const older = plan(
        [{ Id: SF_ID, Name: 'Old', LastModifiedDate: '2026-12-06T10:00:02.000+0000' }],
        linkedTo({ name: 'Acme Newer' }, { name: 'Acme Newer' }, applied),
      );
      expect(older.results[0]).toMatchObject({ errorCode: 'older_than_applied' });
      const created = plan([row({ SystemModstamp: undefined })], state());
      expect(created.creates[0]?.salesforceModstamp?.toISOString()).toBe(
        '2026-12-06T10:00:00.000Z',
      );
    });
  });
});
