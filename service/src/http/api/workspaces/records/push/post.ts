import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { initiatorOf } from '../../../../auth/principal.ts';
import { ApiError } from '../../../../errors/api-error.ts';
import { unwrap } from '../../../../outcome.ts';
import { parseInput } from '../../../../validation.ts';
import { param } from '../../../params.ts';
import { defineContract } from '../../../../contract/route-contract.ts';
import { fieldEntryAnswer } from '../../../../contract/answers.ts';

const body = z
  .object({
    connectionId: z.string().uuid(),
    /** Needed only when several mappings of the connection push this record's type. */
    salesforceObject: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]*$/)
      .optional(),
  })
  .strict();

export const postRecordPushContract = defineContract({
  summary: 'Push to Salesforce: one upsert by Pryzm_ID__c',
  body,
  responses: {
    200: z.object({
      jobId: z.string().uuid().describe('The push job that records this push'),
      action: z.enum(['created', 'updated', 'unchanged', 'failed']),
      salesforceObject: z.string(),
      salesforceId: z.string().nullable(),
      fields: z.array(fieldEntryAnswer),
      error: z.object({ code: z.string(), message: z.string() }).nullable(),
      apiCalls: z.number().int(),
    }),
  },
});

/**
 * POST /api/workspaces/:workspaceId/records/:recordId/push: "Push to Salesforce". One upsert
 * by `Pryzm_ID__c`; the answer says what happened to each field. Salesforce's refusal answers
 * 422 `salesforce_rejected` with Salesforce's code and message.
 */
export function postRecordPush(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const target = parseInput(postRecordPushContract.body, req.body);
    const outcome = unwrap(
      await services.recordPush.push(
        param(req, 'workspaceId'),
        param(req, 'recordId'),
        target,
        initiatorOf(req),
      ),
    );
    if (outcome.error) {
      throw new ApiError(
        422,
        'salesforce_rejected',
        `Salesforce refused the record: ${outcome.error.code}: ${outcome.error.message}`,
        { ...outcome, salesforceErrorCode: outcome.error.code },
      );
    }
    res.json(outcome);
  });
}
