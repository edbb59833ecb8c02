import { describe, expect, it } from 'vitest';
import { opportunityDescribe } from './__fixtures__/describes.ts';
import { createDefaultMappings, defaultContactMapping } from './defaults.ts';
import { pullOrder, validateMappingSet } from './mapping-set.ts';
import type { ObjectMapping } from './object-mapping.ts';

const { recordTypes, objectMappings } = createDefaultMappings(opportunityDescribe);
const objects = (mappings: ObjectMapping[]) => mappings.map((mapping) => mapping.salesforceObject);

describe('validateMappingSet', () => {
  it('accepts the defaults', () => {
    expect(validateMappingSet(objectMappings, recordTypes)).toEqual([]);
  });

  it('reports duplicates, unknown record types and lookups to unmapped objects', () => {
    const [account, contact, opportunity] = objectMappings as [
      ObjectMapping,
      ObjectMapping,
      ObjectMapping,
    ];
    const problems = validateMappingSet(
      [
        contact,
        { ...defaultContactMapping(), recordType: 'lead' },
        { ...opportunity, recordType: 'person' },
      ],
      recordTypes,
    );
    expect(
      problems.map((problem) => [problem.code, problem.salesforceObject, problem.attribute]),
    ).toEqual([
      ['duplicate_object_mapping', 'Contact', undefined],
      ['reference_target_unmapped', 'Contact', 'organization'],
      ['unknown_record_type', 'Contact', undefined],
      ['reference_target_unmapped', 'Opportunity', 'organization'],
    ]);
    const wrongTarget = validateMappingSet(
      [{ ...account, recordType: 'person' }, contact],
      recordTypes,
    );
    expect(wrongTarget).toContainEqual(
      expect.objectContaining({
        code: 'reference_record_type_mismatch',
        salesforceObject: 'Contact',
      }),
    );
  });
});

describe('pullOrder', () => {
  it('pulls parents first', () => {
    const [account, contact, opportunity] = objectMappings as [
      ObjectMapping,
      ObjectMapping,
      ObjectMapping,
    ];
    expect(objects(pullOrder([opportunity, contact, account]))).toEqual([
      'Account',
      'Opportunity',
      'Contact',
    ]);
  });

  it('keeps the given order in a cycle and for self-lookups', () => {
    const a: ObjectMapping = {
      ...defaultContactMapping(),
      salesforceObject: 'A__c',
      fields: [
        {
          kind: 'reference',
          salesforceField: 'B__c',
          targetObject: 'B__c',
          attribute: 'b',
          direction: 'pull',
        },
        {
          kind: 'reference',
          salesforceField: 'Parent__c',
          targetObject: 'A__c',
          attribute: 'p',
          direction: 'pull',
        },
      ],
    };
    const b: ObjectMapping = {
      ...defaultContactMapping(),
      salesforceObject: 'B__c',
      fields: [
        {
          kind: 'reference',
          salesforceField: 'A__c',
          targetObject: 'A__c',
          attribute: 'a',
          direction: 'pull',
        },
      ],
    };
    expect(objects(pullOrder([a, b]))).toEqual(['B__c', 'A__c']);
    expect(pullOrder([a, b])).toHaveLength(2);
  });
});
