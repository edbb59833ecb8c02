import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { ApiError } from '../../../errors/api-error.ts';
import { parseInput } from '../../../validation.ts';
import { auditEventView } from '../../../views-access.ts';
import { param } from '../../params.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { pageAnswer } from '../../../contract/paging.ts';
import { auditEventAnswer } from '../../access-answers.ts';

const query = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().min(1).max(200).optional(),
    /** Only events that ended this way (a cursor keeps working with the same filters). */
    outcome: z.enum(['succeeded', 'failed', 'denied']).optional(),
    /** Only events by this API key, personal token or console session. */
    actorId: z.string().min(1).max(100).optional(),
  })
  .strict();

export const getAuditContract = defineContract({
  summary: 'The audit trail of administrative actions, newest first (Admins)',
  query,
  responses: { 200: pageAnswer(auditEventAnswer) },
});

/** GET /api/workspaces/:workspaceId/audit?limit&cursor&outcome&actorId: newest first (Admins). */
export function getAudit(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const options = parseInput(query, req.query);
    const page = await services.audit.page(param(req, 'workspaceId'), options);
    if (!page) throw new ApiError(400, 'invalid_cursor', 'The cursor is not one this API gave out');
    res.json({ data: page.events.map(auditEventView), nextCursor: page.nextCursor });
  });
}
