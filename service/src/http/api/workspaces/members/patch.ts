import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../services.ts';
import { roleOfCaller } from '../../../auth/principal.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { parseInput } from '../../../validation.ts';
import { memberView } from '../../../views-access.ts';
import { param } from '../../params.ts';
import { roleSchema } from '../key-input.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { memberAnswer } from '../../access-answers.ts';

const body = z
  .object({ name: z.string().trim().min(1).max(120).optional(), role: roleSchema.optional() })
  .strict();

export const patchMemberContract = defineContract({
  summary: 'Renames a member or changes their role; every token follows at once (Admins)',
  body,
  responses: { 200: memberAnswer },
});

/** PATCH /api/workspaces/:workspaceId/members/:memberId: a new role applies to every token at once. */
export function patchMember(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const change = parseInput(body, req.body);
    const member = unwrap(
      await services.members.update(
        param(req, 'workspaceId'),
        param(req, 'memberId'),
        change,
        roleOfCaller(req),
      ),
    );
    res.json(memberView(member));
  });
}
