import type { RequestHandler } from 'express';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { param } from '../../../params.ts';
import { parseInput } from '../../../../validation.ts';
import { defineContract } from '../../../../contract/route-contract.ts';
import { pageAnswer, pageOfList, pageQuery } from '../../../../contract/paging.ts';
import { linkAnswer } from '../../../../contract/answers.ts';
import { z } from 'zod';

export const getRecordLinksContract = defineContract({
  summary: 'The Salesforce records this record is linked to',
  query: z.object(pageQuery).strict(),
  responses: { 200: pageAnswer(linkAnswer) },
});

/**
 * GET /api/workspaces/:workspaceId/records/:recordId/links
 * The Salesforce records this record is linked to, one per connection and object.
 */
export function getRecordLinks(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const pageRequest = parseInput(getRecordLinksContract.query, req.query);
    const links = unwrap(
      await services.records.links(param(req, 'workspaceId'), param(req, 'recordId')),
    );
    const page = pageOfList(links, (link) => link.id, pageRequest);
    res.json({
      nextCursor: page.nextCursor,
      data: page.data.map((link) => ({
        id: link.id,
        connectionId: link.connectionId,
        salesforceObject: link.salesforceObject,
        salesforceId: link.salesforceId,
        baseValues: link.baseValues,
        lastSyncedAt: link.lastSyncedAt,
      })),
    });
  });
}
