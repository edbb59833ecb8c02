/**
 * Salesforce Outbound Messages as a change source, for orgs that trigger with a workflow rule or
 * a Flow's outbound message action: Salesforce POSTs a SOAP `notifications` message to the
 * connection's endpoint URL (`/outbound-messages/<connectionId>/<secret>`), the connector checks
 * the secret and that `OrganizationId` is the connection's org, leaves out notifications it
 * applied before, reads the records by id (one SOQL per 200) and applies them the way real-time
 * changes are applied (the mapping's conflict strategy), marking the notifications applied in
 * the same transaction. Only then does it answer the Ack that stops Salesforce's retries.
 *
 * Salesforce cannot send a bearer token: the URL's secret is the credential. It is shown once,
 * stored as a SHA-256 hash, and issuing a new one replaces the old.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ConnectionService } from '../../connections/connection-service.ts';
import { connectionNotFound } from '../../connections/connection-problems.ts';
import type { Outcome } from '../../outcome/problem.ts';
import type { ConnectionRow } from '../../store/repositories/connections.ts';
import { markNotificationsApplied } from '../../store/repositories/outbound-messages.ts';
import type { TransactionClient } from '../../store/repositories/transaction.ts';
import { applyRows, fetchRecords, type MappedObject } from './apply-changes.ts';
import { loadMappedObjects } from './mapped-objects.ts';
import { parseOutboundMessage, type OutboundNotification } from './outbound-notification.ts';
import type { RealtimeDeps } from './realtime-deps.ts';
import { RealtimeWindow } from './realtime-window.ts';

export type OutboundDeps = Pick<
  RealtimeDeps,
  'repositories' | 'mappings' | 'describes' | 'logger' | 'workerId'
> & {
  connections: ConnectionService;
  /** Base URL Salesforce reaches this service on (PUBLIC_URL), when known. */
  publicUrl?: () => string;
};

/** What the endpoint answers: an Ack, or a fault with its HTTP status. */
export type OutboundAnswer =
  | { ack: true; applied: number; duplicates: number }
  | { ack: false; status: number; fault: 'Client' | 'Server'; message: string };

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const sameOrg = (a: string, b: string) => a.slice(0, 15) === b.slice(0, 15);

export class OutboundMessages {
  constructor(private readonly deps: OutboundDeps) {}

  /** A new endpoint secret for the connection (the old one stops working); shown only now. */
  async issueEndpoint(
    workspaceId: string,
    connectionId: string,
  ): Promise<Outcome<{ connectionId: string; path: string; url: string | null; secret: string }>> {
    const connection = await this.deps.repositories.connections.find(workspaceId, connectionId);
    if (!connection) return connectionNotFound(connectionId);
    const secret = randomBytes(32).toString('base64url');
    await this.deps.repositories.outboundMessages.setSecretHash(connectionId, sha256(secret));
    const path = `/outbound-messages/${connectionId}/${secret}`;
    const base = this.deps.publicUrl?.().replace(/\/+$/, '') ?? '';
    return { ok: true, value: { connectionId, path, url: base ? `${base}${path}` : null, secret } };
  }

  /** Handles one `notifications` message; never applies anything it refuses. */
  async receive(connectionId: string, secret: string, xml: string): Promise<OutboundAnswer> {
    const refuse = (status: number, message: string): OutboundAnswer => ({
      ack: false,
      status,
      fault: 'Client',
      message,
    });
    const { repositories, logger } = this.deps;
    const connection = await repositories.connections.findById(connectionId);
    const stored = connection ? await repositories.outboundMessages.secretHash(connectionId) : null;
    const given = Buffer.from(sha256(secret), 'hex');
    if (!connection || !stored || !timingSafeEqual(given, Buffer.from(stored, 'hex'))) {
      return refuse(403, 'This outbound message endpoint is not known.');
    }
    const parsed = parseOutboundMessage(xml);
    if (!parsed.ok) return refuse(400, `Not an outbound message: ${parsed.reason}.`);
    const { message } = parsed;
    if (!connection.orgId || !sameOrg(message.organizationId, connection.orgId)) {
      logger.warn(
        { connectionId, organizationId: message.organizationId },
        'outbound message from another org refused',
      );
      return refuse(403, 'The OrganizationId is not the org of this connection.');
    }
    if (connection.status !== 'active') {
      // Salesforce retries for 24 hours: time to reauthorise the connection.
      return {
        ack: false,
        status: 503,
        fault: 'Server',
        message: 'The connection is not signed in; send again later.',
      };
    }
    const ids = message.notifications.map((n) => n.id);
    const seen = await repositories.outboundMessages.applied(connectionId, ids);
    const fresh = message.notifications.filter((n) => !seen.has(n.id));
    if (fresh.length === 0) return { ack: true, applied: 0, duplicates: ids.length };
    try {
      await this.apply(connection, fresh);
    } catch (error) {
      logger.error({ err: error, connectionId }, 'outbound message not applied');
      return {
        ack: false,
        status: 500,
        fault: 'Server',
        message: 'The changes could not be applied; send again later.',
      };
    }
    logger.info(
      { connectionId, notifications: fresh.length, duplicates: seen.size },
      'outbound message applied',
    );
    return { ack: true, applied: fresh.length, duplicates: seen.size };
  }

  /**
   * Reads and applies the notifications' records inside a real-time job of their own; the
   * notification ids commit with the last object's records (or alone when none is mapped).
   */
  private async apply(connection: ConnectionRow, fresh: OutboundNotification[]): Promise<void> {
    const { deps } = this;
    const objects = await loadMappedObjects(deps, connection);
    const byObject = new Map<MappedObject, Set<string>>();
    for (const notification of fresh) {
      const object = objects.get(notification.objectName.toLowerCase());
      // Objects not synced from Salesforce: nothing to apply, the notification is still taken.
      if (!object || object.mapping.direction === 'push') continue;
      const ids = byObject.get(object) ?? new Set<string>();
      ids.add(notification.recordId);
      byObject.set(object, ids);
    }
    const notificationIds = fresh.map((n) => n.id);
    if (byObject.size === 0) {
      await deps.repositories.outboundMessages.markApplied(connection.id, notificationIds);
      return;
    }
    const window = new RealtimeWindow(
      deps.repositories,
      deps.connections,
      connection,
      deps.workerId,
      Number.MAX_SAFE_INTEGER,
      () => [...byObject.keys()].map((object) => object.mapping.salesforceObject),
    );
    const { run, client } = await window.current();
    let failed = false;
    try {
      const entries = [...byObject.entries()];
      let marked = false;
      for (const [index, [object, ids]] of entries.entries()) {
        const rows = await fetchRecords(client, object, [...ids]);
        const mark =
          index === entries.length - 1 && rows.length > 0
            ? async (tx: TransactionClient) => {
                await markNotificationsApplied(tx, connection.id, notificationIds);
                marked = true;
              }
            : undefined;
        if (rows.length === 0) continue;
        await applyRows(
          deps.repositories,
          { run, workspaceId: connection.workspaceId, connectionId: connection.id, client, object },
          rows,
          mark,
        );
      }
      // Records outside the mapping's filter (or deleted meanwhile) were not read: still taken.
      if (!marked) {
        await deps.repositories.outboundMessages.markApplied(connection.id, notificationIds);
      }
    } catch (error) {
      // The job says the message failed; Salesforce sends it again and a new job applies it.
      failed = true;
      await deps.repositories.syncJobs
        .finish(run.job.id, {
          status: 'failed',
          error: (error as Error).message,
          ...run.snapshot(),
        })
        .catch(() => undefined);
      throw error;
    } finally {
      if (!failed) await window.close();
    }
  }
}
