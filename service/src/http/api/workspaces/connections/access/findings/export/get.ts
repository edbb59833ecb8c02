import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../../../services.ts';
import { asyncHandler } from '../../../../../../async-handler.ts';
import { defineContract } from '../../../../../../contract/route-contract.ts';
import { unwrap } from '../../../../../../outcome.ts';
import { parseInput } from '../../../../../../validation.ts';
import { param } from '../../../../../params.ts';
import { findingView, sendCsv } from '../../access-views.ts';
import { findingFilters } from '../get.ts';

const query = z.object(findingFilters).strict();

export const getAccessFindingsExportContract = defineContract({
  summary: 'The findings as CSV',
  query,
  responses: { 200: z.string() },
  produces: 'text/csv',
});

const COLUMNS = ['kind', 'subjectId', 'subjectName', 'details', 'suggestedAction', 'createdAt'];

/** GET …/connections/:connectionId/access/findings/export */
export function getAccessFindingsExport(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const filter = parseInput(getAccessFindingsExportContract.query, req.query);
    const workspaceId = param(req, 'workspaceId');
    const connectionId = param(req, 'connectionId');
    await sendCsv(
      res,
      'findings.csv',
      COLUMNS,
      async (page) =>
        unwrap(await services.access.findings(workspaceId, connectionId, filter, page)),
      findingView,
    );
  });
}
