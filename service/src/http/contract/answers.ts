import { z } from 'zod';
import { timestamp } from './route-contract.ts';

/**
 * The answers' shapes, one per view in ../views.ts. Kept as loose objects (unknown properties
 * pass) so a field added to a view is not an error, while every documented field is checked.
 */
const nullableTimestamp = timestamp.nullable();

export const workspaceAnswer = z.object({
  id: z.string().uuid(),
  name: z.string(),
  slug: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const apiKeyAnswer = z.object({
  id: z.string().uuid(),
  name: z.string(),
  prefix: z.string(),
  createdAt: timestamp,
  lastUsedAt: nullableTimestamp,
  revokedAt: nullableTimestamp,
});

/** A new key: its secret appears in this answer only. */
export const issuedApiKeyAnswer = apiKeyAnswer.extend({ secret: z.string() });

export const recordTypeAnswer = z.object({
  id: z.string().uuid(),
  key: z.string(),
  name: z.string(),
  pluralName: z.string(),
  kind: z.string(),
  builtIn: z.boolean(),
  attributes: z.array(
    z.object({ key: z.string(), name: z.string(), type: z.string() }).passthrough(),
  ),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const recordValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.string()),
  z.null(),
]);

export const recordAnswer = z.object({
  id: z.string().uuid(),
  recordType: z.string(),
  values: z.record(z.string(), recordValue),
  version: z.number().int(),
  createdAt: timestamp,
  updatedAt: timestamp,
  deletedAt: nullableTimestamp,
});

export const connectionAnswer = z
  .object({
    id: z.string().uuid(),
    label: z.string().nullable(),
    environment: z.string(),
    loginUrl: z.string().nullable(),
    authFlow: z.string(),
    status: z.enum(['pending_authorization', 'active', 'needs_reauthorization', 'disconnected']),
    statusLabel: z.string(),
    statusMessage: z.string().nullable(),
    orgId: z.string().nullable(),
    orgName: z.string().nullable(),
    instanceUrl: z.string().nullable(),
    username: z.string().nullable(),
    apiCallCount: z.number().int(),
    authCallCount: z.number().int(),
    orgApiUsage: z
      .object({ used: z.number(), limit: z.number(), reportedAt: nullableTimestamp })
      .nullable(),
    apiAllowancePercent: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .passthrough();

export const mappingAnswer = z
  .object({
    id: z.string().uuid(),
    connectionId: z.string().uuid(),
    salesforceObject: z.string(),
    recordType: z.string(),
    enabled: z.boolean(),
    fields: z.array(z.object({}).passthrough()),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .passthrough();

/** A validation report of a mapping (problems found against the org's describe). */
export const validationReportAnswer = z.object({}).passthrough();

const jobCounts = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  deleted: z.number().int(),
  linked: z.number().int(),
  unchanged: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  conflicts: z.number().int(),
});

export const jobAnswer = z.object({
  id: z.string().uuid(),
  connectionId: z.string().uuid(),
  kind: z.enum(['pull', 'push', 'sync']),
  mode: z.enum(['full', 'incremental', 'records', 'window', 'auto']),
  status: z.string(),
  startedBy: z.string(),
  cancelRequested: z.boolean(),
  counts: jobCounts,
  apiCalls: z.number().int(),
  error: z.string().nullable(),
  objects: z.array(
    z.object({
      salesforceObject: z.string(),
      phase: z.enum(['pull', 'push']),
      total: z.number().int().nullable(),
      processed: z.number().int(),
      counts: jobCounts,
      startedAt: z.string().nullable(),
      finishedAt: z.string().nullable(),
      ratePerSecond: z.number().nullable(),
      etaSeconds: z.number().nullable(),
    }),
  ),
  queuedAt: timestamp,
  startedAt: nullableTimestamp,
  finishedAt: nullableTimestamp,
});

export const recordResultAnswer = z.object({
  id: z.string().uuid(),
  salesforceObject: z.string(),
  salesforceId: z.string().nullable(),
  recordId: z.string().nullable(),
  action: z.string(),
  error: z.object({ code: z.string(), message: z.string().nullable() }).nullable(),
  fields: z.array(z.unknown()),
  at: timestamp,
});

export const conflictAnswer = z.object({
  id: z.string().uuid(),
  connectionId: z.string().uuid(),
  recordId: z.string().uuid(),
  salesforceObject: z.string(),
  salesforceId: z.string(),
  status: z.enum(['open', 'resolved']),
  fields: z.array(
    z.object({
      attribute: z.string(),
      base: z.unknown(),
      pryzm: z.unknown(),
      salesforce: z.unknown(),
    }),
  ),
  jobId: z.string().uuid().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
  resolvedAt: nullableTimestamp,
});

export const linkAnswer = z.object({
  id: z.string().uuid(),
  connectionId: z.string().uuid(),
  salesforceObject: z.string(),
  salesforceId: z.string(),
  baseValues: z.record(z.string(), z.unknown()).nullable(),
  lastSyncedAt: nullableTimestamp,
});
