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
  const n = cells.length;
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const c = cells[i];
    out[i] = c == null ? '' : c.indexOf('"') === -1 ? '"' + c + '"' : quote(c);
  }
  return out.join(delimiter);
}

export function csvText(
  headers: string[],
  rows: (string | null)[][],
  delimiter: string,
  lineEnding: string,
): string {
  const lines = new Array<string>(rows.length + 1);
  lines[0] = csvRow(headers, delimiter);
  for (let i = 0; i < rows.length; i++) lines[i + 1] = csvRow(rows[i] ?? [], delimiter);
  return lines.join(lineEnding) + lineEnding;
}
