/**
 * HTTP endpoints that drive the event side of the local org in tests: a user clicking Push,
 * and the event bus faults. Mounted by the local org under `/_localorg/orgs/:orgId/events`.
 */
import express, { type Request, type Response } from 'express';
import type { EventBusHost } from '../core/contracts.ts';
import type { CdcChangeType } from './avro-schemas.ts';
import type { EventBus } from './event-bus.ts';
import { clickPush } from './push-button.ts';
import { checkSend, sendOutboundMessage, sObjectFields } from './outbound-messages.ts';

const GAP_TYPES = ['GAP_CREATE', 'GAP_UPDATE', 'GAP_DELETE', 'GAP_UNDELETE'];

function orgOf(host: EventBusHost, req: Request, res: Response): string | undefined {
  const orgId = String(req.params['orgId'] ?? '');
  const found = host.orgIds().find((id) => id === orgId || id.slice(0, 15) === orgId.slice(0, 15));
  if (!found) res.status(404).json([{ message: `No org ${orgId}`, errorCode: 'NOT_FOUND' }]);
  return found;
}

function body(req: Request): Record<string, unknown> {
  return (req.body ?? {}) as Record<string, unknown>;
}

function badRequest(res: Response, message: string): void {
  res.status(400).json([{ message, errorCode: 'INVALID_FIELD' }]);
}

export function eventControlRouter(host: EventBusHost, bus: EventBus): express.Router {
  const router = express.Router({ mergeParams: true });
  router.use(express.json());

  router.post('/push', (req, res) => {
    const orgId = orgOf(host, req, res);
    if (!orgId) return;
    const { userId, recordId, objectName } = body(req);
    if (typeof userId !== 'string' || typeof recordId !== 'string') {
      return badRequest(res, 'userId and recordId are required');
    }
    const result = clickPush(host, bus, {
      orgId,
      userId,
      recordId,
      objectName: typeof objectName === 'string' ? objectName : undefined,
    });
    if (!result.success) return void res.status(400).json(result.errors);
    res.status(201).json(result);
  });

  // An outbound message action firing for records: the notification goes to `url` and is
  // retried until acknowledged; answers how the delivery went.
  router.post('/outbound-messages', async (req, res) => {
    const orgId = orgOf(host, req, res);
    if (!orgId) return;
    const { url, object, ids, notificationIds, fields } = body(req);
    const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
    if (typeof url !== 'string' || typeof object !== 'string' || !strings(ids)) {
      return badRequest(res, 'url, object and ids are required');
    }
    if (notificationIds !== undefined && !strings(notificationIds)) {
      return badRequest(res, 'notificationIds: a list of ids');
    }
    if (fields !== undefined && !strings(fields)) {
      return badRequest(res, 'fields: a list of field names');
    }
    const send = {
      orgId,
      url,
      objectName: object,
      recordIds: ids as string[],
      ...(notificationIds ? { notificationIds: notificationIds as string[] } : {}),
      instanceUrl: `${req.protocol}://${req.get('host') ?? 'localhost'}`,
    };
    const errors = checkSend(host, send, fields as string[] | undefined);
    if (errors.length > 0) return void res.status(400).json(errors);
    // The fields an outbound message definition would select, with the records' values now.
    const describe = host.describe(orgId, object)!;
    const carried = new Map(
      (ids as string[]).map((id) => {
        const record = host.liveRecord?.(orgId, describe.name, id);
        return [id, record ? sObjectFields(describe, (fields as string[]) ?? [], record) : []];
      }),
    );
    res.status(200).json(await sendOutboundMessage({ ...send, fields: carried }));
  });

  router.post('/faults/drop-streams', (req, res) => {
    const orgId = orgOf(host, req, res);
    if (!orgId) return;
    bus.faults.dropStreams(orgId);
    res.status(204).end();
  });

  router.post('/faults/refuse-subscriptions', (req, res) => {
    const orgId = orgOf(host, req, res);
    if (!orgId) return;
    const seconds = Number(body(req)['seconds']);
    if (!(seconds >= 0)) return badRequest(res, 'seconds must be a number');
    bus.faults.refuseSubscriptions(orgId, seconds);
    res.status(204).end();
  });

  router.post('/faults/stall', (req, res) => {
    const orgId = orgOf(host, req, res);
    if (!orgId) return;
    const seconds = body(req)['seconds'];
    bus.faults.stall(orgId, seconds === undefined ? undefined : Number(seconds));
    res.status(204).end();
  });

  router.post('/faults/resume', (req, res) => {
    const orgId = orgOf(host, req, res);
    if (!orgId) return;
    bus.faults.resume(orgId);
    res.status(204).end();
  });

  router.post('/faults/expire', (req, res) => {
    const orgId = orgOf(host, req, res);
    if (!orgId) return;
    const olderThanSeconds = Number(body(req)['olderThanSeconds']);
    if (!(olderThanSeconds >= 0)) return badRequest(res, 'olderThanSeconds must be a number');
    res.json({ expired: bus.expireOlderThan(orgId, olderThanSeconds * 1000) });
  });

  router.post('/faults/retention', (req, res) => {
    const orgId = orgOf(host, req, res);
    if (!orgId) return;
    const hours = Number(body(req)['hours']);
    if (!(hours > 0)) return badRequest(res, 'hours must be a positive number');
    bus.setRetention(orgId, hours * 3600_000);
    bus.applyRetention(orgId);
    res.status(204).end();
  });

  router.post('/faults/gap', (req, res) => {
    const orgId = orgOf(host, req, res);
    if (!orgId) return;
    const { objectName, recordIds, changeType = 'GAP_UPDATE' } = body(req);
    if (
      typeof objectName !== 'string' ||
      !Array.isArray(recordIds) ||
      !GAP_TYPES.includes(String(changeType))
    ) {
      return badRequest(
        res,
        `objectName, recordIds and changeType (${GAP_TYPES.join(', ')}) are required`,
      );
    }
    const ok = bus.emitGap(orgId, objectName, recordIds.map(String), changeType as CdcChangeType);
    if (!ok) return badRequest(res, `Change Data Capture is not enabled for ${objectName}`);
    res.status(204).end();
  });

  router.post('/faults/overflow', (req, res) => {
    const orgId = orgOf(host, req, res);
    if (!orgId) return;
    const { objectName } = body(req);
    if (typeof objectName !== 'string' || !bus.emitOverflow(orgId, objectName)) {
      return badRequest(res, 'objectName must be an object with Change Data Capture enabled');
    }
    res.status(204).end();
  });

  return router;
}
