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

export function quote(value: string): string {
  return value.includes('"') ? `"${value.replace(/"/g, '""')}"` : `"${value}"`;
}

export function csvRow(cells: (string | null)[], delimiter: string): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) out += delimiter;
    const c = cells[i];
    if (c !== null && c !== undefined) out += quote(c);
  }
  return out;
}

export function csvText(
  headers: string[],
  rows: (string | null)[][],
  delimiter: string,
  lineEnding: string,
): string {
  const parts: string[] = [csvRow(headers, delimiter)];
  for (const row of rows) parts.push(csvRow(row, delimiter));
  return parts.join(lineEnding) + lineEnding;
}
