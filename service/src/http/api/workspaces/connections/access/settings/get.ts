import type { RequestHandler } from 'express';
import type { Services } from '../../../../../../services.ts';
import { asyncHandler } from '../../../../../async-handler.ts';
import { defineContract } from '../../../../../contract/route-contract.ts';
import { unwrap } from '../../../../../outcome.ts';
import { param } from '../../../../params.ts';
import { settingsAnswer, settingsView } from '../access-views.ts';

export const getAccessSettingsContract = defineContract({
  summary: "A connection's finding thresholds and pull interval",
  responses: { 200: settingsAnswer },
});

/** GET …/connections/:connectionId/access/settings */
export function getAccessSettings(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const settings = unwrap(
      await services.access.thresholds(param(req, 'workspaceId'), param(req, 'connectionId')),
    );
    res.json(settingsView(settings));
  });
}
