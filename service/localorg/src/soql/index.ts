/**
 * The local org's SOQL engine, parsed with soql-parser-js and evaluated over a QueryDataSource:
 * - `executeSoql` answers what the REST `query`/`queryAll` endpoints return (all rows, `done:
 *   true`; paging into `nextRecordsUrl` batches is the REST layer's job);
 * - `columnMetadata` answers `query?q=...&columns=true`;
 * - `executeSoqlToCsv` (and `flattenForCsv` over REST records) give Bulk API 2.0 CSV cells.
 * Failures throw `SoqlError` with Salesforce's errorCode and message form.
 */
import type { QueryDataSource } from '../core/contracts.ts';
import { createContext, type ExecuteOptions, type QueryResult } from './context.ts';
import { runQuery } from './query.ts';

export { SoqlError } from './errors.ts';
export type { QueryRecord, ChildResult, CompoundValue, RecordAttributes } from './projection.ts';
export type { ExecuteOptions, QueryResult } from './context.ts';
export { MAX_OFFSET } from './context.ts';
export { columnMetadata } from './columns.ts';
export type { ColumnMetadata, QueryColumnsResult } from './columns.ts';
export { flattenForCsv, executeSoqlToCsv, csvHeaders, csvCell } from './csv.ts';
export type { CsvTable } from './csv.ts';

/** Runs a query; deleted rows are included only when `includeDeleted` (queryAll). */
export function executeSoql(
  soql: string,
  source: QueryDataSource,
  options: ExecuteOptions,
): QueryResult {
  return runQuery(createContext(soql, source, options));
}
