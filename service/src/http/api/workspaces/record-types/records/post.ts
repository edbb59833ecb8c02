import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { parseInput } from '../../../../validation.ts';
import { recordView } from '../../../../views.ts';
import { param } from '../../../params.ts';
import { valuesSchema } from '../../records/values-schema.ts';
import { defineContract } from '../../../../contract/route-contract.ts';
import { recordAnswer } from '../../../../contract/answers.ts';

const body = z.object({ values: valuesSchema }).strict();

export const postRecordContract = defineContract({
  summary: 'Creates a record',
  body,
  responses: { 201: recordAnswer },
});

/** POST /api/workspaces/:workspaceId/record-types/:recordTypeKey/records */
export function postRecord(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { values } = parseInput(postRecordContract.body, req.body);
    const record = unwrap(
      await services.records.create(param(req, 'workspaceId'), param(req, 'recordTypeKey'), values),
    );
    res.status(201).location(`/api/workspaces/${param(req, 'workspaceId')}/records/${record.id}`);
    res.json(recordView(record));
  });
}
