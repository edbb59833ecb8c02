import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../../../services.ts';
import { asyncHandler } from '../../../../../../async-handler.ts';
import { defineContract } from '../../../../../../contract/route-contract.ts';
import { unwrap } from '../../../../../../outcome.ts';
import { parseInput } from '../../../../../../validation.ts';
import { param } from '../../../../../params.ts';
import { loginView, sendCsv } from '../../access-views.ts';
import { loginFilter, loginFilters } from '../login-query.ts';

const query = z.object(loginFilters).strict();

export const getAccessLoginsExportContract = defineContract({
  summary: 'The login history as CSV (the same filters as the list)',
  query,
  responses: { 200: z.string() },
  produces: 'text/csv',
});

const COLUMNS = [
  'salesforceId',
  'userId',
  'loginTime',
  'status',
  'sourceIp',
  'loginType',
  'application',
];

/** GET …/connections/:connectionId/access/login-history/export */
export function getAccessLoginsExport(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const filter = loginFilter(parseInput(getAccessLoginsExportContract.query, req.query));
    const workspaceId = param(req, 'workspaceId');
    const connectionId = param(req, 'connectionId');
    await sendCsv(
      res,
      'login-history.csv',
      COLUMNS,
      async (page) => unwrap(await services.access.logins(workspaceId, connectionId, filter, page)),
      loginView,
    );
  });
}
