import type { SalesforceClient } from '../../salesforce/client.ts';
import { bulkQuery } from '../../salesforce/bulk-query.ts';
import { restQuery } from '../../salesforce/rest-query.ts';
import type {
  AccessLoginInput,
  AccessPullObject,
  AccessPullRow,
  AccessRecordInput,
  AccessRecordRow,
  AccessRepository,
} from '../../store/repositories/access.ts';
import { computeFindings, type Snapshot } from './findings.ts';
import {
  ACCESS_KINDS,
  LOGIN_HISTORY,
  bool,
  soql,
  text,
  type AccessKind,
  type Api,
  type SalesforceRow,
} from './kinds.ts';

/**
 * One access pull: every kind in `ACCESS_KINDS` order (licences and profiles before the users
 * they describe), each replaced in one transaction; then login history after the newest row
 * kept; then the findings. Progress (rows and API calls per object) is written after each
 * object, which also tells other processes this one is alive.
 */

export interface PullSettings {
  /** Rows per Bulk API 2.0 results page. */
  pageSize: number;
  pollIntervalMs?: number;
}

export interface PullRun {
  pull: AccessPullRow;
  client: SalesforceClient;
  /** Calls the run's client has sent so far (counted by its usage recorder). */
  apiCalls(): number;
  now(): Date;
}

async function* rows(
  client: SalesforceClient,
  api: Api,
  query: string,
  settings: PullSettings,
): AsyncGenerator<SalesforceRow[]> {
  if (api === 'bulk') {
    for await (const page of bulkQuery(client, query, {
      maxRecords: settings.pageSize,
      pollIntervalMs: settings.pollIntervalMs,
      maxPollIntervalMs: Math.max(settings.pollIntervalMs ?? 1_000, 2_000),
    })) {
      yield page.records;
    }
  } else {
    yield* restQuery<SalesforceRow>(client, query);
  }
}

const date = (value: unknown): Date | null => {
  const parsed = typeof value === 'string' && value ? Date.parse(value) : NaN;
  return Number.isNaN(parsed) ? null : new Date(parsed);
};

/** Bulk CSV leaves every value a string; lists show booleans and numbers as such. */
function typed(row: SalesforceRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === '' || value === undefined) out[key] = null;
    else if (value === 'true' || value === 'false') out[key] = value === 'true';
    else if (typeof value === 'string' && /^(Total|Used|Allowed)Licenses$|^UseCount$/.test(key)) {
      out[key] = Number(value);
    } else out[key] = value;
  }
  return out;
}

function toInput(kind: AccessKind, row: SalesforceRow): AccessRecordInput {
  const fields = typed(row);
  const target =
    typeof kind.targetId === 'function'
      ? kind.targetId(row)
      : kind.targetId
        ? text(row[kind.targetId])
        : null;
  return {
    salesforceId: String(row['Id']),
    name: kind.name(row),
    userId: kind.userId ? text(row[kind.userId]) : null,
    targetId: target,
    active: kind.active ? kind.active(row) : null,
    at: kind.at ? date(row[kind.at]) : null,
    email: typeof row['Email'] === 'string' && row['Email'] ? row['Email'].toLowerCase() : null,
    personId: null,
    fields,
  };
}

/**
 * What lists want to filter users on without joins: their profile, role and licence names,
 * whether they are frozen, and the Pryzm person with their email.
 */
function enrichUsers(
  users: AccessRecordInput[],
  snapshot: Snapshot,
  persons: Map<string, string>,
): void {
  const names = (kind: string) =>
    new Map((snapshot[kind] ?? []).map((r) => [r.salesforceId, r] as const));
  const profiles = names('profiles');
  const roles = names('roles');
  const licences = names('user-licences');
  const frozen = new Set(
    (snapshot['user-logins'] ?? []).filter((l) => bool(l.fields['IsFrozen'])).map((l) => l.userId),
  );
  for (const user of users) {
    const profile = profiles.get(String(user.fields['ProfileId']));
    const licence = licences.get(String(profile?.targetId));
    Object.assign(user.fields, {
      profileName: profile?.name ?? null,
      roleName: roles.get(String(user.fields['UserRoleId']))?.name ?? null,
      licenceId: licence?.salesforceId ?? null,
      licenceName: licence?.name ?? null,
      frozen: frozen.has(user.salesforceId),
    });
    user.personId = user.email ? (persons.get(user.email) ?? null) : null;
  }
}

export async function runAccessPull(
  repository: AccessRepository,
  run: PullRun,
  settings: PullSettings,
): Promise<{ objects: AccessPullObject[]; findings: number }> {
  const { pull, client } = run;
  const objects: AccessPullObject[] = [];
  const snapshot: Record<string, AccessRecordRow[]> = {};
  const persons = await repository.personsByEmail(pull.workspaceId);
  const progress = async () =>
    repository.updatePull(pull.id, { objects, apiCalls: run.apiCalls(), heartbeatAt: new Date() });

  for (const kind of ACCESS_KINDS) {
    const before = run.apiCalls();
    const inputs: AccessRecordInput[] = [];
    for await (const page of rows(client, kind.api, soql(kind), settings)) {
      for (const row of page) inputs.push(toInput(kind, row));
    }
    if (kind.kind === 'users') enrichUsers(inputs, snapshot, persons);
    await repository.replaceRecords(pull.connectionId, kind.kind, pull.id, inputs);
    snapshot[kind.kind] = inputs.map((input) => ({
      ...input,
      id: input.salesforceId,
      connectionId: pull.connectionId,
      kind: kind.kind,
      pullId: pull.id,
    }));
    objects.push({
      object: kind.object,
      kind: kind.kind,
      api: kind.api,
      rows: inputs.length,
      apiCalls: run.apiCalls() - before,
      finishedAt: new Date().toISOString(),
    });
    await progress();
  }

  // Login history: only what is newer than the newest row kept. `>=` with the row's id as the
  // key: rows of the same second are read again and skipped, never missed.
  const before = run.apiCalls();
  const since = await repository.newestLogin(pull.connectionId);
  const where = since ? ` WHERE LoginTime >= ${since.toISOString().replace(/\.\d{3}Z$/, 'Z')}` : '';
  const entry: AccessPullObject = {
    object: LOGIN_HISTORY.object,
    kind: 'login-history',
    api: 'bulk',
    rows: 0,
    apiCalls: 0,
    finishedAt: null,
  };
  objects.push(entry);
  for await (const page of rows(client, 'bulk', `${soql(LOGIN_HISTORY)}${where}`, settings)) {
    const logins: AccessLoginInput[] = [];
    for (const row of page) {
      const at = date(row['LoginTime']);
      if (!at || !row['Id'] || !row['UserId']) continue;
      logins.push({
        salesforceId: String(row['Id']),
        userId: String(row['UserId']),
        loginTime: at,
        status: text(row['Status']),
        sourceIp: text(row['SourceIp']),
        loginType: text(row['LoginType']),
        application: text(row['Application']),
      });
    }
    entry.rows += await repository.appendLogins(pull.connectionId, logins);
    entry.apiCalls = run.apiCalls() - before;
    await progress();
  }
  entry.apiCalls = run.apiCalls() - before;
  entry.finishedAt = new Date().toISOString();
  await progress();

  const thresholds = await repository.settings(pull.connectionId);
  const findings = computeFindings(snapshot, thresholds, run.now());
  await repository.replaceFindings(pull.connectionId, pull.id, findings);
  return { objects, findings: findings.length };
}
