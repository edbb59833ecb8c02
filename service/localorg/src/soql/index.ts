/**
 * The local org's SOQL engine: `executeSoql` answers what the REST query endpoint returns,
 * `columnMetadata` what `query?columns=true` returns, `flattenForCsv` Bulk API 2.0 CSV rows.
 */
import type { QueryDataSource } from '../core/contracts.ts';
import { createContext, runQuery, type ExecuteOptions, type QueryResult } from './query.ts';

export { SoqlError } from './errors.ts';
export type { QueryRecord, ChildResult, CompoundValue, RecordAttributes } from './projection.ts';
export type { ExecuteOptions, QueryResult } from './query.ts';
export { MAX_OFFSET } from './query.ts';

/** Runs a query; deleted rows are included only when `includeDeleted` (queryAll). */
export function executeSoql(
  soql: string,
  source: QueryDataSource,
  options: ExecuteOptions,
): QueryResult {
  return runQuery(createContext(soql, source, options));
}

export { columnMetadata } from './columns.ts';
export type { ColumnMetadata, QueryColumnsResult } from './columns.ts';
export { flattenForCsv, executeSoqlToCsv, csvHeaders, csvCell } from './csv.ts';
export type { CsvTable } from './csv.ts';
