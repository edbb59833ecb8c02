/**
 * SOQL errors in the form Salesforce's query endpoint reports them: an `errorCode` from the
 * API's ExceptionCode enum and, for errors tied to a place in the query, a message that quotes
 * the offending row with a caret under the column.
 */
export class SoqlError extends Error {
  readonly errorCode: string;

  constructor(errorCode: string, message: string) {
    super(message);
    this.name = 'SoqlError';
    this.errorCode = errorCode;
  }
}

/** Row and column (both 1-based) of a character offset in the query text. */
function rowAndColumn(soql: string, offset: number): { row: number; column: number } {
  const before = soql.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { row: lines.length, column: (lines[lines.length - 1] ?? '').length + 1 };
}

/** How far back from the error a quoted row reaches: Salesforce shows up to 43 characters. */
const SNIPPET_LEAD = 43;

/**
 * Salesforce's positioned message: the query row holding the error (from the first whole token
 * within 43 characters before the error, when the row is longer), a caret under the column,
 * `ERROR at Row:r:Column:c` and the explanation.
 */
export function positionedMessage(soql: string, offset: number, explanation: string): string {
  const { row, column } = rowAndColumn(soql, offset);
  const line = soql.split('\n')[row - 1] ?? '';
  let start = 0;
  if (column - 1 > SNIPPET_LEAD) {
    start = column - 1 - SNIPPET_LEAD;
    while (start < column - 1 && !isTokenStart(line, start)) start++;
  }
  const caret = ' '.repeat(column - 1 - start);
  return `\n${line.slice(start)}\n${caret}^\nERROR at Row:${row}:Column:${column}\n${explanation}`;
}

function isTokenStart(line: string, index: number): boolean {
  const ch = line.charAt(index);
  if (ch === '' || /\s/.test(ch)) return false;
  return index === 0 || /[\s,()]/.test(line.charAt(index - 1));
}

/**
 * Where an identifier first appears in the query as a whole word (case-insensitive), searching
 * from `from`; 0 when it cannot be found (the message then points at the query's start).
 */
export function locate(soql: string, token: string, from = 0): number {
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(^|[^A-Za-z0-9_.])(${escaped})(?![A-Za-z0-9_])`, 'gi');
  re.lastIndex = from;
  const match = re.exec(soql);
  return match ? match.index + (match[1] ?? '').length : 0;
}

const WSDL_HINT = 'Please reference your WSDL or the describe call for the appropriate names.';

export function noSuchColumn(soql: string, offset: number, field: string, entity: string) {
  return new SoqlError(
    'INVALID_FIELD',
    positionedMessage(
      soql,
      offset,
      `No such column '${field}' on entity '${entity}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. ${WSDL_HINT}`,
    ),
  );
}

export function unknownRelationship(soql: string, offset: number, relationship: string) {
  return new SoqlError(
    'INVALID_FIELD',
    positionedMessage(
      soql,
      offset,
      `Didn't understand relationship '${relationship}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. ${WSDL_HINT}`,
    ),
  );
}

export function unsupportedSObject(soql: string, offset: number, objectName: string) {
  return new SoqlError(
    'INVALID_TYPE',
    positionedMessage(
      soql,
      offset,
      `sObject type '${objectName}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. ${WSDL_HINT}`,
    ),
  );
}

export function malformed(soql: string, offset: number, explanation: string) {
  return new SoqlError('MALFORMED_QUERY', positionedMessage(soql, offset, explanation));
}

export function invalidFilter(soql: string, offset: number, explanation: string) {
  return new SoqlError(
    'INVALID_QUERY_FILTER_OPERATOR',
    positionedMessage(soql, offset, explanation),
  );
}
