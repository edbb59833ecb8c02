import type { RequestHandler } from 'express';
import { z } from 'zod';
import { attributeDefinitionSchema } from '../../../../mapping/attribute-types.ts';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { parseInput } from '../../../validation.ts';
import { recordTypeView } from '../../../views.ts';
import { param } from '../../params.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { recordTypeAnswer } from '../../../contract/answers.ts';

const body = z
  .object({
    name: z.string().min(1).max(120).optional(),
    pluralName: z.string().min(1).max(120).optional(),
    attributes: z.array(attributeDefinitionSchema).min(1).optional(),
  })
  .strict();

export const patchRecordTypeContract = defineContract({
  summary: 'Renames a record type or replaces its attributes',
  body,
  responses: { 200: recordTypeAnswer },
});

/** PATCH /api/workspaces/:workspaceId/record-types/:recordTypeKey */
export function patchRecordType(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const change = parseInput(patchRecordTypeContract.body, req.body);
    const row = unwrap(
      await services.recordTypes.update(
        param(req, 'workspaceId'),
        param(req, 'recordTypeKey'),
        change,
      ),
    );
    res.json(recordTypeView(row));
  });
}
