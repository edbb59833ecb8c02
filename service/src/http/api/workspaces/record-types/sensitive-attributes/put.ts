import type { RequestHandler } from 'express';
import { z } from 'zod';
import { attributeKeySchema } from '../../../../../mapping/attribute-types.ts';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { parseInput } from '../../../../validation.ts';
import { recordTypeView } from '../../../../views.ts';
import { param } from '../../../params.ts';
import { defineContract } from '../../../../contract/route-contract.ts';
import { recordTypeAnswer } from '../../../../contract/answers.ts';

const body = z.object({ attributes: z.array(attributeKeySchema).max(500) }).strict();

export const putSensitiveAttributesContract = defineContract({
  summary:
    'Marks exactly these attributes sensitive: Viewers and webhooks never receive them (Admins)',
  body,
  responses: { 200: recordTypeAnswer },
});

/**
 * PUT /api/workspaces/:workspaceId/record-types/:recordTypeKey/sensitive-attributes: exactly
 * these attributes are sensitive from now on; Viewers and webhooks no longer receive them.
 */
export function putSensitiveAttributes(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { attributes } = parseInput(body, req.body);
    const recordType = unwrap(
      await services.fieldHiding.markSensitive(
        param(req, 'workspaceId'),
        param(req, 'recordTypeKey'),
        attributes,
      ),
    );
    res.json(recordTypeView(recordType));
  });
}
