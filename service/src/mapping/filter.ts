import { createRequire } from 'node:module';
import type * as Soql from '@jetstreamapp/soql-parser-js';
import type { LiteralType, Query, WhereClause } from '@jetstreamapp/soql-parser-js';
import {
  TEXT_FIELD_TYPES,
  type DescribeLookup,
  type FieldDescribe,
  type SObjectDescribe,
} from './describe-types.ts';
import { resolveFieldPath } from './field-paths.ts';

/**
 * Object mapping filters: a SOQL WHERE expression that may only compare real fields with
 * literals. The text is parsed, every field is checked against the describe, and the WHERE text
 * is regenerated from the parse tree, so what reaches a query is never the user's raw text.
 */

export type FilterProblemCode =
  | 'filter_empty'
  | 'filter_semicolon'
  | 'filter_syntax'
  | 'filter_clause_not_allowed'
  | 'filter_subquery'
  | 'filter_function'
  | 'filter_bind_variable'
  | 'filter_unknown_field'
  | 'filter_field_not_filterable'
  | 'filter_operator_not_allowed'
  | 'filter_value_type_mismatch';

export interface FilterProblem {
  code: FilterProblemCode;
  /** The field as written in the filter, when the problem is about one. */
  field?: string;
  message: string;
}

export type FilterResult =
  | {
      ok: true;
      /** The normalised expression (no `WHERE`), with the org's API names. */
      where: string;
      /** Field paths the filter reads, with the org's API names. */
      fields: string[];
    }
  | { ok: false; problems: FilterProblem[] };

/** Thrown by `filterWhereClause` when a filter is not acceptable. */
export class FilterError extends Error {
  override readonly name = 'FilterError';
  constructor(readonly problems: FilterProblem[]) {
    super(problems.map((problem) => problem.message).join('; '));
  }
}

let soqlParser: typeof Soql | undefined;

/**
 * The SOQL parser, loaded on the first filter rather than when this module is imported: building
 * its grammar takes about a second of CPU and 14 MB of memory, and every service process imports
 * the mapping core while most mappings have no filter (a full pull of the default mappings never
 * parses one). Its CommonJS build, so that loading it stays synchronous; the passthrough query
 * (connections/soql-passthrough.ts) loads the same module instance.
 */
function parser(): typeof Soql {
  soqlParser ??= createRequire(import.meta.url)('@jetstreamapp/soql-parser-js') as typeof Soql;
  return soqlParser;
}

/** Offsets of the characters of `text` outside string literals (SOQL escapes use a backslash). */
function* offsetsOutsideStrings(text: string): Generator<number> {
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inString && char === '\\') index += 1;
    else if (char === "'") inString = !inString;
    else if (!inString) yield index;
  }
}

/** Whether text has a `;` outside string literals. */
function hasSemicolonOutsideStrings(text: string): boolean {
  for (const index of offsetsOutsideStrings(text)) if (text[index] === ';') return true;
  return false;
}

/** The first `:name` outside string literals (an Apex bind variable), if any. */
function bindVariableOutsideStrings(text: string): string | undefined {
  for (const index of offsetsOutsideStrings(text)) {
    if (text[index] !== ':') continue;
    const name = /^:\s*[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(index))?.[0];
    if (name) return name.replace(/\s+/g, '');
  }
  return undefined;
}

/**
 * A parser error said the way people read it: where in the filter, and what was expected. The
 * parser reports offsets in the whole query; the filter starts `prefixLength` characters in.
 */
function syntaxMessage(error: unknown, text: string, prefixLength: number): string {
  const raw = error instanceof Error ? error.message : String(error);
  const offset = /at offset: (\d+)/.exec(raw);
  if (offset) {
    const position = Math.max(1, Number(offset[1]) - prefixLength + 1);
    const found = text.charAt(position - 1);
    return `not a SOQL condition: unexpected ${found ? `"${found}"` : 'character'} at position ${position}${found === "'" ? ' (a quote is not closed)' : ''}`;
  }
  const expected = /Expecting a token type of --> (\w+) <-- but found --> '(.*)' <--/.exec(raw);
  if (expected) {
    const wanted = expected[1] === 'RParen' ? '")"' : expected[1];
    return `not a SOQL condition: expected ${wanted} but found ${expected[2] ? `"${expected[2]}"` : 'the end of the filter'}`;
  }
  const dangling = /\b(AND|OR|NOT)\s*$/i.exec(text);
  if (dangling) {
    return `not a SOQL condition: the filter ends with ${dangling[1]?.toUpperCase()}; a condition must follow`;
  }
  return 'not a SOQL condition: write field operator value (=, !=, <, <=, >, >=, LIKE, IN, NOT IN, INCLUDES, EXCLUDES), joined by AND, OR and NOT, strings in single quotes';
}

function literalTypesFor(fieldType: string): ReadonlySet<LiteralType> | undefined {
  if (TEXT_FIELD_TYPES.has(fieldType)) return new Set(['STRING', 'NULL']);
  switch (fieldType) {
    case 'int':
    case 'long':
    case 'double':
    case 'percent':
      return new Set(['INTEGER', 'DECIMAL', 'NULL']);
    case 'currency':
      return new Set([
        'INTEGER',
        'DECIMAL',
        'INTEGER_WITH_CURRENCY_PREFIX',
        'DECIMAL_WITH_CURRENCY_PREFIX',
        'NULL',
      ]);
    case 'boolean':
      return new Set(['BOOLEAN', 'NULL']);
    case 'date':
      return new Set(['DATE', 'DATE_LITERAL', 'DATE_N_LITERAL', 'NULL']);
    case 'datetime':
      return new Set(['DATETIME', 'DATE_LITERAL', 'DATE_N_LITERAL', 'NULL']);
    default:
      return undefined;
  }
}

function operatorAllowed(operator: string, field: FieldDescribe): boolean {
  switch (operator) {
    case 'INCLUDES':
    case 'EXCLUDES':
      return field.type === 'multipicklist';
    case 'LIKE':
      return (
        TEXT_FIELD_TYPES.has(field.type) &&
        !['multipicklist', 'id', 'reference'].includes(field.type)
      );
    case '<':
    case '>':
    case '<=':
    case '>=':
      return field.type !== 'boolean' && field.type !== 'multipicklist';
    case 'IN':
    case 'NOT IN':
      return field.type !== 'multipicklist';
    default:
      return true;
  }
}

const ALLOWED_QUERY_KEYS = new Set(['fields', 'sObject', 'where']);

/**
 * Parses and checks a filter against the object's describe (and parents' describes for paths
 * such as `Account.Industry`). Reports every problem found; on success returns the normalised
 * WHERE expression to append after `WHERE`.
 */
export function normaliseFilter(
  filter: string,
  describe: SObjectDescribe,
  describeFor?: DescribeLookup,
): FilterResult {
  const text = filter.trim().replace(/^where\s+/i, '');
  if (text === '') {
    return { ok: false, problems: [{ code: 'filter_empty', message: 'the filter is empty' }] };
  }
  if (hasSemicolonOutsideStrings(text)) {
    return {
      ok: false,
      problems: [
        { code: 'filter_semicolon', message: 'a filter cannot contain ";" outside quotes' },
      ],
    };
  }
  const bind = bindVariableOutsideStrings(text);
  if (bind) {
    return {
      ok: false,
      problems: [
        {
          code: 'filter_bind_variable',
          message: `bind variables such as ${bind} are not allowed; write the value itself`,
        },
      ],
    };
  }
  const prefix = `SELECT Id FROM ${describe.name} WHERE `;
  let query: Query;
  try {
    query = parser().parseQuery(`${prefix}${text}`);
  } catch (error) {
    return {
      ok: false,
      problems: [{ code: 'filter_syntax', message: syntaxMessage(error, text, prefix.length) }],
    };
  }
  const problems: FilterProblem[] = [];
  const extra = Object.keys(query).filter((key) => !ALLOWED_QUERY_KEYS.has(key));
  if (extra.length > 0 || query.sObject !== describe.name || !query.where) {
    problems.push({
      code: 'filter_clause_not_allowed',
      message: `a filter is a condition only; found ${extra.join(', ') || 'another clause'}`,
    });
  }
  const where = structuredClone(query.where);
  const fields: string[] = [];
  if (where) checkClause(where, describe, describeFor, problems, fields);
  if (problems.length > 0) return { ok: false, problems };
  const composed = parser().composeQuery({
    fields: [{ type: 'Field', field: 'Id' }],
    sObject: describe.name,
    where,
  });
  if (!composed.startsWith(prefix)) {
    return {
      ok: false,
      problems: [{ code: 'filter_syntax', message: 'the filter could not be rebuilt' }],
    };
  }
  return { ok: true, where: composed.slice(prefix.length), fields: [...new Set(fields)] };
}

/** The normalised WHERE expression of a filter; throws `FilterError` listing every problem. */
export function filterWhereClause(
  filter: string,
  describe: SObjectDescribe,
  describeFor?: DescribeLookup,
): string {
  const result = normaliseFilter(filter, describe, describeFor);
  if (!result.ok) throw new FilterError(result.problems);
  return result.where;
}

function checkClause(
  clause: WhereClause,
  describe: SObjectDescribe,
  describeFor: DescribeLookup | undefined,
  problems: FilterProblem[],
  fields: string[],
): void {
  const condition = clause.left;
  if (condition) {
    if ('valueQuery' in condition) {
      problems.push({
        code: 'filter_subquery',
        field: condition.field,
        message: `a filter cannot contain a subquery (${condition.field} ${condition.operator} (SELECT ...))`,
      });
    } else if ('fn' in condition) {
      problems.push({
        code: 'filter_function',
        message: `a filter compares fields only; ${condition.fn.rawValue ?? condition.fn.functionName ?? 'a function'} is not allowed`,
      });
    } else if ('field' in condition) {
      checkCondition(condition, describe, describeFor, problems, fields);
    }
  }
  if ('right' in clause && clause.right)
    checkClause(clause.right, describe, describeFor, problems, fields);
}

function checkCondition(
  condition: {
    field: string;
    operator: string;
    value: string | string[];
    literalType?: LiteralType | LiteralType[];
  },
  describe: SObjectDescribe,
  describeFor: DescribeLookup | undefined,
  problems: FilterProblem[],
  fields: string[],
): void {
  const written = condition.field;
  const resolved = resolveFieldPath(describe, written, describeFor);
  if (!resolved.ok) {
    problems.push({ code: 'filter_unknown_field', field: written, message: resolved.message });
    return;
  }
  const field = resolved.field;
  condition.field = resolved.apiPath;
  fields.push(resolved.apiPath);
  if (field.filterable === false) {
    problems.push({
      code: 'filter_field_not_filterable',
      field: written,
      message: `Salesforce cannot filter on ${resolved.apiPath}`,
    });
    return;
  }
  if (!operatorAllowed(condition.operator, field)) {
    problems.push({
      code: 'filter_operator_not_allowed',
      field: written,
      message: `${condition.operator} cannot be used on ${field.type} field ${resolved.apiPath}`,
    });
  }
  const literalTypes = [condition.literalType ?? []].flat();
  if (literalTypes.includes('APEX_BIND_VARIABLE')) {
    problems.push({
      code: 'filter_bind_variable',
      field: written,
      message: 'bind variables are not allowed',
    });
    return;
  }
  const accepted = literalTypesFor(field.type);
  const wrong = literalTypes.filter((literalType) => !accepted?.has(literalType));
  if (!accepted || wrong.length > 0) {
    problems.push({
      code: 'filter_value_type_mismatch',
      field: written,
      message: `${resolved.apiPath} is a ${field.type} field and cannot be compared with ${
        wrong.map((literalType) => literalType.toLowerCase()).join(', ') || 'a value'
      }`,
    });
  } else if (literalTypes.includes('NULL') && !['=', '!='].includes(condition.operator)) {
    problems.push({
      code: 'filter_operator_not_allowed',
      field: written,
      message: `null can only be compared with = or != (${resolved.apiPath})`,
    });
  }
}
