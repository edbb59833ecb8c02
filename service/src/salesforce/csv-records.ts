import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { parse } from 'csv-parse';

/**
 * One row of a Bulk API 2.0 CSV result: header names (the SOQL field paths, e.g. `Account.Name`)
 * to cell text, an empty cell as null (Salesforce stores no empty strings: empty is null).
 */
export type CsvRecord = Record<string, string | null>;

/**
 * Parses CSV as Bulk API 2.0 writes it (header row first, RFC 4180 quoting, `LF` or `CRLF`)
 * as it streams in: one record at a time, never the whole text in memory.
 */
export async function* csvRecords(
  body: ReadableStream<Uint8Array> | null,
  delimiter = ',',
): AsyncGenerator<CsvRecord> {
  if (!body) return;
  const source = Readable.fromWeb(body as WebReadableStream<Uint8Array>);
  const parser = parse({ delimiter, bom: true, skip_empty_lines: true, relax_column_count: false });
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  let headers: string[] | undefined;
  try {
    for await (const row of parser as AsyncIterable<string[]>) {
      if (!headers) {
        headers = row;
        continue;
      }
      const record: CsvRecord = {};
      for (let i = 0; i < headers.length; i++) {
        const cell = row[i];
        record[headers[i] as string] = cell === undefined || cell === '' ? null : cell;
      }
      yield record;
    }
  } finally {
    // Stops reading when the consumer leaves early (or parsing failed).
    source.destroy();
    parser.destroy();
  }
}

/** Every record of one CSV body (one result page: its size is bounded by `maxRecords`). */
export async function readCsvRecords(
  body: ReadableStream<Uint8Array> | null,
  delimiter = ',',
): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for await (const record of csvRecords(body, delimiter)) records.push(record);
  return records;
}
