import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { memberView } from '../../../views-access.ts';
import { param } from '../../params.ts';
import { z } from 'zod';
import { defineContract } from '../../../contract/route-contract.ts';
import { pageAnswer, pageOfList, pageQuery } from '../../../contract/paging.ts';
import { parseInput } from '../../../validation.ts';
import { memberAnswer } from '../../access-answers.ts';

export const getMembersContract = defineContract({
  summary: 'Members of the workspace with their roles (Admins)',
  query: z.object(pageQuery).strict(),
  responses: { 200: pageAnswer(memberAnswer) },
});

/** GET /api/workspaces/:workspaceId/members */
export function getMembers(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const pageRequest = parseInput(getMembersContract.query, req.query);
    const members = await services.members.list(param(req, 'workspaceId'));
    const page = pageOfList(members, (member) => member.id, pageRequest);
    res.json({ data: page.data.map(memberView), nextCursor: page.nextCursor });
  });
}
