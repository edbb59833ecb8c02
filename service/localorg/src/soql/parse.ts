/**
 * Parses SOQL with the soql-parser-js grammar and turns its syntax errors into Salesforce's
 * MALFORMED_QUERY form (`unexpected token: 'X'` with the row and column of the token).
 */
import { parseQuery, type Query } from '@jetstreamapp/soql-parser-js';
import type { SoqlError } from './errors.ts';
import { malformed } from './errors.ts';

const FOUND_TOKEN = /but found:? (?:--> )?(?:'([^']*)'|(\S+))/;
const LEXING_POSITION = /\((\d+):(\d+)\)\s*$/;

function tryParse(soql: string): Error | undefined {
  try {
    parseQuery(soql);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** True when the text is a valid query or a valid beginning of one (fails only at its end). */
function isValidPrefix(text: string): boolean {
  const error = tryParse(text);
  if (!error) return true;
  const found = FOUND_TOKEN.exec(error.message);
  return found !== null && found[1] === '' && found[2] === undefined;
}

/**
 * The offset of the token the parser stopped at. The parser's errors name the token but not
 * where it is, so among the token's occurrences it is the last one that a valid prefix of the
 * query reaches (occurrences inside string literals or after the error end invalid prefixes).
 */
function offsetOfToken(soql: string, token: string): number {
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(escaped, 'gi');
  let best = -1;
  for (let match = re.exec(soql); match; match = re.exec(soql)) {
    if (isValidPrefix(soql.slice(0, match.index))) best = match.index;
    if (match[0].length === 0) re.lastIndex++;
  }
  return best < 0 ? 0 : best;
}

function offsetOfRowColumn(soql: string, row: number, column: number): number {
  const lines = soql.split('\n');
  let offset = 0;
  for (let i = 0; i < row - 1 && i < lines.length; i++) offset += (lines[i] ?? '').length + 1;
  return offset + column - 1;
}

function syntaxError(soql: string, error: Error): SoqlError {
  const found = FOUND_TOKEN.exec(error.message);
  if (found) {
    const token = found[1] ?? found[2] ?? '';
    if (token === '') return malformed(soql, soql.trimEnd().length, "unexpected token: '<EOF>'");
    return malformed(soql, offsetOfToken(soql, token), `unexpected token: '${token}'`);
  }
  const lexing = LEXING_POSITION.exec(error.message);
  if (lexing) {
    const offset = offsetOfRowColumn(soql, Number(lexing[1]), Number(lexing[2]));
    // A parser reading left to right stops at a bad token before the bad character, if any.
    const before = tryParse(soql.slice(0, offset));
    const earlier = before ? FOUND_TOKEN.exec(before.message) : null;
    const token = earlier ? (earlier[1] ?? earlier[2] ?? '') : '';
    if (token !== '') {
      return malformed(
        soql,
        offsetOfToken(soql.slice(0, offset), token),
        `unexpected token: '${token}'`,
      );
    }
    // A word right before a stray quote is where a string ended too early ('O'Brien').
    const word = /([A-Za-z0-9_]+)\s*$/.exec(soql.slice(0, offset));
    if (word && soql.charAt(offset) === "'" && word[1] !== undefined) {
      return malformed(soql, word.index, `unexpected token: '${word[1]}'`);
    }
    return malformed(soql, offset, `unexpected token: '${soql.charAt(offset)}'`);
  }
  return malformed(soql, 0, 'unexpected token: ' + error.message);
}

export function parseSoql(soql: string): Query {
  try {
    return parseQuery(soql);
  } catch (error) {
    throw syntaxError(soql, error instanceof Error ? error : new Error(String(error)));
  }
}
