import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../services.ts';
import { unwrap } from '../../../outcome.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { principalOf } from '../../../auth/principal.ts';
import { ApiError } from '../../../errors/api-error.ts';
import { defineContract, timestamp } from '../../../contract/route-contract.ts';
import { parseInput } from '../../../validation.ts';
import { SETUP_JOB_STATUSES, setupJobSummary, type SetupJobSummary } from './job-summary.ts';

/**
 * A Salesforce org id (key prefix 00D): 15 case-sensitive characters, or 18 with the case-safe
 * suffix the API returns (ID field type:
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/field_types.htm). The Apex sends
 * UserInfo.getOrganizationId()
 * (https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_methods_system_userinfo.htm).
 */
const orgIdShape = /^00D[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?$/;

const query = z
  .object({
    orgId: z
      .string()
      .regex(orgIdShape, 'a Salesforce org id (00D…, 15 or 18 characters)')
      .optional(),
  })
  .strict();

const jobSummaryAnswer = z
  .object({
    jobId: z.string(),
    kind: z.string(),
    status: z.enum(SETUP_JOB_STATUSES),
    jobStatus: z.string(),
    finishedAt: timestamp.nullable(),
    recordCount: z.number().int(),
    message: z.string().nullable(),
  })
  .strict();

export const getSalesforceSetupStatusContract = defineContract({
  summary:
    "The package's Mapping and First pull steps: the org's connection, its mapped objects, " +
    'its last pull and its last job of any kind',
  query,
  responses: {
    200: z
      .object({
        connectionId: z.string(),
        orgId: z.string().nullable(),
        mappedObjects: z.array(z.string()),
        lastPull: jobSummaryAnswer.nullable(),
        lastSync: jobSummaryAnswer.nullable(),
      })
      .strict(),
  },
});

/** Both ids in their case-sensitive 15-character form (the 18-character suffix only adds case). */
const sameOrg = (a: string, b: string) => a.slice(0, 15) === b.slice(0, 15);

type Connection = Awaited<ReturnType<Services['connections']['list']>>[number];

/**
 * The connection the callout is about: the one of the org it names, or without an org id the
 * workspace's only one.
 */
function connectionFor(connections: Connection[], orgId: string | undefined): Connection {
  if (orgId !== undefined) {
    const ofOrg = connections.filter((c) => c.orgId !== null && sameOrg(c.orgId, orgId));
    // The same org connected twice: the one that works says most about setup.
    const chosen = ofOrg.find((c) => c.status === 'active') ?? ofOrg[0];
    if (!chosen) {
      throw new ApiError(
        404,
        'connection_not_found',
        `No connection of this workspace is authorised to the org ${orgId}; connect it in Pryzm first`,
        { orgId },
      );
    }
    return chosen;
  }
  const [only, ...others] = connections;
  if (!only) {
    throw new ApiError(
      404,
      'connection_not_found',
      'This workspace has no Salesforce connection; connect the org in Pryzm first',
    );
  }
  if (others.length > 0) {
    throw new ApiError(
      409,
      'connection_ambiguous',
      `This workspace has ${connections.length} connections; name the org with ?orgId=00D…`,
      { orgIds: connections.map((c) => c.orgId) },
    );
  }
  return only;
}

/**
 * GET /api/salesforce/setup-status?orgId=: what PryzmServiceClient.setupStatus() asks through the
 * Pryzm_Service Named Credential. The key names the workspace, the org id the connection.
 */
export function getSalesforceSetupStatus(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { orgId } = parseInput(getSalesforceSetupStatusContract.query, req.query);
    const principal = principalOf(req);
    if (principal.kind !== 'workspace') {
      throw new ApiError(
        403,
        'workspace_key_required',
        "This endpoint answers for a workspace's API key (the one the Named Credential sends)",
      );
    }
    const { workspaceId } = principal;
    const connection = connectionFor(await services.connections.list(workspaceId), orgId);
    const mappings = unwrap(await services.mappings.list(workspaceId, connection.id));
    const newest = async (kind?: 'pull' | 'sync') =>
      (
        await services.syncJobs.list(
          workspaceId,
          { connectionId: connection.id, ...(kind ? { kind } : {}) },
          { limit: 1 },
        )
      ).jobs[0];
    // A `sync` job pulls too (then pushes): the newer of the two is the last pull.
    const pulls = [await newest('pull'), await newest('sync')].filter((job) => job !== undefined);
    const lastPull = pulls.sort((a, b) => b.queuedAt.getTime() - a.queuedAt.getTime())[0];
    const lastJob = await newest();
    const summary = (job: typeof lastJob, phase?: 'pull'): SetupJobSummary | null =>
      job ? setupJobSummary(job, phase) : null;
    res.json({
      connectionId: connection.id,
      orgId: connection.orgId,
      mappedObjects: [...new Set(mappings.map((m) => m.mapping.salesforceObject))].sort(),
      lastPull: summary(lastPull, 'pull'),
      lastSync: summary(lastJob),
    });
  });
}
