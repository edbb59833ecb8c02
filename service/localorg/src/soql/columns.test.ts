import { describe, expect, it } from 'vitest';
import { columnMetadata, SoqlError } from './index.ts';
import { sampleSource } from './__fixtures__/memory-source.ts';

const source = sampleSource();

describe('columnMetadata', () => {
  it('describes plain and parent columns as the query endpoint does with columns=true', () => {
    const result = columnMetadata(
      'SELECT id, Name, NumberOfEmployees, Active__c, Owner.Name, Owner.Email FROM Account',
      source,
    );
    expect(result.entityName).toBe('Account');
    expect(result.groupBy).toBe(false);
    expect(result.idSelected).toBe(true);
    expect(result.keyPrefix).toBe('001');
    expect(result.columnMetadata.map((c) => c.columnName)).toEqual([
      'Id',
      'Name',
      'NumberOfEmployees',
      'Active__c',
      'Owner',
    ]);
    const [id, name, employees, active, owner] = result.columnMetadata;
    expect(id).toEqual({
      aggregate: false,
      apexType: 'Id',
      booleanType: false,
      columnName: 'Id',
      custom: false,
      displayName: 'Id',
      foreignKeyName: null,
      insertable: false,
      joinColumns: [],
      numberType: false,
      textType: false,
      updatable: false,
    });
    expect(name).toMatchObject({
      apexType: 'String',
      textType: true,
      insertable: true,
      updatable: true,
    });
    expect(employees).toMatchObject({ apexType: 'Integer', numberType: true });
    expect(active).toMatchObject({ apexType: 'Boolean', booleanType: true, custom: true });
    expect(owner).toMatchObject({ aggregate: false, apexType: null, displayName: 'Owner' });
    expect(owner?.joinColumns.map((c) => [c.columnName, c.apexType])).toEqual([
      ['Name', 'String'],
      ['Email', 'String'],
    ]);
  });

  it('names aggregate columns expr0 or by alias, with the function as displayName', () => {
    const result = columnMetadata(
      'SELECT StageName, COUNT(Id), SUM(Amount) total FROM Opportunity GROUP BY StageName',
      source,
    );
    expect(result.groupBy).toBe(true);
    expect(result.idSelected).toBe(false);
    expect(
      result.columnMetadata.map((c) => [c.columnName, c.displayName, c.aggregate, c.apexType]),
    ).toEqual([
      ['StageName', 'StageName', false, 'String'],
      ['expr0', 'COUNT(Id)', true, 'Integer'],
      ['total', 'SUM(Amount)', true, 'Decimal'],
    ]);
  });

  it('describes a child subquery as an aggregate column with join columns', () => {
    const result = columnMetadata(
      'SELECT Name, (SELECT LastName, Email FROM Contacts) FROM Account',
      source,
    );
    const contacts = result.columnMetadata[1];
    expect(contacts).toMatchObject({ columnName: 'Contacts', aggregate: true });
    expect(contacts?.joinColumns.map((c) => c.columnName)).toEqual(['LastName', 'Email']);
  });

  it('reports the same errors as the query itself', () => {
    expect(() => columnMetadata('SELECT Nope FROM Account', source)).toThrow(SoqlError);
    expect(() => columnMetadata('SELECT Id FROM Nope', source)).toThrow(
      /sObject type 'Nope' is not supported/,
    );
  });
});
