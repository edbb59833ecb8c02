import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { parseInput } from '../../../../validation.ts';
import { recordResultView } from '../../../../views.ts';
import { param } from '../../../params.ts';
import { hideFieldEntries } from '../../../../../access/field-hiding.ts';
import { hiddenAttributesFor } from '../../../field-visibility.ts';
import { defineContract } from '../../../../contract/route-contract.ts';
import { pageAnswer } from '../../../../contract/paging.ts';
import { recordResultAnswer } from '../../../../contract/answers.ts';

const query = z
  .object({
    action: z
      .enum([
        'created',
        'updated',
        'linked',
        'unchanged',
        'skipped',
        'failed',
        'conflict',
        'deleted',
      ])
      .optional(),
    object: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]*$/)
      .optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().uuid().optional(),
  })
  .strict();

export const getJobRecordsContract = defineContract({
  summary: 'What a job did to each record',
  query,
  responses: { 200: pageAnswer(recordResultAnswer) },
});

/**
 * GET /api/workspaces/:workspaceId/jobs/:jobId/records?action&object&limit&cursor: what the job
 * did to each record, with the fields that did not sync and why.
 */
export function getJobRecords(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { action, object, limit, cursor } = parseInput(getJobRecordsContract.query, req.query);
    const page = unwrap(
      await services.syncJobs.results(
        param(req, 'workspaceId'),
        param(req, 'jobId'),
        { ...(action ? { action } : {}), ...(object ? { salesforceObject: object } : {}) },
        { limit, cursor },
      ),
    );
    // A Viewer sees which fields of a record did not sync, never a sensitive one's values.
    const hidden = await hiddenAttributesFor(req, services);
    res.json({
      data: page.results.map((result) =>
        recordResultView({ ...result, fields: hideFieldEntries(result.fields, hidden) }),
      ),
      nextCursor: page.nextCursor,
    });
  });
}
