import { describe, expect, it } from 'vitest';
import { positionedMessage } from './errors.ts';

describe('positionedMessage', () => {
  it('quotes a short row whole with the caret under the column', () => {
    expect(positionedMessage('SELECT Id, Nope FROM Account', 11, 'x')).toBe(
      '\nSELECT Id, Nope FROM Account\n           ^\nERROR at Row:1:Column:12\nx',
    );
  });

  it('quotes a long row from the first whole token within 43 characters before the error', () => {
    const soql =
      'SELECT Id, Name, AccountNumber, LastModifiedById,NumberOfEmployees,OwnerId,Ownership,ParentId FROM Account';
    const offset = soql.indexOf('Ownership');
    expect(positionedMessage(soql, offset, 'x')).toBe(
      `\nLastModifiedById,NumberOfEmployees,OwnerId,Ownership,ParentId FROM Account\n${' '.repeat(43)}^\nERROR at Row:1:Column:${offset + 1}\nx`,
    );
  });

  it('quotes only the row of the error, counting rows and columns from 1', () => {
    const soql =
      "SELECT Id, Email, Name\nFROM Contact\nWHERE AccountId = '0014000000p6XlS' AND LastName LIKE 'test' OR email LIKE 'test'";
    const offset = soql.indexOf(' OR ') + 1;
    expect(positionedMessage(soql, offset, "unexpected token: 'OR'")).toBe(
      `\n'0014000000p6XlS' AND LastName LIKE 'test' OR email LIKE 'test'\n${' '.repeat(43)}^\nERROR at Row:3:Column:62\nunexpected token: 'OR'`,
    );
  });
});
