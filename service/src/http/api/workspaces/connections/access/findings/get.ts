import type { RequestHandler } from 'express';
import { z } from 'zod';
import { FINDING_KINDS } from '../../../../../../access/governance/findings.ts';
import type { Services } from '../../../../../../services.ts';
import { asyncHandler } from '../../../../../async-handler.ts';
import { pageAnswer } from '../../../../../contract/paging.ts';
import { defineContract } from '../../../../../contract/route-contract.ts';
import { unwrap } from '../../../../../outcome.ts';
import { parseInput } from '../../../../../validation.ts';
import { param } from '../../../../params.ts';
import { findingAnswer, findingView } from '../access-views.ts';

export const findingFilters = {
  kind: z.enum(FINDING_KINDS).optional(),
  subjectId: z.string().max(18).optional(),
};

const query = z
  .object({
    ...findingFilters,
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().uuid().optional(),
  })
  .strict();

export const getAccessFindingsContract = defineContract({
  summary:
    'What the last access pull found, each with the records concerned and a suggested action',
  query,
  responses: { 200: pageAnswer(findingAnswer) },
});

/** GET …/connections/:connectionId/access/findings?kind&subjectId&limit&cursor */
export function getAccessFindings(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { limit, cursor, ...filter } = parseInput(getAccessFindingsContract.query, req.query);
    const page = unwrap(
      await services.access.findings(
        param(req, 'workspaceId'),
        param(req, 'connectionId'),
        filter,
        {
          limit,
          cursor,
        },
      ),
    );
    res.json({ data: page.data.map(findingView), nextCursor: page.nextCursor });
  });
}
