import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../../../services.ts';
import { asyncHandler } from '../../../../../../async-handler.ts';
import { defineContract } from '../../../../../../contract/route-contract.ts';
import { unwrap } from '../../../../../../outcome.ts';
import { parseInput } from '../../../../../../validation.ts';
import { param } from '../../../../../params.ts';
import { recordView, sendCsv } from '../../access-views.ts';
import { listFilters, recordFilter } from '../list-query.ts';

const query = z.object(listFilters).strict();

export const getAccessListExportContract = defineContract({
  summary: 'One access list as CSV (the same filters as the list)',
  query,
  responses: { 200: z.string() },
  produces: 'text/csv',
});

const COLUMNS = [
  'salesforceId',
  'name',
  'userId',
  'targetId',
  'active',
  'at',
  'email',
  'personId',
  'fields',
];

/** GET …/connections/:connectionId/access/lists/:accessList/export */
export function getAccessListExport(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const filter = recordFilter(parseInput(getAccessListExportContract.query, req.query));
    const list = param(req, 'accessList');
    const workspaceId = param(req, 'workspaceId');
    const connectionId = param(req, 'connectionId');
    await sendCsv(
      res,
      `${list}.csv`,
      COLUMNS,
      async (page) =>
        unwrap(await services.access.list(workspaceId, connectionId, list, filter, page)),
      recordView,
    );
  });
}
