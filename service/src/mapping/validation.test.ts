import { describe, expect, it } from 'vitest';
import { attributes as a } from './__fixtures__/attributes.ts';
import {
  accountDescribe,
  caseDescribe,
  contactDescribe,
  describeFor,
  leadDescribe,
  opportunityDescribe,
  projectDescribe,
  pryzmIdField,
  withFieldChanged,
  withFields,
} from './__fixtures__/describes.ts';
import {
  defaultAccountMapping,
  defaultContactMapping,
  defaultOpportunityMapping,
  fitMappingToDescribe,
} from './defaults.ts';
import { findPryzmIdField, resolveField } from './field-paths.ts';
import type { ObjectMapping } from './object-mapping.ts';
import {
  createPipelineFromSalesforceStages,
  ORGANIZATION_RECORD_TYPE,
  PERSON_RECORD_TYPE,
  type RecordTypeDefinition,
} from './record-types.ts';
import { validateObjectMapping, type MappingProblem } from './validation.ts';
import {
  fieldMapping,
  projectMapping,
  projectType,
  textAttribute,
} from './__fixtures__/projects.ts';

const withId = (describe: typeof accountDescribe) => withFields(describe, pryzmIdField);
const codes = (problems: MappingProblem[]) => problems.map((problem) => problem.code);

const project = projectType([
  { key: 'name', name: 'Name', type: 'text', maxLength: 80 },
  { key: 'code', name: 'Code', type: 'text', maxLength: 10 },
  a.select,
  a.multiSelect,
  a.currency,
  a.number,
  a.date,
  a.boolean,
  a.reference,
  { key: 'summary', name: 'Summary', type: 'long_text' },
]);

/** `Project__c` synced in real time, most recent change winning, with its Name and Code mapped. */
const mappedProject = (
  fields: ObjectMapping['fields'],
  extra: Partial<ObjectMapping> = {},
): ObjectMapping =>
  projectMapping([fieldMapping('Name', 'name'), fieldMapping('Code__c', 'code'), ...fields], {
    conflictStrategy: 'most_recent',
    schedule: { kind: 'realtime' },
    ...extra,
  });

describe('validateObjectMapping with the default mappings and recorded describes', () => {
  it('accepts Account → Organization', () => {
    const result = validateObjectMapping(
      defaultAccountMapping(),
      ORGANIZATION_RECORD_TYPE,
      withId(accountDescribe),
      {
        describeFor,
      },
    );
    expect(result.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('accepts Contact → Person once fitted to an org that hides HasOptedOutOfEmail', () => {
    const contact = withId(contactDescribe);
    const raw = validateObjectMapping(defaultContactMapping(), PERSON_RECORD_TYPE, contact, {
      describeFor,
    });
    expect(raw.problems.filter((problem) => problem.severity === 'error')).toEqual([
      expect.objectContaining({ code: 'unknown_field', field: 'HasOptedOutOfEmail' }),
    ]);
    const fitted = fitMappingToDescribe(defaultContactMapping(), contact, describeFor);
    const result = validateObjectMapping(fitted, PERSON_RECORD_TYPE, contact, { describeFor });
    expect(result.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('accepts Opportunity → a pipeline from its stages', () => {
    const pipeline = createPipelineFromSalesforceStages(opportunityDescribe);
    const result = validateObjectMapping(
      defaultOpportunityMapping(pipeline),
      pipeline,
      withId(opportunityDescribe),
      {
        describeFor,
      },
    );
    expect(result.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
  });

  it('warns when parent paths cannot be checked without the parent describe', () => {
    const contact = withId(contactDescribe);
    const result = validateObjectMapping(
      fitMappingToDescribe(defaultContactMapping(), contact),
      PERSON_RECORD_TYPE,
      contact,
    );
    expect(result.valid).toBe(true);
    expect(result.problems).toContainEqual(
      expect.objectContaining({
        code: 'parent_not_checked',
        severity: 'warning',
        field: 'Account.Name',
      }),
    );
  });
});

describe('validateObjectMapping reports every problem', () => {
  it('an unknown object', () => {
    const result = validateObjectMapping(
      { ...defaultAccountMapping(), salesforceObject: 'Acount' },
      ORGANIZATION_RECORD_TYPE,
      undefined,
    );
    expect(result).toEqual({
      valid: false,
      problems: [
        expect.objectContaining({
          code: 'unknown_object',
          message: expect.stringContaining('Acount'),
        }),
      ],
    });
    expect(
      validateObjectMapping(defaultAccountMapping(), ORGANIZATION_RECORD_TYPE, contactDescribe)
        .problems[0]?.code,
    ).toBe('unknown_object');
  });

  it('all problems of one broken Account mapping at once', () => {
    const mapping: ObjectMapping = {
      ...defaultAccountMapping(),
      filter: "Nope = 'x' LIMIT 5",
      fields: [
        { kind: 'field', salesforceField: 'Nmae', attribute: 'name', direction: 'bidirectional' },
        { kind: 'field', salesforceField: 'Website', attribute: 'ghost', direction: 'pull' },
        {
          kind: 'field',
          salesforceField: 'AnnualRevenue',
          attribute: 'website',
          direction: 'bidirectional',
        },
        {
          kind: 'field',
          salesforceField: 'LastActivityDate',
          attribute: 'description',
          direction: 'push',
        },
        {
          kind: 'field',
          salesforceField: 'Owner.Email',
          attribute: 'owner_email',
          direction: 'bidirectional',
        },
      ],
    };
    const result = validateObjectMapping(mapping, ORGANIZATION_RECORD_TYPE, accountDescribe, {
      describeFor,
    });
    expect(result.valid).toBe(false);
    expect(result.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'unknown_attribute',
          attribute: 'ghost',
          severity: 'error',
        }),
        expect.objectContaining({
          code: 'unknown_field',
          field: 'Nmae',
          message: 'Account has no field Nmae',
        }),
        expect.objectContaining({
          code: 'incompatible_types',
          field: 'AnnualRevenue',
          attribute: 'website',
        }),
        expect.objectContaining({ code: 'field_not_writable', field: 'LastActivityDate' }),
        expect.objectContaining({ code: 'incompatible_types', field: 'LastActivityDate' }),
        expect.objectContaining({ code: 'parent_path_not_writable', field: 'Owner.Email' }),
        expect.objectContaining({ code: 'required_field_unmapped', field: 'Name' }),
        expect.objectContaining({ code: 'pryzm_id_field_missing', field: 'Pryzm_ID__c' }),
        expect.objectContaining({ code: 'filter_unknown_field', field: 'Nope' }),
        expect.objectContaining({ code: 'filter_clause_not_allowed' }),
      ]),
    );
    for (const problem of result.problems) {
      expect(problem.message.length).toBeGreaterThan(10);
    }
  });

  it('required Salesforce fields left unmapped for push, from real describes', () => {
    const pipeline = createPipelineFromSalesforceStages(opportunityDescribe);
    const opportunity: ObjectMapping = { ...defaultOpportunityMapping(pipeline), fields: [] };
    expect(
      validateObjectMapping(opportunity, pipeline, withId(opportunityDescribe))
        .problems.filter((problem) => problem.code === 'required_field_unmapped')
        .map((problem) => problem.field),
    ).toEqual(['Name', 'StageName', 'CloseDate']);
    const lead: ObjectMapping = {
      ...defaultContactMapping(),
      salesforceObject: 'Lead',
      fields: [],
    };
    expect(
      validateObjectMapping(lead, PERSON_RECORD_TYPE, withId(leadDescribe))
        .problems.filter((problem) => problem.code === 'required_field_unmapped')
        .map((problem) => problem.field)
        .sort(),
    ).toEqual(['Company', 'LastName']);
    // A pull-only mapping never creates records in Salesforce.
    expect(
      codes(
        validateObjectMapping(
          { ...opportunity, direction: 'pull' },
          pipeline,
          withId(opportunityDescribe),
        ).problems,
      ),
    ).not.toContain('required_field_unmapped');
  });

  it('push onto fields Salesforce does not let us write', () => {
    const caseType: RecordTypeDefinition = {
      key: 'ticket',
      name: 'Ticket',
      pluralName: 'Tickets',
      kind: 'custom',
      attributes: [
        textAttribute('number', 'Number'),
        { key: 'closed', name: 'Closed', type: 'boolean' },
        textAttribute('subject', 'Subject'),
      ],
    };
    const mapping: ObjectMapping = {
      salesforceObject: 'Case',
      recordType: 'ticket',
      direction: 'bidirectional',
      conflictStrategy: 'salesforce_wins',
      schedule: { kind: 'interval', minutes: 60 },
      fields: [
        fieldMapping('CaseNumber', 'number'),
        fieldMapping('IsClosed', 'closed', 'push'),
        fieldMapping('Subject', 'subject'),
      ],
    };
    const result = validateObjectMapping(mapping, caseType, withId(caseDescribe));
    expect(
      result.problems
        .filter((problem) => problem.code === 'field_not_writable')
        .map((problem) => problem.field),
    ).toEqual(['CaseNumber', 'IsClosed']);
    // Pulling the same fields is fine.
    const pullOnly = validateObjectMapping(
      { ...mapping, direction: 'pull' },
      caseType,
      withId(caseDescribe),
    );
    expect(codes(pullOnly.problems)).not.toContain('field_not_writable');
  });

  it('formula, auto-number and create-only fields of a custom object', () => {
    const mapping = mappedProject([
      { kind: 'field', salesforceField: 'Health__c', attribute: 'summary', direction: 'push' },
      { kind: 'field', salesforceField: 'Project_Number__c', attribute: 'name', direction: 'push' },
      { kind: 'field', salesforceField: 'Origin__c', attribute: 'code', direction: 'push' },
    ]);
    const problems = validateObjectMapping(mapping, project, projectDescribe).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'field_not_writable',
          field: 'Health__c',
          message: expect.stringContaining('formula'),
        }),
        expect.objectContaining({
          code: 'field_not_writable',
          field: 'Project_Number__c',
          message: expect.stringContaining('auto-number'),
        }),
        expect.objectContaining({
          code: 'field_not_updateable',
          field: 'Origin__c',
          severity: 'warning',
        }),
      ]),
    );
    // Limits of a field we cannot write are beside the point.
    expect(problems.filter((problem) => problem.field === 'Health__c')).toHaveLength(1);
  });

  it('Pryzm_ID__c with or without the namespace, External ID and Unique', () => {
    expect(findPryzmIdField(projectDescribe)?.name).toBe('pryzm__Pryzm_ID__c');
    expect(findPryzmIdField(withId(accountDescribe))?.name).toBe('Pryzm_ID__c');
    expect(resolveField(projectDescribe, 'pryzm__Status__c')?.name).toBe('Status__c');
    expect(findPryzmIdField(accountDescribe)).toBeUndefined();

    const clean = validateObjectMapping(mappedProject([]), project, projectDescribe);
    expect(codes(clean.problems)).not.toContain('pryzm_id_field_missing');

    const plain = withFieldChanged(projectDescribe, 'pryzm__Pryzm_ID__c', {
      externalId: false,
      unique: false,
    });
    expect(validateObjectMapping(mappedProject([]), project, plain).problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'pryzm_id_field_not_external_id',
          field: 'pryzm__Pryzm_ID__c',
          severity: 'error',
        }),
        expect.objectContaining({
          code: 'pryzm_id_field_not_unique',
          field: 'pryzm__Pryzm_ID__c',
          severity: 'error',
        }),
      ]),
    );
    const pullOnly = validateObjectMapping(
      defaultAccountMapping(),
      ORGANIZATION_RECORD_TYPE,
      accountDescribe,
      { describeFor },
    );
    expect(pullOnly.problems).toContainEqual(
      expect.objectContaining({ code: 'pryzm_id_field_missing', severity: 'error' }),
    );
    const pulled = validateObjectMapping(
      { ...defaultAccountMapping(), direction: 'pull' },
      ORGANIZATION_RECORD_TYPE,
      accountDescribe,
      {
        describeFor,
      },
    );
    expect(pulled.problems).toContainEqual(
      expect.objectContaining({ code: 'pryzm_id_field_missing', severity: 'warning' }),
    );
  });

  it('picklists: value maps, values without options, options a restricted picklist refuses', () => {
    const mapping = mappedProject([
      {
        kind: 'field',
        salesforceField: 'Status__c',
        attribute: 'status',
        direction: 'bidirectional',
        valueMap: [
          { salesforce: 'Cancelled', pryzm: 'dropped' },
          { salesforce: 'Done', pryzm: 'finished' },
        ],
      },
    ]);
    const problems = validateObjectMapping(mapping, project, projectDescribe).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'value_map_unknown_salesforce_value',
          severity: 'warning',
          message: expect.stringContaining('Cancelled'),
        }),
        expect.objectContaining({
          code: 'value_map_unknown_option',
          severity: 'error',
          message: expect.stringContaining('finished'),
        }),
        expect.objectContaining({
          code: 'option_not_in_picklist',
          message: expect.stringContaining('"Cancelled"'),
        }),
      ]),
    );
    const tags = mappedProject([
      { kind: 'field', salesforceField: 'Tags__c', attribute: 'tags', direction: 'bidirectional' },
    ]);
    const tagProblems = validateObjectMapping(tags, project, projectDescribe).problems;
    expect(tagProblems).toContainEqual(
      expect.objectContaining({
        code: 'option_not_in_picklist',
        message: expect.stringContaining('"delta"'),
      }),
    );
    const narrower = {
      ...project,
      attributes: project.attributes.map((attribute) =>
        attribute.key === 'tags'
          ? { ...a.multiSelect, options: a.multiSelect.options.slice(0, 1) }
          : attribute,
      ),
    };
    expect(validateObjectMapping(tags, narrower, projectDescribe).problems).toContainEqual(
      expect.objectContaining({
        code: 'picklist_value_without_option',
        message: expect.stringContaining('"Beta", "Gamma"'),
      }),
    );
  });

  it('length and scale limits, lookups and directions', () => {
    const mapping = mappedProject([
      {
        kind: 'field',
        salesforceField: 'Summary__c',
        attribute: 'summary',
        direction: 'bidirectional',
      },
      { kind: 'field', salesforceField: 'Seats__c', attribute: 'budget', direction: 'push' },
      { kind: 'field', salesforceField: 'Score__c', attribute: 'seats', direction: 'pull' },
      {
        kind: 'reference',
        salesforceField: 'Account__c',
        targetObject: 'Contact',
        attribute: 'organization',
        direction: 'bidirectional',
      },
      { kind: 'field', salesforceField: 'Start_Date__c', attribute: 'start', direction: 'push' },
      {
        kind: 'field',
        salesforceField: 'Active__c',
        attribute: 'active',
        direction: 'push',
        readOnly: true,
      },
    ]);
    const problems = validateObjectMapping(
      { ...mapping, direction: 'pull' },
      project,
      projectDescribe,
    ).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'direction_outside_object', attribute: 'start' }),
        expect.objectContaining({ code: 'read_only_push', attribute: 'active' }),
        expect.objectContaining({ code: 'reference_target_mismatch', field: 'Account__c' }),
      ]),
    );
    const pushing = validateObjectMapping(mapping, project, projectDescribe).problems;
    expect(pushing).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'text_longer_than_field', field: 'Summary__c' }),
        expect.objectContaining({
          code: 'incompatible_types',
          field: 'Seats__c',
          attribute: 'budget',
        }),
      ]),
    );
    expect(pushing.filter((problem) => problem.field === 'Score__c')).toEqual([]);
  });

  it('two mappings pulling into one attribute', () => {
    const mapping = mappedProject([
      { kind: 'field', salesforceField: 'Summary__c', attribute: 'name', direction: 'pull' },
    ]);
    expect(validateObjectMapping(mapping, project, projectDescribe).problems).toContainEqual(
      expect.objectContaining({ code: 'duplicate_attribute_target', attribute: 'name' }),
    );
  });

  it('a record type that is not the mapping target', () => {
    expect(
      codes(
        validateObjectMapping(
          defaultContactMapping(),
          ORGANIZATION_RECORD_TYPE,
          withId(contactDescribe),
        ).problems,
      ),
    ).toContain('record_type_mismatch');
  });

  it('match rules naming unknown fields or attributes', () => {
    const mapping: ObjectMapping = {
      ...defaultContactMapping(),
      matchRules: [
        { parts: [{ salesforceField: 'Emial', attribute: 'mail', normaliser: 'email' }] },
      ],
    };
    const problems = validateObjectMapping(mapping, PERSON_RECORD_TYPE, withId(contactDescribe), {
      describeFor,
    }).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'unknown_field',
          field: 'Emial',
          message: expect.stringMatching(/^match rule/),
        }),
        expect.objectContaining({ code: 'unknown_attribute', attribute: 'mail' }),
      ]),
    );
  });
});
