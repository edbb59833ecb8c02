import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parseUpload } from './ingest-csv.ts';

/** What csv-parse gives with the ingest job's options, or its error message. */
function library(text: string, delimiter: string): string[][] | string {
  try {
    return parse(text, {
      delimiter,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
    }) as string[][];
  } catch (error) {
    return (error as Error).message;
  }
}

function ours(text: string, delimiter: string): string[][] | string {
  try {
    return parseUpload(text, delimiter);
  } catch (error) {
    return (error as Error).message;
  }
}

describe('ingest upload rows', () => {
  const uploads = [
    'Id,Pryzm_ID__c\n001000000000001AAA,pz-1\n001000000000002AAA,pz-2\n',
    'Id,Pryzm_ID__c\n001000000000001AAA,pz-1',
    '\uFEFFId,Name\n1,Acme\n\n\n2,Beta\n',
    'a,b\n1\n',
    'a,b\n \n',
    'a,b\n1,2\n,\n',
    'a\n#x\n\n',
    'a,b\r\n1,2\r\n',
    'a,b\n"1,5",2\n"say ""hi""",3\n',
    'a,b\n1,x"y\n',
    'a,b\n1,"unterminated\n',
    '\uFEFF',
    '\n\n',
    'a|b\n1|2\n3|4|5\n',
    'a\tb\n1 \t 2\n',
  ];
  it('gives the rows (or the error) csv-parse gives, with and without quotes', () => {
    for (const text of uploads) {
      for (const delimiter of [',', '|', '\t']) {
        expect(ours(text, delimiter), JSON.stringify([text, delimiter])).toEqual(
          library(text, delimiter),
        );
      }
    }
  });
});
