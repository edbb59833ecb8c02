/**
 * CSV as Bulk API 2.0 writes it: every value in double quotes (inner quotes doubled), null as
 * an empty unquoted cell, the job's column delimiter and line ending.
 */

export const DELIMITERS: Record<string, string> = {
  COMMA: ',',
  TAB: '\t',
  PIPE: '|',
  SEMICOLON: ';',
  CARET: '^',
  BACKQUOTE: '`',
};

export const LINE_ENDINGS: Record<string, string> = { LF: '\n', CRLF: '\r\n' };

const QUOTE = /"/g;

export function quote(value: string): string {
  return value.indexOf('"') === -1 ? '"' + value + '"' : '"' + value.replace(QUOTE, '""') + '"';
}

export function csvRow(cells: (string | null)[], delimiter: string): string {
  let out = '';
  const n = cells.length;
  for (let i = 0; i < n; i++) {
    const c = cells[i];
    if (i > 0) out += delimiter;
    if (c != null) out += c.indexOf('"') === -1 ? '"' + c + '"' : quote(c);
  }
  return out;
}

export function csvText(
  headers: string[],
  rows: (string | null)[][],
  delimiter: string,
  lineEnding: string,
): string {
  let out = csvRow(headers, delimiter) + lineEnding;
  for (let i = 0; i < rows.length; i++) out += csvRow(rows[i] ?? [], delimiter) + lineEnding;
  return out;
}
