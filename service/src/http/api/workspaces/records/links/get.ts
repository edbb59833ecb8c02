import type { RequestHandler } from 'express';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { param } from '../../../params.ts';

/**
 * GET /api/workspaces/:workspaceId/records/:recordId/links
 * The Salesforce records this record is linked to, one per connection and object.
 */
export function getRecordLinks(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const links = unwrap(
      await services.records.links(param(req, 'workspaceId'), param(req, 'recordId')),
    );
    res.json({
      data: links.map((link) => ({
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
