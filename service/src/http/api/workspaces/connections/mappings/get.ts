import type { RequestHandler } from 'express';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { mappingView } from '../../../../views.ts';
import { param } from '../../../params.ts';
import { parseInput } from '../../../../validation.ts';
import { defineContract } from '../../../../contract/route-contract.ts';
import { pageAnswer, pageOfList, pageQuery } from '../../../../contract/paging.ts';
import { mappingAnswer } from '../../../../contract/answers.ts';
import { z } from 'zod';

export const getMappingsContract = defineContract({
  summary: 'Object mappings of the connection',
  query: z.object(pageQuery).strict(),
  responses: { 200: pageAnswer(mappingAnswer) },
});

/** GET /api/workspaces/:workspaceId/connections/:connectionId/mappings */
export function getMappings(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const pageRequest = parseInput(getMappingsContract.query, req.query);
    const rows = unwrap(
      await services.mappings.list(param(req, 'workspaceId'), param(req, 'connectionId')),
    );
    const page = pageOfList(rows, (row) => row.id, pageRequest);
    res.json({ data: page.data.map(mappingView), nextCursor: page.nextCursor });
  });
}
