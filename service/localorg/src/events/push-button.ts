/**
 * The package's Push button: the Apex behind it publishes `Pryzm_Push_Request__e` with the
 * clicking user as requester and a fresh correlation id that the sync result carries back.
 */
import { randomUUID } from 'node:crypto';
import type { ApiError, EventBusHost, PlatformEventPublisher } from '../core/contracts.ts';

export const PUSH_REQUEST_EVENT = 'Pryzm_Push_Request__e';

export interface PushClick {
  orgId: string;
  userId: string;
  recordId: string;
  /** The record's object; found from the id's key prefix when left out. */
  objectName?: string;
}

export type PushClickResult =
  | { success: true; correlationId: string; eventId: string; objectName: string }
  | { success: false; errors: ApiError[] };

const KNOWN_OBJECTS = ['Account', 'Contact', 'Opportunity', 'Lead', 'Case'];

export function clickPush(
  host: EventBusHost,
  publisher: PlatformEventPublisher,
  click: PushClick,
): PushClickResult {
  const objectName =
    click.objectName ??
    KNOWN_OBJECTS.find((name) => {
      const prefix = host.describe(click.orgId, name)?.keyPrefix;
      return prefix && click.recordId.startsWith(prefix);
    });
  if (!objectName) {
    return {
      success: false,
      errors: [
        { message: `invalid record id: ${click.recordId}`, errorCode: 'MALFORMED_ID', fields: [] },
      ],
    };
  }
  const correlationId = randomUUID();
  const result = publisher.publish(click.orgId, click.userId, PUSH_REQUEST_EVENT, {
    Record_Id__c: click.recordId,
    Object_Name__c: objectName,
    Requested_By__c: click.userId,
    Correlation_Id__c: correlationId,
  });
  if (!result.success) return result;
  return { success: true, correlationId, eventId: result.id, objectName };
}
