import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { parseInput } from '../../../../validation.ts';
import { recordView } from '../../../../views.ts';
import { param } from '../../../params.ts';
import { roleOfCaller } from '../../../../auth/principal.ts';
import { seesSensitive, withoutKeys } from '../../../../../access/field-hiding.ts';
import { defineContract } from '../../../../contract/route-contract.ts';
import { pageAnswer } from '../../../../contract/paging.ts';
import { recordAnswer } from '../../../../contract/answers.ts';

const query = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().uuid().optional(),
    includeDeleted: z.enum(['true', 'false']).default('false'),
  })
  .strict();

export const getRecordsContract = defineContract({
  summary: 'Records of a record type, oldest first',
  query,
  responses: { 200: pageAnswer(recordAnswer) },
});

/** GET /api/workspaces/:workspaceId/record-types/:recordTypeKey/records?limit&cursor&includeDeleted */
export function getRecords(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const options = parseInput(getRecordsContract.query, req.query);
    const page = unwrap(
      await services.records.list(param(req, 'workspaceId'), param(req, 'recordTypeKey'), {
        limit: options.limit,
        cursor: options.cursor,
        includeDeleted: options.includeDeleted === 'true',
      }),
    );
    // Attributes an Admin marked sensitive never reach a Viewer.
    const hidden = seesSensitive(roleOfCaller(req))
      ? new Set<string>()
      : await services.fieldHiding.sensitiveAttributes(param(req, 'workspaceId'), page.recordType);
    res.json({
      data: page.records.map((record) =>
        recordView({
          ...record,
          values: withoutKeys(record.values, hidden),
          recordType: page.recordType,
        }),
      ),
      nextCursor: page.nextCursor,
    });
  });
}
