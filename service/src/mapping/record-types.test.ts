import { describe, expect, it } from 'vitest';
import { attributeDefinitionSchema, attributeValueSchema } from './attribute-types.ts';
import { attributes as a } from './__fixtures__/attributes.ts';
import {
  accountDescribe,
  opportunityDescribe,
  withFieldChanged,
} from './__fixtures__/describes.ts';
import {
  BUILT_IN_RECORD_TYPES,
  createPipelineFromSalesforceStages,
  PipelineStagesError,
  PERSON_RECORD_TYPE,
  recordTypeDefinitionSchema,
  recordValuesSchema,
} from './record-types.ts';

const STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Id. Decision Makers',
  'Perception Analysis',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost',
];

describe('createPipelineFromSalesforceStages', () => {
  it('builds a stage select in picklist order from a recorded Opportunity describe', () => {
    const pipeline = createPipelineFromSalesforceStages(opportunityDescribe);
    const stage = pipeline.attributes.find((attribute) => attribute.key === 'stage');
    expect(pipeline).toMatchObject({ key: 'deal', name: 'Deal', kind: 'pipeline' });
    expect(stage?.type).toBe('select');
    expect(stage?.type === 'select' && stage.options.map((option) => option.value)).toEqual(STAGES);
    expect(recordTypeDefinitionSchema.safeParse(pipeline).success).toBe(true);
  });

  it('leaves inactive stages out unless asked, and takes names and currency', () => {
    const describe = withFieldChanged(opportunityDescribe, 'StageName', {
      picklistValues: [
        { value: 'Open', label: 'Open', active: true },
        { value: 'Old', label: 'Old stage', active: false },
        { value: 'Won', label: 'Won!', active: true },
      ],
    });
    const active = createPipelineFromSalesforceStages(describe, {
      key: 'renewal',
      name: 'Renewal',
      pluralName: 'Renewals',
      currencyCode: 'EUR',
    });
    const stage = active.attributes.find((attribute) => attribute.key === 'stage');
    expect(stage?.type === 'select' && stage.options).toEqual([
      { value: 'Open', label: 'Open' },
      { value: 'Won', label: 'Won!' },
    ]);
    expect(active.attributes.find((attribute) => attribute.key === 'amount')).toMatchObject({
      currencyCode: 'EUR',
    });
    const all = createPipelineFromSalesforceStages(describe, { includeInactive: true });
    const allStages = all.attributes.find((attribute) => attribute.key === 'stage');
    expect(allStages?.type === 'select' && allStages.options.map((option) => option.value)).toEqual(
      ['Open', 'Old', 'Won'],
    );
  });

  it('refuses a describe without a StageName picklist or without active stages', () => {
    expect(() => createPipelineFromSalesforceStages(accountDescribe)).toThrow(PipelineStagesError);
    const empty = withFieldChanged(opportunityDescribe, 'StageName', { picklistValues: [] });
    expect(() => createPipelineFromSalesforceStages(empty)).toThrow(/no active picklist values/);
  });
});

describe('record type schema', () => {
  it('accepts the built-in record types', () => {
    for (const recordType of BUILT_IN_RECORD_TYPES) {
      expect(recordTypeDefinitionSchema.safeParse(recordType).success).toBe(true);
    }
  });

  it('rejects duplicate attribute keys and a pipeline without a stage select', () => {
    const duplicate = recordTypeDefinitionSchema.safeParse({
      key: 'thing',
      name: 'Thing',
      pluralName: 'Things',
      kind: 'custom',
      attributes: [a.text, a.text],
    });
    expect(duplicate.success).toBe(false);
    expect(duplicate.error?.issues[0]?.message).toMatch(/duplicate attribute key "title"/);
    const pipeline = recordTypeDefinitionSchema.safeParse({
      key: 'deal',
      name: 'Deal',
      pluralName: 'Deals',
      kind: 'pipeline',
      attributes: [a.text],
    });
    expect(pipeline.error?.issues[0]?.message).toMatch(/stage/);
  });

  it.each([
    [{ key: 'Bad Key', name: 'x', type: 'text' }, 'key'],
    [
      {
        key: 'x',
        name: 'x',
        type: 'select',
        options: [
          { value: 'a', label: 'A' },
          { value: 'a', label: 'B' },
        ],
      },
      'options',
    ],
    [{ key: 'x', name: 'x', type: 'currency', currencyCode: 'usd' }, 'currencyCode'],
    [{ key: 'x', name: 'x', type: 'reference' }, 'targetRecordType'],
    [{ key: 'x', name: 'x', type: 'rich_text' }, 'type'],
  ])('rejects the attribute definition %j', (definition, path) => {
    const result = attributeDefinitionSchema.safeParse(definition);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toContain(path);
  });
});

describe('attributeValueSchema', () => {
  it.each([
    [a.text, 'short', true],
    [a.text, 'much too long', false],
    [a.email, 'jane@acme.com', true],
    [a.email, 'jane', false],
    [a.url, 'https://acme.com', true],
    [a.number, 3.5, true],
    [a.number, '3.5', false],
    [a.date, '2026-01-31', true],
    [a.date, '2026-01-31T00:00:00.000Z', false],
    [a.datetime, '2026-01-31T23:30:00.000Z', true],
    [a.datetime, '2026-01-31T23:30:00+0000', false],
    [a.boolean, true, true],
    [a.select, 'Done', true],
    [a.select, 'Nope', false],
    [a.multiSelect, ['Alpha', 'Beta'], true],
    [a.multiSelect, ['Omega'], false],
    [a.reference, 'org_1', true],
    [a.reference, '', false],
    [a.phone, null, true],
    [a.phone, '+1 (415) 555-0100', true],
    [a.phone, 'call me', false],
    [a.url, 'javascript:alert(1)', false],
    [a.url, 'acme.com', false],
    [a.email, null, true],
    [a.longText, 'x'.repeat(100_000), true],
    [a.longText, 12, false],
    [a.currency, 1234.56, true],
    [a.currency, Number.POSITIVE_INFINITY, false],
    [a.percent, 12.5, true],
    [a.percent, '12.5%', false],
    [a.boolean, 'true', false],
    [a.date, '2026-02-30', false],
    [a.date, '2028-02-29', true],
    [a.datetime, '2026-13-01T00:00:00.000Z', false],
    [a.datetime, '2026-01-31T24:00:00.000Z', false],
    [a.multiSelect, [], true],
    [a.multiSelect, 'Alpha', false],
    [a.select, ['Done'], false],
  ] as const)('%# %j: %s', (attribute, value, valid) => {
    expect(attributeValueSchema(attribute).safeParse(value).success).toBe(valid);
  });
});

describe('recordValuesSchema', () => {
  const schema = recordValuesSchema(PERSON_RECORD_TYPE);

  it('accepts partial values of known attributes', () => {
    expect(schema.safeParse({ full_name: 'Jane Doe', primary_email: null }).success).toBe(true);
    expect(schema.safeParse({}).success).toBe(true);
  });

  it('refuses unknown attributes, wrong types and emptied required attributes', () => {
    expect(schema.safeParse({ nickname: 'JD' }).success).toBe(false);
    expect(schema.safeParse({ email_opt_out: 'yes' }).success).toBe(false);
    const cleared = schema.safeParse({ full_name: null });
    expect(cleared.error?.issues[0]).toMatchObject({ path: ['full_name'], message: 'required' });
  });
});
