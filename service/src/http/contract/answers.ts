import { z } from 'zod';
import { attributeDefinitionSchema } from '../../mapping/attribute-types.ts';
import { objectMappingSchema } from '../../mapping/object-mapping.ts';
import { timestamp } from './route-contract.ts';

/**
 * The answers' shapes, one per view in ../views.ts, with every field the view writes, so the
 * OpenAPI document says what an answer holds. A property a view adds without its schema is
 * dropped by a parse, never an error: add it here to document it.
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
  attributes: z.array(attributeDefinitionSchema),
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

export const connectionAnswer = z.object({
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
  edition: z.string().nullable(),
  isSandbox: z.boolean().nullable(),
  instanceUrl: z.string().nullable(),
  username: z.string().nullable(),
  clientId: z.string(),
  apiCallCount: z.number().int(),
  authCallCount: z.number().int(),
  orgApiUsage: z
    .object({ used: z.number(), limit: z.number(), reportedAt: nullableTimestamp })
    .nullable(),
  apiAllowancePercent: z.number().int(),
  changeSource: z.string().describe('Where real-time changes come from: flows, cdc or paused'),
  tokenIssuedAt: nullableTimestamp,
  connectedAt: nullableTimestamp,
  disconnectedAt: nullableTimestamp,
  createdAt: timestamp,
  updatedAt: timestamp,
});

/** A validation report of a mapping (problems found against the org's describe). */
export const validationReportAnswer = z.object({
  valid: z.boolean().describe('True when no problem is an error'),
  problems: z.array(
    z.object({
      code: z.string(),
      severity: z.enum(['error', 'warning']),
      field: z.string().optional().describe('The Salesforce field (or path) concerned'),
      attribute: z.string().optional().describe('The Pryzm attribute concerned'),
      mapping: z.string().optional().describe('The field mapping concerned'),
      message: z.string(),
    }),
  ),
});

/** A saved object mapping: the mapping as it was saved, with its state. */
export const mappingAnswer = objectMappingSchema.extend({
  id: z.string().uuid(),
  connectionId: z.string().uuid(),
  enabled: z.boolean(),
  validation: validationReportAnswer.nullable().describe('The last validation against the org'),
  validatedAt: nullableTimestamp,
  createdAt: timestamp,
  updatedAt: timestamp,
});

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

/**
 * What happened to one field of a record in a job: a value skipped (`code`, `reason`), a
 * conflict (`code: "conflict"` with the three values), a push's field result (`status`), or a
 * sensitive attribute the caller may not read (`hidden`).
 */
export const fieldEntryAnswer = z.object({
  attribute: z.string(),
  code: z.string().optional(),
  reason: z.string().optional(),
  status: z.enum(['synced', 'skipped']).optional(),
  mapping: z.string().optional(),
  salesforceFields: z.array(z.string()).optional(),
  note: z.string().optional(),
  base: recordValue.optional(),
  pryzm: recordValue.optional(),
  salesforce: recordValue.optional(),
  hidden: z.literal(true).optional(),
});

export const recordResultAnswer = z.object({
  id: z.string().uuid(),
  salesforceObject: z.string(),
  salesforceId: z.string().nullable(),
  recordId: z.string().nullable(),
  action: z.string(),
  error: z.object({ code: z.string(), message: z.string().nullable() }).nullable(),
  fields: z.array(fieldEntryAnswer),
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
      base: recordValue.optional(),
      pryzm: recordValue.optional(),
      salesforce: recordValue.optional(),
      hidden: z.literal(true).optional().describe('A sensitive attribute the caller may not read'),
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
  baseValues: z.record(z.string(), recordValue).nullable(),
  lastSyncedAt: nullableTimestamp,
});
