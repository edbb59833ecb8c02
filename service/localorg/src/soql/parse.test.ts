import { describe, expect, it } from 'vitest';
import { parseSoql } from './parse.ts';
import { SoqlError } from './errors.ts';

function messageOf(soql: string): string {
  try {
    parseSoql(soql);
  } catch (error) {
    if (error instanceof SoqlError && error.errorCode === 'MALFORMED_QUERY') return error.message;
    throw error;
  }
  throw new Error(`parsed: ${soql}`);
}

describe('parseSoql errors', () => {
  const cases: [string, string][] = [
    [
      'SELECT Id FROM',
      "\nSELECT Id FROM\n              ^\nERROR at Row:1:Column:15\nunexpected token: '<EOF>'",
    ],
    [
      'SELECT Id, FROM Account',
      "\nSELECT Id, FROM Account\n           ^\nERROR at Row:1:Column:12\nunexpected token: 'FROM'",
    ],
    [
      "SELECT Id\nFROM Account\nWHERE Name = 'O'Brien'",
      "\nWHERE Name = 'O'Brien'\n                ^\nERROR at Row:3:Column:17\nunexpected token: 'Brien'",
    ],
    [
      "SELECT Id FROM Account WHERE Name = 'FROM' FROM",
      "\nSELECT Id FROM Account WHERE Name = 'FROM' FROM\n                                           ^\nERROR at Row:1:Column:44\nunexpected token: 'FROM'",
    ],
    [
      'SELECT Id FROM Account LIMIT x',
      "\nSELECT Id FROM Account LIMIT x\n                             ^\nERROR at Row:1:Column:30\nunexpected token: 'x'",
    ],
    [
      'SELECT Id FROM Account WHERE Name = # ',
      "\nSELECT Id FROM Account WHERE Name = # \n                                    ^\nERROR at Row:1:Column:37\nunexpected token: '#'",
    ],
  ];
  it.each(cases)('%j', (soql, message) => {
    expect(messageOf(soql)).toBe(message);
  });
});
