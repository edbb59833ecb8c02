import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../../services.ts';
import { asyncHandler } from '../../../../../async-handler.ts';
import { defineContract } from '../../../../../contract/route-contract.ts';
import { unwrap } from '../../../../../outcome.ts';
import { parseInput } from '../../../../../validation.ts';
import { param } from '../../../../params.ts';
import { settingsAnswer, settingsView } from '../access-views.ts';

const body = z
  .object({
    /** Days without a login after which an active user on a paid licence is reported. */
    inactiveDays: z.number().int().min(1).max(3650).optional(),
    /** Days without use after which an OAuth token is reported. */
    tokenUnusedDays: z.number().int().min(1).max(3650).optional(),
    /** Seats used (percent of the total) at which a licence is reported. */
    licenceUsagePercent: z.number().int().min(1).max(100).optional(),
    /** Hours between scheduled pulls; 0 turns the schedule off. */
    pullIntervalHours: z
      .number()
      .int()
      .min(0)
      .max(24 * 30)
      .optional(),
  })
  .strict();

export const patchAccessSettingsContract = defineContract({
  summary:
    "Changes a connection's finding thresholds or pull interval (findings follow from the next pull)",
  body,
  responses: { 200: settingsAnswer },
});

/** PATCH …/connections/:connectionId/access/settings */
export function patchAccessSettings(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const changes = parseInput(patchAccessSettingsContract.body, req.body);
    const settings = unwrap(
      await services.access.updateThresholds(
        param(req, 'workspaceId'),
        param(req, 'connectionId'),
        changes,
      ),
    );
    res.json(settingsView(settings));
  });
}
