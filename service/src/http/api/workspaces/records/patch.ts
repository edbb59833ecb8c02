import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { parseInput } from '../../../validation.ts';
import { recordView } from '../../../views.ts';
import { param } from '../../params.ts';
import { expectedVersion } from './expected-version.ts';
import { valuesSchema, versionSchema } from './values-schema.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { recordAnswer } from '../../../contract/answers.ts';

const body = z.object({ values: valuesSchema, version: versionSchema.optional() }).strict();

export const patchRecordContract = defineContract({
  summary: 'Merges values into a record; 409 on a stale version',
  body,
  responses: { 200: recordAnswer },
});

/** PATCH /api/workspaces/:workspaceId/records/:recordId: merges values; 409 on a stale version. */
export function patchRecord(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const input = parseInput(patchRecordContract.body, req.body);
    const record = unwrap(
      await services.records.update(
        param(req, 'workspaceId'),
        param(req, 'recordId'),
        input.values,
        expectedVersion(req, input.version),
      ),
    );
    res.setHeader('ETag', `"${record.version}"`);
    res.json(recordView(record));
  });
}
