import { describe, expect, it } from 'vitest';
import { readOnlySoql } from './soql-passthrough.ts';

describe('read-only SOQL', () => {
  it('accepts a SELECT and sends the text regenerated from its parse', () => {
    const checked = readOnlySoql("select Id, Name from Account where Name = 'A' limit 5");
    expect(checked).toEqual({
      ok: true,
      value: "SELECT Id, Name FROM Account WHERE Name = 'A' LIMIT 5",
    });
    expect(readOnlySoql('SELECT COUNT() FROM Contact').ok).toBe(true);
    expect(readOnlySoql('SELECT Id, (SELECT Id FROM Contacts) FROM Account').ok).toBe(true);
  });

  it('refuses anything that is not one plain SELECT', () => {
    for (const text of [
      'DELETE FROM Account',
      "UPDATE Account SET Name = 'x'",
      'SELECT Id FROM Account; SELECT Id FROM Contact',
      'FIND {Acme} IN ALL FIELDS',
      '',
      'SELECT FROM',
    ]) {
      expect(readOnlySoql(text), text).toMatchObject({
        ok: false,
        error: { code: 'soql_invalid' },
      });
    }
  });

  it('refuses the clauses that write or lock', () => {
    for (const text of [
      'SELECT Id FROM Account LIMIT 1 FOR VIEW',
      'SELECT Id FROM Account LIMIT 1 FOR REFERENCE',
      'SELECT Id FROM Account LIMIT 1 FOR UPDATE',
      "SELECT Title FROM FAQ__kav WHERE PublishStatus = 'online' UPDATE VIEWSTAT",
    ]) {
      expect(readOnlySoql(text), text).toMatchObject({
        ok: false,
        error: { code: 'soql_not_read_only' },
      });
    }
  });

  it('refuses very long text before parsing it', () => {
    expect(
      readOnlySoql(`SELECT Id FROM Account WHERE Name = '${'x'.repeat(20_001)}'`),
    ).toMatchObject({
      ok: false,
      error: { code: 'soql_too_long' },
    });
  });
});
