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

// A linear-time shape check with a length cap (no backtracking regex on caller input).
const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .refine((value) => {
    const at = value.indexOf('@');
    return (
      at > 0 &&
      at === value.lastIndexOf('@') &&
      value.indexOf('.', at) > at + 1 &&
      !/\s/.test(value)
    );
  }, 'an email address');

const body = z
  .object({ email, name: z.string().trim().min(1).max(120), role: roleSchema })
  .strict();

export const postMemberContract = defineContract({
  summary: "Adds a member with a role no higher than the caller's (Admins)",
  body,
  responses: { 201: memberAnswer },
});

/** POST /api/workspaces/:workspaceId/members: a person with a role (no higher than the caller's). */
export function postMember(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const input = parseInput(body, req.body);
    const member = unwrap(
      await services.members.add(param(req, 'workspaceId'), input, roleOfCaller(req)),
    );
    res.status(201).json(memberView(member));
  });
}
