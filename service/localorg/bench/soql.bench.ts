/**
 * Micro-benchmark of the SOQL engine over a synthetic in-memory org: rows scanned per second for
 * typical Bulk query shapes, each next to a hand-written JavaScript loop giving the same result
 * over the same records. Run: npx tsx service/localorg/bench/soql.bench.ts [rows]
 */
import type { QueryDataSource, SObjectDescribe, StoredRecord } from '../src/core/contracts.ts';
import { executeSoql, executeSoqlToCsv, flattenForCsv } from '../src/soql/index.ts';
import { medianSeconds, printComparisons, type Comparison } from './compare.ts';

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

// The engine's floor, per query: the predicate written out in JS over the same array, no parsing.
type Plain = Record<string, unknown>;
const live = (visit: (record: StoredRecord) => void) => {
  for (let i = 0; i < rows.length; i++) {
    const record = rows[i]!;
    if (!record.IsDeleted) visit(record);
  }
};
const industryOf = (record: StoredRecord) => record['Industry'] as string | null;
const employeesOf = (record: StoredRecord) => record['NumberOfEmployees'] as number | null;
const nameOf = (record: StoredRecord) => record['Name'] as string;
// LAST_N_DAYS:30 on 2026-02-15: from midnight UTC 30 days back; the stored text sorts as time.
const lastThirtyDays = '2026-01-16T00:00:00.000+0000';

const queries: [string, () => Plain[]][] = [
  [
    "SELECT Id FROM Account WHERE Industry = 'Energy'",
    () => {
      const out: Plain[] = [];
      live((r) => industryOf(r) === 'Energy' && out.push({ Id: r.Id }));
      return out;
    },
  ],
  [
    'SELECT Id, Name FROM Account WHERE NumberOfEmployees > 500',
    () => {
      const out: Plain[] = [];
      live((r) => (employeesOf(r) ?? 0) > 500 && out.push({ Id: r.Id, Name: nameOf(r) }));
      return out;
    },
  ],
  [
    "SELECT Id, Name, Industry FROM Account WHERE (Industry IN ('Energy', 'Media') OR NumberOfEmployees < 10) AND Name LIKE 'Account 1%'",
    () => {
      const out: Plain[] = [];
      live((r) => {
        const industry = industryOf(r);
        const employees = employeesOf(r);
        if (
          (industry === 'Energy' ||
            industry === 'Media' ||
            (employees !== null && employees < 10)) &&
          nameOf(r).toLowerCase().startsWith('account 1')
        )
          out.push({ Id: r.Id, Name: nameOf(r), Industry: industry });
      });
      return out;
    },
  ],
  [
    'SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:30',
    () => {
      const out: Plain[] = [];
      live((r) => (r['CreatedDate'] as string) >= lastThirtyDays && out.push({ Id: r.Id }));
      return out;
    },
  ],
  [
    "SELECT Id, Name, Parent.Name FROM Account WHERE Parent.Industry = 'Banking'",
    () => {
      const out: Plain[] = [];
      live((r) => {
        const parent = r['ParentId'] ? byId.get(r['ParentId'] as string) : undefined;
        if (parent && industryOf(parent) === 'Banking')
          out.push({ Id: r.Id, Name: nameOf(r), Parent: { Name: nameOf(parent) } });
      });
      return out;
    },
  ],
  [
    'SELECT Id, Name FROM Account ORDER BY Name DESC LIMIT 100',
    () => {
      // The 100 greatest names kept sorted as they come (no full sort), as a hand-written top-k.
      const top: Plain[] = [];
      live((r) => {
        const name = nameOf(r);
        if (top.length === 100 && name <= (top[99]!['Name'] as string)) return;
        let low = 0;
        let high = top.length;
        while (low < high) {
          const mid = (low + high) >>> 1;
          if ((top[mid]!['Name'] as string) >= name) low = mid + 1;
          else high = mid;
        }
        top.splice(low, 0, { Id: r.Id, Name: name });
        if (top.length > 100) top.pop();
      });
      return top;
    },
  ],
  [
    'SELECT Industry, COUNT(Id), MAX(NumberOfEmployees) FROM Account GROUP BY Industry',
    () => {
      const groups = new Map<string | null, { count: number; max: number | null }>();
      live((r) => {
        const key = industryOf(r);
        let group = groups.get(key);
        if (!group) groups.set(key, (group = { count: 0, max: null }));
        group.count += 1;
        const employees = employeesOf(r);
        if (employees !== null && (group.max === null || employees > group.max))
          group.max = employees;
      });
      return [...groups].map(([Industry, { count, max }]) => ({
        Industry,
        expr0: count,
        expr1: max,
      }));
    },
  ],
];

/** Throws unless the baseline returns the engine's records (same ids, same order). */
function checkSame(soql: string, engine: Plain[], baseline: Plain[]): void {
  const key = (records: Plain[]) =>
    records.map((r) => String(r['Id'] ?? `${String(r['Industry'])}:${String(r['expr0'])}`));
  const a = key(engine);
  const b = key(baseline);
  const sameOrder = /ORDER BY/i.test(soql);
  if (!sameOrder) {
    a.sort();
    b.sort();
  }
  if (a.join() !== b.join()) {
    throw new Error(`baseline differs from the engine (${a.length} vs ${b.length}): ${soql}`);
  }
}

const comparisons: Comparison[] = [];
const baselineIs = 'hand-written JS loop';
const returned = (n: number) => `${n.toLocaleString('en-US')} returned`;
for (const [index, [soql, baseline]] of queries.entries()) {
  console.log(`q${index + 1}  ${soql}`);
  const result = executeSoql(soql, source, options);
  checkSame(soql, result.records as Plain[], baseline());
  const seconds = medianSeconds(() => executeSoql(soql, source, options));
  const baselineSeconds = medianSeconds(baseline);
  comparisons.push({
    name: `q${index + 1}, ${returned(result.totalSize)}`,
    figure: total / seconds,
    baseline: total / baselineSeconds,
    unit: 'rows/s',
    baselineIs,
  });
}

const pinnedIds = Array.from({ length: 200 }, (_, i) => rows[i * 37]?.Id ?? '');
const pinned = `SELECT Id, Name, Industry FROM Account WHERE Id IN (${pinnedIds.map((id) => `'${id}'`).join(', ')})`;
const pinnedBaseline = () => {
  const out: Plain[] = [];
  for (const id of pinnedIds) {
    const record = byId.get(id);
    if (record && !record.IsDeleted)
      out.push({ Id: record.Id, Name: nameOf(record), Industry: industryOf(record) });
  }
  return out;
};
console.log('q8  SELECT Id, Name, Industry FROM Account WHERE Id IN (200 ids)');
checkSame(pinned, executeSoql(pinned, source, options).records as Plain[], pinnedBaseline());
comparisons.push({
  name: `q8, ${returned(pinnedBaseline().length)}`,
  figure: medianSeconds(() => executeSoql(pinned, source, options), 50) * 1000,
  baseline: medianSeconds(pinnedBaseline, 50) * 1000,
  unit: 'ms',
  baselineIs: 'hand-written JS: 200 Map lookups (no query text to parse)',
});

const csvSoql = 'SELECT Id, Name, Industry, NumberOfEmployees, CreatedDate FROM Account';
console.log(`q9  ${csvSoql}, as CSV cells`);
// The CSV writer's floor: the same cells (numbers by String(), +0000 as Z) straight off records.
const csvBaseline = () => {
  const out: (string | null)[][] = [];
  live((r) => {
    const created = r['CreatedDate'] as string | null;
    const employees = employeesOf(r);
    out.push([
      r.Id,
      nameOf(r),
      industryOf(r),
      employees === null ? null : String(employees),
      created === null ? null : created.endsWith('+0000') ? `${created.slice(0, -5)}Z` : created,
    ]);
  });
  return out;
};
const csvCells = executeSoqlToCsv(csvSoql, source, options).rows;
if (JSON.stringify(csvCells) !== JSON.stringify(csvBaseline())) {
  throw new Error('baseline CSV cells differ from executeSoqlToCsv');
}
const csvBaselineSeconds = medianSeconds(csvBaseline, 3);
for (const [label, run] of [
  [
    'executeSoql + flattenForCsv',
    () => flattenForCsv(executeSoql(csvSoql, source, options).records, csvSoql),
  ],
  ['executeSoqlToCsv', () => executeSoqlToCsv(csvSoql, source, options)],
] as const) {
  comparisons.push({
    name: `q9, ${returned(csvCells.length)}, ${label}`,
    figure: total / medianSeconds(run, 3),
    baseline: total / csvBaselineSeconds,
    unit: 'rows/s',
    baselineIs: 'hand-written JS loop',
  });
}

printComparisons(
  `SOQL engine over ${total.toLocaleString('en-US')} rows (rows scanned per second; q8 in ms per query)`,
  comparisons,
);
