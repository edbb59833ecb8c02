import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../../../services.ts';
import { asyncHandler } from '../../../../../../async-handler.ts';
import { defineContract } from '../../../../../../contract/route-contract.ts';
import { unwrap } from '../../../../../../outcome.ts';
import { parseInput } from '../../../../../../validation.ts';
import { param } from '../../../../../params.ts';
import { EXPORT_PAGE, findingView, sendCsv } from '../../access-views.ts';
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
    const read = async (cursor: string | undefined) =>
      unwrap(
        await services.access.findings(
          param(req, 'workspaceId'),
          param(req, 'connectionId'),
          filter,
          {
            limit: EXPORT_PAGE,
            cursor,
          },
        ),
      );
    const first = await read(undefined);
    await sendCsv(
      res,
      'findings.csv',
      COLUMNS,
      (c) => (c ? read(c) : Promise.resolve(first)),
      findingView,
    );
  });
}
