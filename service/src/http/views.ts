import type { Connection } from '../connections/connection.ts';
import type { Mapping } from '../mappings/mapping-service.ts';
import type { RecordView } from '../records/record-service.ts';
import type { RecordType } from '../records/record-type-service.ts';
import type { Conflict } from '../sync/conflicts/conflicts.ts';
import type { RecordResult, SyncJob } from '../sync/jobs/sync-jobs.ts';
import type { ApiKey, Workspace } from '../workspaces/workspace-service.ts';

/** What the API shows of the use cases' objects: explicit fields only, so nothing secret slips out. */
export const workspaceView = (row: Workspace) => ({
  id: row.id,
  name: row.name,
  slug: row.slug,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export const apiKeyView = (row: ApiKey) => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  createdAt: row.createdAt,
  lastUsedAt: row.lastUsedAt,
  revokedAt: row.revokedAt,
  role: row.role,
  /** Set on a member's personal token. */
  memberId: row.memberId,
  /** The key that minted this one; revoking it revoked this one too. */
  parentKeyId: row.parentKeyId,
  expiresAt: row.expiresAt,
});

export const recordTypeView = (row: RecordType) => ({
  id: row.id,
  key: row.key,
  name: row.name,
  pluralName: row.pluralName,
  kind: row.kind,
  builtIn: row.builtIn,
  attributes: row.attributes,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export const recordView = (row: RecordView) => ({
  id: row.id,
  recordType: row.recordType,
  values: row.values,
  version: row.version,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  deletedAt: row.deletedAt,
});

const STATUS_LABELS: Record<Connection['status'], string> = {
  pending_authorization: 'Waiting for authorisation',
  active: 'Active',
  needs_reauthorization: 'Needs re-authorisation',
  disconnected: 'Disconnected',
};

/** A connection as the API shows it: who and where the org is, status and API usage. */
export const connectionView = (row: Connection) => ({
  id: row.id,
  label: row.label,
  environment: row.environment,
  loginUrl: row.loginUrl,
  authFlow: row.authFlow,
  status: row.status,
  statusLabel: STATUS_LABELS[row.status],
  statusMessage: row.statusMessage,
  orgId: row.orgId,
  orgName: row.orgName,
  edition: row.edition,
  isSandbox: row.isSandbox,
  instanceUrl: row.instanceUrl,
  username: row.username,
  clientId: row.clientId,
  apiCallCount: row.apiCallCount,
  authCallCount: row.authCallCount,
  /** The org's requests today (every client, not only this one) against its daily allocation. */
  orgApiUsage:
    row.orgApiUsed === null || row.orgApiLimit === null
      ? null
      : { used: row.orgApiUsed, limit: row.orgApiLimit, reportedAt: row.orgApiUsageAt },
  apiAllowancePercent: row.apiAllowancePercent,
  /** Where real-time changes come from: flows, cdc or paused. */
  changeSource: row.changeSource,
  tokenIssuedAt: row.tokenIssuedAt,
  connectedAt: row.connectedAt,
  disconnectedAt: row.disconnectedAt,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export const mappingView = (row: Mapping) => ({
  ...row.mapping,
  id: row.id,
  connectionId: row.connectionId,
  enabled: row.enabled,
  validation: row.validation,
  validatedAt: row.validatedAt,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

/** A sync job: status, per-object progress (with rate and ETA while running), counts, calls. */
export const jobView = (job: SyncJob) => {
  const end = job.finishedAt?.getTime() ?? Date.now();
  return {
    id: job.id,
    connectionId: job.connectionId,
    kind: job.kind,
    mode: job.mode,
    status: job.status,
    startedBy: job.startedBy,
    cancelRequested: job.cancelRequested,
    counts: job.counts,
    apiCalls: job.apiCalls,
    error: job.error,
    objects: job.progress.map((object) => {
      const started = object.startedAt ? Date.parse(object.startedAt) : null;
      const stopped = object.finishedAt ? Date.parse(object.finishedAt) : end;
      const seconds = started === null ? 0 : Math.max((stopped - started) / 1000, 0.001);
      const rate = started === null ? null : Math.round(object.processed / seconds);
      const remaining = object.total === null ? null : Math.max(object.total - object.processed, 0);
      return {
        ...object,
        ratePerSecond: rate,
        etaSeconds:
          object.finishedAt || remaining === null || !rate ? null : Math.ceil(remaining / rate),
      };
    }),
    queuedAt: job.queuedAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
};

export const recordResultView = (result: RecordResult) => ({
  id: result.id,
  salesforceObject: result.salesforceObject,
  salesforceId: result.salesforceId,
  recordId: result.recordId,
  action: result.action,
  error: result.errorCode ? { code: result.errorCode, message: result.errorMessage } : null,
  fields: result.fields ?? [],
  at: result.createdAt,
});

export const conflictView = (conflict: Conflict) => ({
  id: conflict.id,
  connectionId: conflict.connectionId,
  recordId: conflict.recordId,
  salesforceObject: conflict.salesforceObject,
  salesforceId: conflict.salesforceId,
  status: conflict.status,
  fields: conflict.fields,
  jobId: conflict.jobId,
  createdAt: conflict.createdAt,
  updatedAt: conflict.updatedAt,
  resolvedAt: conflict.resolvedAt,
});
