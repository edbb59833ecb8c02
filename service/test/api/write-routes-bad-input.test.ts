import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import { API_ROUTES } from '../../src/http/routes.ts';
import { createWorkspace, testSecurityEnv } from '../support/api.ts';
import type { SqlConnection } from '../../src/store/migrations/sql-connection.ts';
import { openConnection } from '../support/connections.ts';
import { freshDatabaseUrl, PROVIDERS } from '../support/databases.ts';
import {
  localOrgEnv,
  passwordConnectionRequest,
  startTwoOrgs,
  testConnectedApp,
} from '../support/localorg.ts';
import { bootService } from '../support/service.ts';

/**
 * Bad input on every write route of API_ROUTES (POST, PATCH, PUT, DELETE): malformed JSON,
 * unknown fields, wrong types, oversize strings, NUL bytes, lone surrogates, prototype keys,
 * injected filters and ids, and another workspace's ids. Each must answer 4xx with an error code
 * and change nothing: every table is read before and after each route's cases and compared.
 *
 * The routes come from the table itself, so a new write route is covered as soon as it exists;
 * it needs an example of a valid body in EXAMPLES below (the cases are variations of it), and
 * the suite fails until it has one.
 */

const { app } = testConnectedApp();

type Body = Record<string, unknown>;

/** What one workspace holds for the routes' path parameters and example bodies. */
interface Fixtures {
  ids: Record<string, string>;
  mapping: Body;
}

/** A valid body per write route (`undefined`: the route takes none). */
const EXAMPLES: Record<string, ((fx: Fixtures) => Body) | undefined> = {
  'post /api/workspaces': () => ({ name: 'Another' }),
  'post /api/workspaces/:workspaceId/api-keys': () => ({ name: 'ci' }),
  'delete /api/workspaces/:workspaceId/api-keys/:apiKeyId': undefined,
  'post /api/workspaces/:workspaceId/record-types': () => ({
    key: 'widget',
    name: 'Widget',
    pluralName: 'Widgets',
    kind: 'custom',
    attributes: [{ key: 'name', name: 'Name', type: 'text' }],
  }),
  'patch /api/workspaces/:workspaceId/record-types/:recordTypeKey': () => ({ name: 'Gadget 2' }),
  'delete /api/workspaces/:workspaceId/record-types/:recordTypeKey': undefined,
  'put /api/workspaces/:workspaceId/record-types/:recordTypeKey/sensitive-attributes': () => ({
    attributes: ['name'],
  }),
  'post /api/workspaces/:workspaceId/record-types/from-salesforce-stages': (fx) => ({
    connectionId: fx.ids['connectionId'],
  }),
  'post /api/workspaces/:workspaceId/record-types/:recordTypeKey/records': () => ({
    values: { name: 'Acme' },
  }),
  'patch /api/workspaces/:workspaceId/records/:recordId': () => ({ values: { name: 'Acme 2' } }),
  'delete /api/workspaces/:workspaceId/records/:recordId': undefined,
  'post /api/workspaces/:workspaceId/records/:recordId/push': (fx) => ({
    connectionId: fx.ids['connectionId'],
  }),
  'post /api/workspaces/:workspaceId/connections': () =>
    passwordConnectionRequest(app, {
      username: 'nobody@example.com',
      password: 'wrong',
      securityToken: 'x',
    }),
  'patch /api/workspaces/:workspaceId/connections/:connectionId': () => ({ label: 'Renamed' }),
  'delete /api/workspaces/:workspaceId/connections/:connectionId': undefined,
  'post /api/workspaces/:workspaceId/connections/:connectionId/reauthorize': () => ({
    password: 'new-password',
    securityToken: 'TOKEN',
  }),
  'post /api/workspaces/:workspaceId/connections/:connectionId/mappings': (fx) => fx.mapping,
  'post /api/workspaces/:workspaceId/connections/:connectionId/mappings/defaults': () => ({}),
  'post /api/workspaces/:workspaceId/connections/:connectionId/mappings/validate': (fx) =>
    fx.mapping,
  'post /api/workspaces/:workspaceId/connections/:connectionId/mappings/preflight': undefined,
  'patch /api/workspaces/:workspaceId/connections/:connectionId/mappings/:mappingId': () => ({
    conflictStrategy: 'pryzm_wins',
  }),
  'delete /api/workspaces/:workspaceId/connections/:connectionId/mappings/:mappingId': undefined,
  'post /api/workspaces/:workspaceId/connections/:connectionId/mappings/:mappingId/validate':
    undefined,
  'post /api/workspaces/:workspaceId/connections/:connectionId/jobs': () => ({
    kind: 'pull',
    mode: 'full',
  }),
  'post /api/workspaces/:workspaceId/jobs/:jobId/cancel': undefined,
  'post /api/workspaces/:workspaceId/conflicts/:conflictId/resolve': () => ({
    choices: { name: 'pryzm' },
  }),
  'post /api/workspaces/:workspaceId/members': () => ({
    email: 'new.member@example.com',
    name: 'New Member',
    role: 'viewer',
  }),
  'patch /api/workspaces/:workspaceId/members/:memberId': () => ({ role: 'editor' }),
  'delete /api/workspaces/:workspaceId/members/:memberId': undefined,
  'post /api/workspaces/:workspaceId/members/:memberId/tokens': () => ({ name: 'laptop' }),
  'delete /api/workspaces/:workspaceId/members/:memberId/tokens/:tokenId': undefined,
  'post /api/workspaces/:workspaceId/members/:memberId/sign-in-links': () => ({}),
  'post /api/session': () => ({ link: 'not-a-link' }),
  'delete /api/session': undefined,
  'post /api/session/links': () => ({}),
  'post /api/workspaces/:workspaceId/webhooks': () => ({
    url: 'https://hooks.example.com/pryzm',
    events: ['record.created'],
  }),
  'patch /api/workspaces/:workspaceId/webhooks/:webhookId': () => ({ enabled: false }),
  'delete /api/workspaces/:workspaceId/webhooks/:webhookId': undefined,
  'post /api/workspaces/:workspaceId/webhooks/:webhookId/deliveries/:deliveryId/redeliver':
    undefined,
  'post /api/workspaces/:workspaceId/connections/:connectionId/soql': () => ({
    query: 'SELECT Id, Name FROM Account LIMIT 1',
  }),
  'post /api/workspaces/:workspaceId/connections/:connectionId/outbound-messages/endpoint':
    () => ({}),
  // Its body is text/csv, not JSON (its bad rows and columns are covered in record-csv.test.ts);
  // here only its path parameters vary, and a JSON body is refused with 415 before any row.
  'post /api/workspaces/:workspaceId/record-types/:recordTypeKey/records/import': undefined,
  'post /api/workspaces/:workspaceId/connections/:connectionId/access/pulls': undefined,
  'patch /api/workspaces/:workspaceId/connections/:connectionId/access/settings': () => ({
    inactiveDays: 30,
  }),
  'post /api/workspaces/:workspaceId/connections/:connectionId/access/actions': () => ({
    request: { action: 'remove-role', userIds: ['005000000000001AAA'] },
    dryRun: true,
  }),
};

/** Extra cases for routes whose body carries a filter: SOQL that tries to leave its WHERE. */
const INJECTED_FILTERS = [
  'Name != null) OR (Id != null',
  "Name = 'a' LIMIT 1",
  'Id IN (SELECT Id FROM User)',
  "Name = 'a'; DELETE FROM Account",
];
const FILTER_ROUTES = new Set([
  'post /api/workspaces/:workspaceId/connections/:connectionId/mappings',
  'post /api/workspaces/:workspaceId/connections/:connectionId/mappings/validate',
  'patch /api/workspaces/:workspaceId/connections/:connectionId/mappings/:mappingId',
]);

/** Ids made up to look like real ones, and ones made to break out of a lookup. */
const INJECTED_IDS = ["' OR '1'='1", '{"$ne":null}', '..%2F..%2Fadmin', 'x'.repeat(5000)];

const WRITE_METHODS = new Set(['post', 'patch', 'put', 'delete']);
const writeRoutes = API_ROUTES.map((route) => ({ method: route[0], path: route[1] })).filter(
  (route) => WRITE_METHODS.has(route.method),
);
const routeKey = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

/** Columns that record a read, not a change: authenticating a request touches them. */
const READ_MARKS = new Set(['lastUsedAt']);
/** Tables a refused request may write to: the audit log records the refusal itself. */
const RECORDS_REFUSALS = new Set(['AuditEvent']);

/** Every table's rows, as sorted JSON lines, read through one raw driver connection. */
async function snapshot(db: SqlConnection): Promise<Record<string, string[]>> {
  const tables = (
    db.provider === 'sqlite'
      ? await db.query<{ name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )
      : await db.query<{ name: string }>(
          "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
        )
  )
    .map((row) => row.name)
    .filter((name) => !RECORDS_REFUSALS.has(name))
    .sort();
  const result: Record<string, string[]> = {};
  for (const table of tables) {
    const rows = await db.query<Record<string, unknown>>(`SELECT * FROM "${table}"`);
    result[table] = rows
      .map((row) =>
        JSON.stringify(
          Object.fromEntries(
            Object.entries(row)
              .filter(([column]) => !READ_MARKS.has(column))
              .sort(([a], [b]) => a.localeCompare(b)),
          ),
          (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value),
        ),
      )
      .sort();
  }
  return result;
}

/** The tables whose rows differ, for a message that says what a request changed. */
function changedTables(before: Record<string, string[]>, after: Record<string, string[]>) {
  return Object.keys({ ...before, ...after }).filter(
    (table) => JSON.stringify(before[table]) !== JSON.stringify(after[table]),
  );
}

/** One request of a case: a raw body (so malformed JSON and lone surrogates go as they are). */
interface Attempt {
  name: string;
  path: string;
  body?: string;
  /** An issue of the answer must name this field (an unknown field is refused for itself). */
  names?: string;
  /** A validation route reports a bad mapping as `200 {valid: false}`, naming this problem. */
  reportedAs?: string;
}

/** The string fields of a body, at the top level. */
const stringFields = (body: Body) =>
  Object.entries(body)
    .filter(([, value]) => typeof value === 'string')
    .map(([key]) => key);

function wrongType(value: unknown): unknown {
  if (typeof value === 'string') return 12345;
  if (typeof value === 'number') return 'twelve';
  if (typeof value === 'boolean') return 'yes';
  if (Array.isArray(value)) return { not: 'an array' };
  if (value && typeof value === 'object') return 'not an object';
  return ['not', 'a', 'scalar'];
}

function attempts(path: string, example: Body | undefined, key: string): Attempt[] {
  const json = (value: unknown) => JSON.stringify(value);
  const list: Attempt[] = [
    { name: 'malformed JSON', path, body: '{"name": "x",' },
    { name: 'JSON that is not an object', path, body: '"just a string"' },
  ];
  const base = example ?? { note: 'x' };
  const field = stringFields(base)[0] ?? 'note';
  list.push(
    { name: 'a NUL byte', path, body: json({ ...base, [field]: 'a\u0000b' }) },
    { name: 'a lone surrogate', path, body: json({ ...base, [field]: 'a\uD800b' }) },
    { name: 'a NUL byte in a key', path, body: json({ ...base, ['x\u0000y']: 'z' }) },
  );
  if (!example) return list;
  list.push(
    {
      name: 'an unknown field',
      path,
      body: json({ ...example, zzUnknown: 1 }),
      names: 'zzUnknown',
    },
    {
      name: 'a __proto__ key',
      path,
      body: `{"__proto__":{"pollutedByTest":true},${json(example).slice(1)}`,
    },
    {
      name: 'a constructor key',
      path,
      body: json({ ...example, constructor: { prototype: { pollutedByTest: true } } }),
    },
  );
  for (const [name, value] of Object.entries(example)) {
    list.push({
      name: `a wrong type for ${name}`,
      path,
      body: json({ ...example, [name]: wrongType(value) }),
    });
  }
  for (const name of stringFields(example)) {
    list.push(
      {
        name: `an oversize ${name}`,
        path,
        body: json({ ...example, [name]: 'x'.repeat(100_000) }),
      },
      {
        name: `an operator object in ${name}`,
        path,
        body: json({ ...example, [name]: { $ne: null } }),
      },
    );
  }
  if (FILTER_ROUTES.has(key)) {
    const reportedAs = key.endsWith('/validate') ? 'filter' : undefined;
    for (const filter of INJECTED_FILTERS) {
      list.push({
        name: `the filter ${filter}`,
        path,
        body: json({ ...example, filter }),
        reportedAs,
      });
    }
  }
  return list;
}

describe.each(PROVIDERS)('bad input on every write route on %s', (provider) => {
  let local: LocalOrg;
  let service: Awaited<ReturnType<typeof bootService>>;
  let databaseUrl: string;
  let db: SqlConnection;
  const tokens = { a: '', admin: '' };
  const fixtures: { a?: Fixtures; b?: Fixtures } = {};

  async function workspaceFixtures(name: string, orgIndex: number, adminToken: string) {
    // Each workspace's own record type key: a key names a type only inside its workspace.
    const typeKey = orgIndex === 0 ? 'gadget' : 'gizmo';
    const ws = await createWorkspace(service.url, adminToken, name);
    const c = ws.client;
    const base = `/api/workspaces/${ws.id}`;
    const expectCreated = <T>(response: { status: number; body: T }, what: string): T => {
      expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
      return response.body;
    };
    const key = expectCreated(
      await c.post<{ id: string }>(`${base}/api-keys`, { name: 'k' }),
      'key',
    );
    expectCreated(
      await c.post(`${base}/record-types`, {
        key: typeKey,
        name: 'Gadget',
        pluralName: 'Gadgets',
        kind: 'custom',
        attributes: [{ key: 'name', name: 'Name', type: 'text' }],
      }),
      'record type',
    );
    const record = expectCreated(
      await c.post<{ id: string }>(`${base}/record-types/${typeKey}/records`, {
        values: { name: `${name} record` },
      }),
      'record',
    );
    const connection = expectCreated(
      await c.post<{ id: string }>(
        `${base}/connections`,
        passwordConnectionRequest(app, local.orgs[orgIndex]!.users[0]!, {
          environment: local.orgs[orgIndex]!.sandbox ? 'sandbox' : 'production',
        }),
      ),
      'connection',
    );
    const saved = expectCreated(
      await c.post<{ saved: { id: string }[] }>(
        `${base}/connections/${connection.id}/mappings/defaults`,
        {},
      ),
      'default mappings',
    );
    const mappingId = saved.saved[0]!.id;
    const stored = (await c.get<Body>(`${base}/connections/${connection.id}/mappings/${mappingId}`))
      .body;
    const mapping = Object.fromEntries(
      [
        'salesforceObject',
        'recordType',
        'direction',
        'filter',
        'conflictStrategy',
        'schedule',
        'matchRules',
        'deletes',
        'fields',
      ]
        .filter((k) => stored[k] !== undefined)
        .map((k) => [k, stored[k]]),
    );
    const ids: Record<string, string> = {
      workspaceId: ws.id,
      apiKeyId: key.id,
      recordTypeKey: typeKey,
      recordId: record.id,
      connectionId: connection.id,
      mappingId,
    };
    const member = await c.post<{ id: string }>(`${base}/members`, {
      email: `${name.toLowerCase()}@example.com`,
      name,
      role: 'viewer',
    });
    if (member.status === 201) {
      ids['memberId'] = member.body.id;
      const token = await c.post<{ id: string }>(`${base}/members/${member.body.id}/tokens`, {
        name: 't',
      });
      if (token.status === 201) ids['tokenId'] = token.body.id;
    }
    const webhook = await c.post<{ id: string }>(`${base}/webhooks`, {
      url: 'https://hooks.example.com/fixture',
      events: ['record.created'],
    });
    if (webhook.status === 201) ids['webhookId'] = webhook.body.id;
    return { key: ws.key, fixtures: { ids, mapping } };
  }

  beforeAll(async () => {
    const security = testSecurityEnv();
    local = await startTwoOrgs(app);
    databaseUrl = await freshDatabaseUrl(provider);
    service = await bootService(databaseUrl, {
      ...security.env,
      ...localOrgEnv(local, app),
      // Nothing may write in the background while tables are compared.
      PRYZM_REALTIME: 'off',
      PRYZM_RATE_LIMIT_API: '0',
      PRYZM_RATE_LIMIT_AUTH: '0',
      PRYZM_SCHEDULER_TICK_MS: '3600000',
    });
    tokens.admin = security.adminToken;
    const a = await workspaceFixtures('Alpha', 0, security.adminToken);
    const b = await workspaceFixtures('Beta', 1, security.adminToken);
    tokens.a = a.key;
    fixtures.a = a.fixtures;
    fixtures.b = b.fixtures;
    // A new connection starts work of its own (usage counts, a first access pull): wait until
    // the tables have held still for two seconds.
    db = await openConnection(databaseUrl);
    let previous = JSON.stringify(await snapshot(db));
    for (let still = 0, i = 0; still < 4 && i < 120; i++) {
      await new Promise((done) => setTimeout(done, 500));
      const next = JSON.stringify(await snapshot(db));
      still = next === previous ? still + 1 : 0;
      previous = next;
    }
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await service?.stop();
    await local?.close();
  });

  it('should have an example body for every write route', () => {
    const missing = writeRoutes.map(routeKey).filter((key) => !(key in EXAMPLES));
    expect(missing, 'add these routes to EXAMPLES in this file').toEqual([]);
  });

  /** The route's path with each parameter from the fixtures (a made-up id when none exists). */
  function fill(path: string, ids: Record<string, string>, override: Record<string, string> = {}) {
    return path.replace(/:([A-Za-z]+)/g, (_m, name: string) =>
      encodeURIComponent(override[name] ?? ids[name] ?? randomUUID()),
    );
  }

  it.each(writeRoutes.map((route) => [routeKey(route), route] as const))(
    '%s: 4xx with a code and nothing changed',
    async (key, route) => {
      const a = fixtures.a!;
      const b = fixtures.b!;
      const makeExample = EXAMPLES[key];
      const example = makeExample ? makeExample(a) : undefined;
      const path = fill(route.path, a.ids);
      const list = attempts(path, example, key);
      const params = [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
      for (const param of params) {
        const body = example ? JSON.stringify(example) : undefined;
        if (b.ids[param]) {
          // Another workspace's id, with a body that would otherwise be fine.
          list.push({
            name: `workspace B's ${param}`,
            path: fill(route.path, a.ids, { [param]: b.ids[param]! }),
            body,
          });
        }
        for (const injected of INJECTED_IDS) {
          list.push({
            name: `an injected ${param} ${injected.slice(0, 20)}`,
            path: fill(route.path, a.ids, { [param]: injected }),
            body,
          });
        }
      }
      const token = route.path.startsWith('/api/workspaces/:workspaceId') ? tokens.a : tokens.admin;
      const before = await snapshot(db);
      // Raw bodies, so malformed JSON and lone surrogates go as they are.
      for (const attempt of list) {
        const response = await fetch(`${service.url}${attempt.path}`, {
          method: route.method.toUpperCase(),
          headers: {
            authorization: `Bearer ${token}`,
            ...(attempt.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: attempt.body,
        });
        const text = await response.text();
        const what = `${key} with ${attempt.name}: ${response.status} ${text.slice(0, 300)}`;
        if (attempt.reportedAs && response.status === 200) {
          const report = JSON.parse(text) as { valid?: unknown; problems?: { code?: string }[] };
          expect(report.valid, what).toBe(false);
          const codes = (report.problems ?? []).map((problem) => problem.code ?? '');
          expect(
            codes.some((code) => code.includes(attempt.reportedAs!)),
            what,
          ).toBe(true);
          continue;
        }
        expect(response.status, what).toBeGreaterThanOrEqual(400);
        expect(response.status, what).toBeLessThan(500);
        const parsed = JSON.parse(text) as { error?: { code?: unknown } };
        expect(typeof parsed.error?.code, what).toBe('string');
        if (attempt.names) expect(text, what).toContain(attempt.names);
      }
      expect(({} as Record<string, unknown>)['pollutedByTest']).toBeUndefined();
      // Read once per route (reading after every request costs minutes): a failure lists the
      // tables that changed; bisect with the cases above.
      expect(changedTables(before, await snapshot(db)), `tables changed by ${key}`).toEqual([]);
    },
  );
});
