/**
 * Micro-benchmark of the SOQL engine over a synthetic in-memory org: prints rows scanned per
 * second for typical Bulk query shapes. Run: npx tsx service/localorg/bench/soql.bench.ts [rows]
 */
import type { QueryDataSource, SObjectDescribe, StoredRecord } from '../src/core/contracts.ts';
import { executeSoql, executeSoqlToCsv, flattenForCsv } from '../src/soql/index.ts';

function field(name: string, type: SObjectDescribe['fields'][number]['type'], extra = {}) {
  return {
    name,
    label: name,
    type,
    length: 255,
    precision: 0,
    scale: 0,
    digits: 0,
    byteLength: 0,
    nillable: true,
    createable: true,
    updateable: true,
    unique: false,
    externalId: false,
    idLookup: false,
    caseSensitive: false,
    calculated: false,
    autoNumber: false,
    defaultedOnCreate: false,
    filterable: true,
    sortable: true,
    groupable: true,
    custom: false,
    relationshipName: null,
    referenceTo: [],
    picklistValues: [],
    restrictedPicklist: false,
    soapType: 'xsd:string',
    ...extra,
  };
}

function describe(
  name: string,
  keyPrefix: string,
  fields: ReturnType<typeof field>[],
): SObjectDescribe {
  return {
    name,
    label: name,
    labelPlural: name,
    keyPrefix,
    custom: false,
    createable: true,
    updateable: true,
    deletable: true,
    undeletable: true,
    queryable: true,
    retrieveable: true,
    searchable: true,
    replicateable: true,
    triggerable: true,
    fields: [field('Id', 'id'), field('IsDeleted', 'boolean'), ...fields],
    childRelationships: [],
    urls: {},
  };
}

const describes: Record<string, SObjectDescribe> = {
  account: describe('Account', '001', [
    field('Name', 'string'),
    field('Industry', 'picklist'),
    field('NumberOfEmployees', 'int'),
    field('CreatedDate', 'datetime'),
    field('ParentId', 'reference', { relationshipName: 'Parent', referenceTo: ['Account'] }),
  ]),
};

const total = Number(process.argv[2] ?? 200_000);
const industries = ['Energy', 'Banking', 'Media', 'Retail', null];
const rows: StoredRecord[] = [];
const byId = new Map<string, StoredRecord>();
for (let i = 0; i < total; i++) {
  const record: StoredRecord = {
    Id: `001${String(i).padStart(12, '0')}AAA`,
    IsDeleted: i % 50 === 0,
    Name: `Account ${i}`,
    Industry: industries[i % industries.length] ?? null,
    NumberOfEmployees: i % 1000,
    CreatedDate: new Date(Date.UTC(2025, 0, 1) + (i % 400) * 86_400_000)
      .toISOString()
      .replace('Z', '+0000'),
    ParentId: i > 0 ? `001${String(i - 1).padStart(12, '0')}AAA` : null,
  };
  rows.push(record);
  byId.set(record.Id, record);
}
const source: QueryDataSource = {
  describe: (name) => describes[name.toLowerCase()],
  records: () => rows,
  findById: (id) => {
    const record = byId.get(id);
    return record ? { objectName: 'Account', record } : undefined;
  },
};

const options = { includeDeleted: false, now: new Date('2026-02-15T00:00:00Z') };
const queries = [
  "SELECT Id FROM Account WHERE Industry = 'Energy'",
  'SELECT Id, Name FROM Account WHERE NumberOfEmployees > 500',
  "SELECT Id, Name, Industry FROM Account WHERE (Industry IN ('Energy', 'Media') OR NumberOfEmployees < 10) AND Name LIKE 'Account 1%'",
  'SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:30',
  "SELECT Id, Name, Parent.Name FROM Account WHERE Parent.Industry = 'Banking'",
  'SELECT Id, Name FROM Account ORDER BY Name DESC LIMIT 100',
  'SELECT Industry, COUNT(Id), MAX(NumberOfEmployees) FROM Account GROUP BY Industry',
];

console.log(`rows: ${total.toLocaleString('en-US')}`);
for (const soql of queries) {
  executeSoql(soql, source, options);
  const runs = 5;
  const started = process.hrtime.bigint();
  let returned = 0;
  for (let i = 0; i < runs; i++) returned = executeSoql(soql, source, options).totalSize;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9 / runs;
  const rate = Math.round(total / seconds).toLocaleString('en-US');
  console.log(`${rate.padStart(12)} rows/s  ${String(returned).padStart(7)} returned  ${soql}`);
}

const ids = Array.from({ length: 200 }, (_, i) => `'${rows[i * 37]?.Id ?? ''}'`).join(', ');
const pinned = `SELECT Id, Name, Industry FROM Account WHERE Id IN (${ids})`;
executeSoql(pinned, source, options);
const pinnedRuns = 200;
const pinnedStarted = process.hrtime.bigint();
for (let i = 0; i < pinnedRuns; i++) executeSoql(pinned, source, options);
const perQuery = Number(process.hrtime.bigint() - pinnedStarted) / 1e6 / pinnedRuns;
console.log(
  `${perQuery.toFixed(3).padStart(12)} ms/query  200 ids  SELECT ... WHERE Id IN (200 ids)`,
);

const csvSoql = 'SELECT Id, Name, Industry, NumberOfEmployees, CreatedDate FROM Account';
const csvRuns: [string, () => number][] = [
  [
    'executeSoql + flattenForCsv',
    () => flattenForCsv(executeSoql(csvSoql, source, options).records, csvSoql).rows.length,
  ],
  ['executeSoqlToCsv', () => executeSoqlToCsv(csvSoql, source, options).rows.length],
];
for (const [label, run] of csvRuns) {
  run();
  const started = process.hrtime.bigint();
  const returned = run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rate = Math.round(total / seconds).toLocaleString('en-US');
  console.log(`${rate.padStart(12)} rows/s  ${String(returned).padStart(7)} returned  ${label}`);
}
