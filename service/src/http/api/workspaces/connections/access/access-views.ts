import type { Response } from 'express';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import type { AccessActionRow } from '../../../../../access/governance/access-action-service.ts';
import type {
  AccessPullRow,
  AccessSettingsRow,
} from '../../../../../access/governance/access-service.ts';
import { timestamp } from '../../../../contract/route-contract.ts';

/** The access governance answers: views of the use case's rows, and their shapes. */

const iso = (value: Date | null) => (value ? value.toISOString() : null);

export function pullView(pull: AccessPullRow) {
  return {
    id: pull.id,
    connectionId: pull.connectionId,
    status: pull.status,
    startedBy: pull.startedBy,
    objects: pull.objects,
    apiCalls: pull.apiCalls,
    findings: pull.findings,
    error: pull.error,
    queuedAt: pull.queuedAt.toISOString(),
    startedAt: iso(pull.startedAt),
    finishedAt: iso(pull.finishedAt),
  };
}

export const pullAnswer = z
  .object({
    id: z.string().uuid(),
    connectionId: z.string().uuid(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    startedBy: z.string(),
    objects: z.array(
      z
        .object({
          object: z.string(),
          kind: z.string(),
          api: z.enum(['bulk', 'rest']),
          rows: z.number().int(),
          apiCalls: z.number().int(),
          finishedAt: timestamp.nullable(),
        })
        .passthrough(),
    ),
    apiCalls: z.number().int(),
    findings: z.number().int(),
    error: z.string().nullable(),
    queuedAt: timestamp,
    startedAt: timestamp.nullable(),
    finishedAt: timestamp.nullable(),
  })
  .passthrough();

export function recordView(row: {
  salesforceId: string;
  name: string | null;
  userId: string | null;
  targetId: string | null;
  active: boolean | null;
  at: Date | null;
  email: string | null;
  personId: string | null;
  fields: Record<string, unknown>;
  id: string;
}) {
  return {
    id: row.id,
    salesforceId: row.salesforceId,
    name: row.name,
    userId: row.userId,
    targetId: row.targetId,
    active: row.active,
    at: iso(row.at),
    email: row.email,
    personId: row.personId,
    fields: row.fields,
  };
}

export const recordAnswer = z
  .object({
    id: z.string().uuid(),
    salesforceId: z.string(),
    name: z.string().nullable(),
    userId: z.string().nullable(),
    targetId: z.string().nullable(),
    active: z.boolean().nullable(),
    at: timestamp.nullable(),
    email: z.string().nullable(),
    personId: z.string().nullable(),
    fields: z.record(z.unknown()),
  })
  .passthrough();

export function loginView(row: {
  id: string;
  salesforceId: string;
  userId: string;
  loginTime: Date;
  status: string | null;
  sourceIp: string | null;
  loginType: string | null;
  application: string | null;
}) {
  return {
    id: row.id,
    salesforceId: row.salesforceId,
    userId: row.userId,
    loginTime: row.loginTime.toISOString(),
    status: row.status,
    sourceIp: row.sourceIp,
    loginType: row.loginType,
    application: row.application,
  };
}

export const loginAnswer = z
  .object({
    id: z.string().uuid(),
    salesforceId: z.string(),
    userId: z.string(),
    loginTime: timestamp,
    status: z.string().nullable(),
    sourceIp: z.string().nullable(),
    loginType: z.string().nullable(),
    application: z.string().nullable(),
  })
  .passthrough();

export function findingView(row: {
  id: string;
  kind: string;
  subjectId: string;
  subjectName: string | null;
  details: Record<string, unknown>;
  suggestedAction: Record<string, unknown> | null;
  pullId: string;
  createdAt: Date;
}) {
  return {
    id: row.id,
    kind: row.kind,
    subjectId: row.subjectId,
    subjectName: row.subjectName,
    details: row.details,
    suggestedAction: row.suggestedAction,
    pullId: row.pullId,
    createdAt: row.createdAt.toISOString(),
  };
}

export const findingAnswer = z
  .object({
    id: z.string().uuid(),
    kind: z.string(),
    subjectId: z.string(),
    subjectName: z.string().nullable(),
    details: z.record(z.unknown()),
    suggestedAction: z.record(z.unknown()).nullable(),
    pullId: z.string().uuid(),
    createdAt: timestamp,
  })
  .passthrough();

export function actionView(row: AccessActionRow) {
  return {
    id: row.id,
    connectionId: row.connectionId,
    action: row.action,
    request: row.request,
    dryRun: row.dryRun,
    status: row.status,
    actor: row.actor,
    results: row.results,
    apiCalls: row.apiCalls,
    createdAt: row.createdAt.toISOString(),
  };
}

export const actionAnswer = z
  .object({
    id: z.string().uuid(),
    connectionId: z.string().uuid(),
    action: z.string(),
    request: z.record(z.unknown()),
    dryRun: z.boolean(),
    status: z.enum(['previewed', 'succeeded', 'partially_succeeded', 'failed', 'refused']),
    actor: z.string(),
    results: z.array(z.record(z.unknown())),
    apiCalls: z.number().int(),
    createdAt: timestamp,
  })
  .passthrough();

export function settingsView(row: AccessSettingsRow) {
  return {
    connectionId: row.connectionId,
    inactiveDays: row.inactiveDays,
    tokenUnusedDays: row.tokenUnusedDays,
    licenceUsagePercent: row.licenceUsagePercent,
    pullIntervalHours: row.pullIntervalHours,
  };
}

export const settingsAnswer = z.object({
  connectionId: z.string().uuid(),
  inactiveDays: z.number().int(),
  tokenUnusedDays: z.number().int(),
  licenceUsagePercent: z.number().int(),
  pullIntervalHours: z.number().int(),
});

/** Rows per page an export reads; the whole list is written, page after page. */
/** Rows read a page at a time for an export. */
const EXPORT_PAGE = 1_000;

/** Which page of a list an export reads next. */
export interface ExportPage {
  limit: number;
  cursor: string | undefined;
}

/**
 * Streams a list as CSV: a header, then the rows of each page as it is read. Nested values
 * (a record's fields, a finding's details) are written as JSON in their cell. The first page is
 * read before anything is written, so a bad request still answers JSON.
 */
export async function sendCsv<T>(
  res: Response,
  filename: string,
  columns: readonly string[],
  readPage: (page: ExportPage) => Promise<{ data: T[]; nextCursor: string | null }>,
  row: (item: T) => Record<string, unknown>,
): Promise<void> {
  const first = await readPage({ limit: EXPORT_PAGE, cursor: undefined });
  res.status(200);
  res.setHeader('content-type', 'text/csv; charset=utf-8');
  res.setHeader('content-disposition', `attachment; filename="${filename}"`);
  res.write(stringify([columns as string[]]));
  let cursor: string | undefined;
  do {
    const page = cursor ? await readPage({ limit: EXPORT_PAGE, cursor }) : first;
    const lines = page.data.map((item) => {
      const values = row(item);
      return columns.map((column) => {
        const value = values[column];
        if (value === null || value === undefined) return '';
        return typeof value === 'object' ? JSON.stringify(value) : String(value);
      });
    });
    if (lines.length > 0) res.write(stringify(lines));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  res.end();
}

export function startedBy(actor: string | null): string {
  return actor ? `api_key:${actor}` : 'admin';
}
