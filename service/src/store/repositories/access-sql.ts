import type { SqlDialect } from './fast-insert.ts';
import type { TransactionClient } from './transaction.ts';

/**
 * Multi-row INSERTs for the access tables (a pull writes tens of thousands of access records and
 * millions of login rows): a few hundred rows per statement with bound parameters, values
 * encoded as Prisma stores them (Json as text on SQLite and jsonb on PostgreSQL, DateTime as
 * ISO 8601 text on SQLite and timestamp(3) on PostgreSQL, Boolean as 0/1 on SQLite).
 */

/** Rows per INSERT statement: a few hundred keeps both databases at their pace. */
const ROWS_PER_STATEMENT = 400;

type Column = readonly [name: string, kind: 'text' | 'bool' | 'json' | 'datetime'];

export const RECORD_COLUMNS: readonly Column[] = [
  ['id', 'text'],
  ['connectionId', 'text'],
  ['kind', 'text'],
  ['salesforceId', 'text'],
  ['name', 'text'],
  ['userId', 'text'],
  ['targetId', 'text'],
  ['active', 'bool'],
  ['at', 'datetime'],
  ['email', 'text'],
  ['personId', 'text'],
  ['fields', 'json'],
  ['pullId', 'text'],
];

export const LOGIN_COLUMNS: readonly Column[] = [
  ['id', 'text'],
  ['connectionId', 'text'],
  ['salesforceId', 'text'],
  ['userId', 'text'],
  ['loginTime', 'datetime'],
  ['status', 'text'],
  ['sourceIp', 'text'],
  ['loginType', 'text'],
  ['application', 'text'],
];

const CASTS = { text: '', bool: '::boolean', json: '::jsonb', datetime: '::timestamp(3)' };

/** A value as each database stores it for a Prisma column (what Prisma itself writes). */
function encode(value: unknown, kind: Column[1], dialect: SqlDialect): unknown {
  if (value === null || value === undefined) return null;
  if (kind === 'json') return JSON.stringify(value);
  if (kind === 'bool') return dialect === 'sqlite' ? (value ? 1 : 0) : value;
  if (kind === 'datetime') {
    const iso = (value as Date).toISOString();
    return dialect === 'sqlite' ? iso.replace('Z', '+00:00') : iso;
  }
  return value;
}

export async function insertMany(
  tx: TransactionClient,
  dialect: SqlDialect,
  table: string,
  columns: readonly Column[],
  rows: readonly unknown[][],
  onConflict = '',
): Promise<number> {
  let inserted = 0;
  const width = columns.length;
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const parameters: unknown[] = [];
    const tuples = chunk.map((row, r) => {
      row.forEach((value, c) => parameters.push(encode(value, columns[c]![1], dialect)));
      const marks = columns.map(([, kind], c) =>
        dialect === 'sqlite' ? '?' : `$${r * width + c + 1}${CASTS[kind]}`,
      );
      return `(${marks.join(',')})`;
    });
    const names = columns.map(([name]) => `"${name}"`).join(',');
    inserted += await tx.$executeRawUnsafe(
      `INSERT INTO "${table}" (${names}) VALUES ${tuples.join(',')} ${onConflict}`,
      ...parameters,
    );
  }
  return inserted;
}
