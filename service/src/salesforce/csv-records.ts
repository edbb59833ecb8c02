/**
 * One row of a Bulk API 2.0 CSV result: header names (the SOQL field paths, e.g. `Account.Name`)
 * to cell text, an empty cell as null (Salesforce stores no empty strings: empty is null).
 */
export type CsvRecord = Record<string, string | null>;

/**
 * CSV as Bulk API 2.0 writes it, and nothing more general: UTF-8, a header row first, one
 * delimiter character (the job's `columnDelimiter`: comma by default), records ending in `LF`
 * or `CRLF` (the job's `lineEnding`), fields in double quotes where they hold the delimiter, a
 * quote or a line break, a quote inside doubled (RFC 4180, https://www.rfc-editor.org/rfc/rfc4180;
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/datafiles_prepare_csv.htm).
 * A general CSV library spent about a tenth of a pull's CPU time on options Salesforce never
 * uses; this parser cuts fields out of the decoded text with `indexOf` and `slice`.
 *
 * Malformed input fails: a record with more or fewer fields than the header, a quote inside an
 * unquoted field, text after a closing quote, a quoted field never closed.
 */
class BulkCsvParser {
  #text = '';
  #line = 1;
  #headers: string[] | undefined;
  readonly #delimiter: number;

  constructor(delimiter: string) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new Error(`Not a CSV delimiter: ${JSON.stringify(delimiter)}`);
    }
    this.#delimiter = delimiter.charCodeAt(0);
  }

  /**
   * Adds decoded text and appends each record it completes to `out`. `final`: no more text
   * follows, so a last record without a line ending is complete too.
   */
  push(text: string, final: boolean, out: CsvRecord[]): void {
    const all = this.#text.length > 0 ? this.#text + text : text;
    let at = 0;
    const fields: string[] = [];
    for (;;) {
      fields.length = 0;
      const end = this.#record(all, at, final, fields);
      if (end < 0) break;
      const empty = end === at || (fields.length === 1 && fields[0] === '' && isLineEnd(all, at));
      at = end;
      if (empty) continue;
      if (!this.#headers) this.#headers = fields.slice();
      else out.push(this.#toRecord(fields));
      if (at >= all.length) break;
    }
    this.#text = at >= all.length ? '' : all.slice(at);
    if (final && this.#text.length > 0) {
      throw new Error(`CSV: a quoted field opened on line ${this.#line} is never closed`);
    }
  }

  #toRecord(fields: string[]): CsvRecord {
    const headers = this.#headers!;
    if (fields.length !== headers.length) {
      throw new Error(
        `CSV: expected ${headers.length} fields, found ${fields.length} on line ${this.#line - 1}`,
      );
    }
    const record: CsvRecord = {};
    for (let i = 0; i < headers.length; i++) {
      const cell = fields[i]!;
      record[headers[i]!] = cell === '' ? null : cell;
    }
    return record;
  }

  /**
   * Reads the record that starts at `at` into `fields`; answers where the next one starts, or
   * -1 when the text ends before the record does (more text is needed).
   */
  #record(text: string, at: number, final: boolean, fields: string[]): number {
    const length = text.length;
    if (at >= length) return -1;
    let lines = 0;
    let pos = at;
    for (;;) {
      let value: string;
      if (text.charCodeAt(pos) === QUOTE) {
        // A quoted field: up to the next quote not doubled.
        let close = text.indexOf('"', pos + 1);
        let doubled = false;
        while (close >= 0 && text.charCodeAt(close + 1) === QUOTE) {
          doubled = true;
          close = text.indexOf('"', close + 2);
        }
        if (close < 0 || (close + 1 >= length && !final)) return -1;
        value = text.slice(pos + 1, close);
        if (doubled) value = value.replaceAll('""', '"');
        lines += countLineFeeds(value);
        pos = close + 1;
        if (pos < length) {
          const next = text.charCodeAt(pos);
          if (next !== this.#delimiter && next !== LF && next !== CR) {
            throw new Error(`CSV: text after a closing quote on line ${this.#line + lines}`);
          }
        }
      } else {
        // An unquoted field: up to the delimiter or the line's end.
        let end = pos;
        for (; end < length; end++) {
          const code = text.charCodeAt(end);
          if (code === this.#delimiter || code === LF) break;
          if (code === CR && (end + 1 >= length || text.charCodeAt(end + 1) === LF)) break;
          if (code === QUOTE) {
            throw new Error(`CSV: a quote inside an unquoted field on line ${this.#line + lines}`);
          }
        }
        if (end >= length && !final) return -1;
        value = text.slice(pos, end);
        pos = end;
      }
      fields.push(value);
      if (pos >= length) {
        // The text's end is the record's end only when no more text follows.
        if (!final) return -1;
        this.#line += lines + 1;
        return pos;
      }
      const code = text.charCodeAt(pos);
      if (code === this.#delimiter) {
        pos += 1;
        // A delimiter last in the text: the record's last field may still follow.
        if (pos >= length && !final) return -1;
        if (pos >= length) {
          fields.push('');
          this.#line += lines + 1;
          return pos;
        }
        continue;
      }
      if (code === CR) {
        if (pos + 1 >= length && !final) return -1;
        pos += text.charCodeAt(pos + 1) === LF ? 2 : 1;
      } else {
        pos += 1;
      }
      this.#line += lines + 1;
      return pos;
    }
  }
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

function isLineEnd(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return code === LF || code === CR;
}

function countLineFeeds(value: string): number {
  let count = 0;
  for (let at = value.indexOf('\n'); at >= 0; at = value.indexOf('\n', at + 1)) count++;
  return count;
}

/**
 * Parses CSV as Bulk API 2.0 writes it (see BulkCsvParser; a UTF-8 byte order mark is dropped)
 * as it streams in: a network chunk at a time, never the whole text in memory.
 */
export async function* csvRecords(
  body: ReadableStream<Uint8Array> | null,
  delimiter = ',',
): AsyncGenerator<CsvRecord> {
  if (!body) return;
  const parser = new BulkCsvParser(delimiter);
  // TextDecoder drops a leading BOM (ignoreBOM is false) and joins characters cut across chunks.
  const decoder = new TextDecoder('utf-8');
  const reader = body.getReader();
  const out: CsvRecord[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      parser.push(done ? decoder.decode() : decoder.decode(value, { stream: true }), done, out);
      for (const record of out) yield record;
      out.length = 0;
      if (done) return;
    }
  } finally {
    // Stops reading when the consumer leaves early (or parsing failed).
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/**
 * Every record of a CSV text already decoded whole (a leading byte order mark is dropped): a
 * result page read ahead is kept as its text, parsed in one pass without a second copy of its
 * bytes.
 */
export function parseCsvText(text: string, delimiter = ','): CsvRecord[] {
  const records: CsvRecord[] = [];
  new BulkCsvParser(delimiter).push(
    text.charCodeAt(0) === 0xfeff ? text.slice(1) : text,
    true,
    records,
  );
  return records;
}

/** Every record of one CSV body (one result page: its size is bounded by `maxRecords`). */
export async function readCsvRecords(
  body: ReadableStream<Uint8Array> | null,
  delimiter = ',',
): Promise<CsvRecord[]> {
  if (!body) return [];
  const parser = new BulkCsvParser(delimiter);
  const decoder = new TextDecoder('utf-8');
  const reader = body.getReader();
  const records: CsvRecord[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      parser.push(done ? decoder.decode() : decoder.decode(value, { stream: true }), done, records);
      if (done) return records;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
