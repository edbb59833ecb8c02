import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { seesSensitive } from '../../../../../../access/field-hiding.ts';
import type { Services } from '../../../../../../services.ts';
import { roleOfCaller } from '../../../../../auth/principal.ts';
import { asyncHandler } from '../../../../../async-handler.ts';
import { defineContract } from '../../../../../contract/route-contract.ts';
import { unwrap } from '../../../../../outcome.ts';
import { parseInput } from '../../../../../validation.ts';
import { param } from '../../../../params.ts';

export const getRecordsExportContract = defineContract({
  summary: 'Every live record of the type as CSV (id, version, timestamps, then attributes)',
  query: z.object({}).strict(),
  produces: 'text/csv',
  responses: {
    200: z.string().describe('RFC 4180 CSV with a header row; multi_select values joined with ";"'),
  },
});

/**
 * GET /api/workspaces/:workspaceId/record-types/:recordTypeKey/records/export: streamed page by
 * page. Attributes an Admin marked sensitive are left out for Viewers.
 */
export function getRecordsExport(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    parseInput(getRecordsExportContract.query, req.query);
    const workspaceId = param(req, 'workspaceId');
    const recordTypeKey = param(req, 'recordTypeKey');
    const hidden = seesSensitive(roleOfCaller(req))
      ? new Set<string>()
      : await services.fieldHiding.sensitiveAttributes(workspaceId, recordTypeKey);
    const { columns, attributes } = unwrap(
      await services.recordCsv.columns(workspaceId, recordTypeKey, hidden),
    );
    res.status(200);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${recordTypeKey}.csv"`);
    await pipeline(
      Readable.from(services.recordCsv.rows(workspaceId, recordTypeKey, attributes)),
      stringify({ header: true, columns }),
      res,
    );
  });
}
