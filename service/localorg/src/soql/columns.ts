/**
 * What `GET /query?q=...&columns=true` answers: the query's columns with their types, as
 * `sf data query` reads them before running the query itself.
 */
import type { FieldFunctionExpression, Query } from '@jetstreamapp/soql-parser-js';
import type {
  FieldDescribe,
  FieldType,
  QueryDataSource,
  SObjectDescribe,
} from '../core/contracts.ts';
import { locate, malformed } from './errors.ts';
import { dateFunctionType, isDateFunction } from './functions.ts';
import { parseSoql } from './parse.ts';
import { expandFields, selectPath } from './context.ts';
import { findChildRelationship, PathResolver, resolveObject, type ResolvedPath } from './schema.ts';

export interface ColumnMetadata {
  aggregate: boolean;
  apexType: string | null;
  booleanType: boolean;
  columnName: string;
  custom: boolean;
  displayName: string;
  foreignKeyName: string | null;
  insertable: boolean;
  joinColumns: ColumnMetadata[];
  numberType: boolean;
  textType: boolean;
  updatable: boolean;
}

export interface QueryColumnsResult {
  columnMetadata: ColumnMetadata[];
  entityName: string;
  groupBy: boolean;
  idSelected: boolean;
  keyPrefix: string | null;
}

const APEX_TYPES: Record<FieldType, string> = {
  id: 'Id',
  reference: 'Id',
  string: 'String',
  textarea: 'String',
  picklist: 'String',
  multipicklist: 'String',
  combobox: 'String',
  email: 'String',
  phone: 'String',
  url: 'String',
  encryptedstring: 'String',
  boolean: 'Boolean',
  int: 'Integer',
  long: 'Long',
  double: 'Double',
  currency: 'Decimal',
  percent: 'Double',
  date: 'Date',
  datetime: 'Datetime',
  time: 'Time',
  address: 'Address',
  location: 'Location',
  base64: 'Blob',
  anyType: 'Object',
  complexvalue: 'Object',
};

const NUMBER_TYPES = new Set<FieldType>(['int', 'long', 'double', 'currency', 'percent']);
const TEXT_TYPES = new Set<FieldType>([
  'string',
  'textarea',
  'picklist',
  'multipicklist',
  'combobox',
  'email',
  'phone',
  'url',
  'encryptedstring',
]);

function fieldColumn(field: FieldDescribe): ColumnMetadata {
  return {
    aggregate: false,
    apexType: APEX_TYPES[field.type] ?? null,
    booleanType: field.type === 'boolean',
    columnName: field.name,
    custom: field.custom,
    displayName: field.name,
    foreignKeyName: null,
    insertable: field.createable,
    joinColumns: [],
    numberType: NUMBER_TYPES.has(field.type),
    textType: TEXT_TYPES.has(field.type),
    updatable: field.updateable,
  };
}

function joinColumn(name: string): ColumnMetadata {
  return {
    aggregate: false,
    apexType: null,
    booleanType: false,
    columnName: name,
    custom: name.endsWith('__r'),
    displayName: name,
    foreignKeyName: null,
    insertable: false,
    joinColumns: [],
    numberType: false,
    textType: false,
    updatable: false,
  };
}

/** Adds a path, nesting relationship hops as join columns and merging repeated hops. */
function addColumn(columns: ColumnMetadata[], path: ResolvedPath): void {
  let level = columns;
  for (const hop of path.hops) {
    let join = level.find((c) => c.joinColumns.length > 0 && c.columnName === hop.name);
    if (!join) {
      join = joinColumn(hop.name);
      level.push(join);
    }
    level = join.joinColumns;
  }
  if (!level.some((c) => c.columnName === path.field.name && c.joinColumns.length === 0)) {
    level.push(fieldColumn(path.field));
  }
}

function aggregateApexType(fn: string, field: FieldDescribe | undefined): string {
  if (isDateFunction(fn)) return dateFunctionType(fn) === 'date' ? 'Date' : 'Integer';
  if (fn === 'COUNT' || fn === 'COUNT_DISTINCT') return 'Integer';
  if (fn === 'AVG') return 'Double';
  if (!field) return 'Object';
  if (fn === 'SUM') return field.type === 'currency' ? 'Decimal' : 'Double';
  return APEX_TYPES[field.type] ?? 'Object';
}

function aggregateColumn(
  item: FieldFunctionExpression,
  name: string,
  resolver: PathResolver,
): ColumnMetadata {
  const fn = item.functionName.toUpperCase();
  const param = item.parameters[0];
  const field = typeof param === 'string' ? resolver.resolve(param).field : undefined;
  const apexType = aggregateApexType(fn, field);
  return {
    aggregate: true,
    apexType,
    booleanType: apexType === 'Boolean',
    columnName: name,
    custom: false,
    displayName: item.rawValue ?? `${item.functionName}(${String(param ?? '')})`,
    foreignKeyName: null,
    insertable: false,
    joinColumns: [],
    numberType: ['Integer', 'Double', 'Decimal', 'Long'].includes(apexType),
    textType: apexType === 'String',
    updatable: false,
  };
}

function subqueryColumn(
  soql: string,
  source: QueryDataSource,
  parent: SObjectDescribe,
  subquery: Query & { relationshipName: string },
): ColumnMetadata {
  const relationship = findChildRelationship(source, parent, subquery.relationshipName);
  if (!relationship) {
    throw malformed(
      soql,
      locate(soql, subquery.relationshipName),
      `unexpected token: '${subquery.relationshipName}'`,
    );
  }
  const child = relationship.child;
  const column = joinColumn(relationship.relationshipName);
  column.aggregate = true;
  const resolver = new PathResolver(soql, source, child, undefined);
  for (const item of subquery.fields ?? []) {
    const path = selectPath(item);
    if (path !== undefined) addColumn(column.joinColumns, resolver.resolve(path));
  }
  return column;
}

export function columnMetadata(soql: string, source: QueryDataSource): QueryColumnsResult {
  const query = parseSoql(soql);
  const describe = resolveObject(soql, source, query.sObject ?? '');
  const resolver = new PathResolver(soql, source, describe, query.sObjectAlias);
  const columns: ColumnMetadata[] = [];
  let expr = 0;
  let idSelected = false;
  for (const item of query.fields ?? []) {
    const path = selectPath(item);
    if (path !== undefined) {
      const resolved = resolver.resolve(path);
      if (resolved.hops.length === 0 && resolved.field.name === 'Id') idSelected = true;
      addColumn(columns, resolved);
    } else if (
      item.type === 'FieldFunctionExpression' &&
      item.functionName.toUpperCase() === 'FIELDS'
    ) {
      for (const name of expandFields(describe, String(item.parameters[0] ?? 'ALL'))) {
        if (name === 'Id') idSelected = true;
        addColumn(columns, resolver.resolve(name));
      }
    } else if (item.type === 'FieldFunctionExpression' && item.isAggregateFn) {
      if (item.parameters.length === 0) continue;
      columns.push(aggregateColumn(item, item.alias ?? `expr${expr++}`, resolver));
    } else if (item.type === 'FieldSubquery') {
      columns.push(subqueryColumn(soql, source, describe, item.subquery));
    }
  }
  return {
    columnMetadata: columns,
    entityName: describe.name,
    groupBy: query.groupBy !== undefined,
    idSelected,
    keyPrefix: describe.keyPrefix,
  };
}
