import { describe, expect, it } from 'vitest';
import {
  contactDescribe,
  describeFor,
  opportunityDescribe,
  projectDescribe,
} from './__fixtures__/describes.ts';
import {
  createDefaultMappings,
  defaultAccountMapping,
  defaultContactMapping,
  fitMappingToDescribe,
} from './defaults.ts';
import { objectMappingSchema } from './object-mapping.ts';
import { fieldMapping, projectMapping } from './__fixtures__/projects.ts';

describe('createDefaultMappings', () => {
  it('maps Account, Contact and Opportunity on connect', () => {
    const defaults = createDefaultMappings(opportunityDescribe);
    expect(defaults.recordTypes.map((recordType) => recordType.key)).toEqual([
      'organization',
      'person',
      'deal',
    ]);
    expect(
      defaults.objectMappings.map((mapping) => [mapping.salesforceObject, mapping.recordType]),
    ).toEqual([
      ['Account', 'organization'],
      ['Contact', 'person'],
      ['Opportunity', 'deal'],
    ]);
    for (const mapping of defaults.objectMappings) {
      expect(objectMappingSchema.safeParse(mapping).success).toBe(true);
    }
  });

  it('leaves the pipeline out without an Opportunity describe', () => {
    expect(
      createDefaultMappings().objectMappings.map((mapping) => mapping.salesforceObject),
    ).toEqual(['Account', 'Contact']);
  });

  it('holds the default field mappings the connector promises', () => {
    const contact = defaultContactMapping().fields;
    expect(contact).toContainEqual(
      expect.objectContaining({
        kind: 'full_name',
        firstNameField: 'FirstName',
        lastNameField: 'LastName',
        attribute: 'full_name',
      }),
    );
    expect(contact).toContainEqual(
      expect.objectContaining({ salesforceField: 'Email', attribute: 'primary_email' }),
    );
    expect(contact).toContainEqual(
      expect.objectContaining({
        kind: 'reference',
        salesforceField: 'AccountId',
        targetObject: 'Account',
        attribute: 'organization',
      }),
    );
    expect(contact).toContainEqual(
      expect.objectContaining({
        salesforceField: 'Account.Name',
        direction: 'pull',
        readOnly: true,
      }),
    );
    expect(
      defaultAccountMapping().fields.map(
        (field) => field.kind === 'field' && field.salesforceField,
      ),
    ).toEqual(expect.arrayContaining(['Name', 'Website', 'Industry', 'Phone']));
  });
});

describe('fitMappingToDescribe', () => {
  it('drops fields the org lacks and keeps parent paths it cannot check', () => {
    const fitted = fitMappingToDescribe(defaultContactMapping(), contactDescribe);
    const attributes = fitted.fields.map((field) => field.attribute);
    expect(attributes).not.toContain('email_opt_out');
    expect(attributes).toContain('organization_name');
    expect(attributes).toHaveLength(defaultContactMapping().fields.length - 1);
  });

  it('turns fields Salesforce will not let us write into read-only pulls', () => {
    const mapping = projectMapping([
      fieldMapping('Health__c', 'health'),
      fieldMapping('Name', 'name'),
      fieldMapping('Account__r.Name', 'account_name'),
    ]);
    const fitted = fitMappingToDescribe(mapping, projectDescribe, describeFor);
    expect(
      fitted.fields.map((field) => [field.attribute, field.direction, field.readOnly]),
    ).toEqual([
      ['health', 'pull', true],
      ['name', 'bidirectional', undefined],
      ['account_name', 'pull', true],
    ]);
  });
});
