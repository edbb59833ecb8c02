/**
 * The local org's emulation of the package's PryzmPushController
 * (force-app/main/default/classes/PryzmPushController.cls): the same checks in the same order
 * and the same messages (its Custom Labels), answered from the org's records, permission sets and sharing. Push
 * requests go through `clickPush`, which publishes `Pryzm_Push_Request__e` as the clicking user.
 */
import { normalizeId } from '../../core/ids.ts';
import { clickPush } from '../../events/push-button.ts';
import type { Org } from '../../org/org.ts';
import { userRecordAccessQuery } from '../../rest/user-record-access.ts';
import { ApexException, namespacePrefix, type ApexContext } from './apex-context.ts';

export const SYNCED_OBJECTS = ['Account', 'Contact', 'Opportunity', 'Lead', 'Case'];
export const PRYZM_FIELDS = [
  'Pryzm_ID__c',
  'Pryzm_Last_Synced__c',
  'Pryzm_Sync_Status__c',
  'Pryzm_Sync_Error__c',
];
const PUSH_PERMISSION = 'Pryzm_Push';

/** PryzmPushController.PushContext as the component receives it. */
export interface PushContext {
  canPush: boolean;
  reason: string | null;
  objectApiName: string | null;
  pryzmId: string | null;
  lastSynced: string | null;
  syncStatus: string | null;
  syncError: string | null;
  resultChannel: string;
  fieldPrefix: string;
}

/** `Id recordId` parameter: Apex refuses a value that is not an id before the method runs. */
function toId(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  const id = typeof value === 'string' ? normalizeId(value) : undefined;
  if (!id) throw new ApexException(`Invalid id: ${String(value)}`, 'System.StringException');
  return id;
}

/** An Apex Datetime as Aura serialises it: ISO 8601 in UTC. */
function datetime(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = typeof value === 'string' ? value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2') : value;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function text(value: unknown): string | null {
  return value === null || value === undefined || value === '' ? null : String(value);
}

/** Why the running user may not push, in the order an admin would fix it (denialReason). */
function denialReason(
  ctx: ApexContext,
  hasPushPermission: boolean,
  canRead: boolean,
  canEdit: boolean,
) {
  if (!hasPushPermission) return ctx.labels.format('Pryzm_Need_User_Permission');
  if (!canRead) return ctx.labels.format('Pryzm_Push_Cannot_Read');
  if (!canEdit) return ctx.labels.format('Pryzm_Push_Need_Edit');
  return null;
}

function hasEditAccess(org: Org, userId: string, recordId: string): boolean {
  const answer = userRecordAccessQuery(
    `SELECT RecordId, HasEditAccess FROM UserRecordAccess WHERE UserId = '${userId}' AND RecordId = '${recordId}'`,
    org,
  );
  return answer.records[0]?.['HasEditAccess'] === true;
}

export function buildContext(ctx: ApexContext, recordIdParam: unknown): PushContext {
  const { org, userId } = ctx;
  const prefix = namespacePrefix(org);
  const context: PushContext = {
    canPush: false,
    reason: null,
    objectApiName: null,
    pryzmId: null,
    lastSynced: null,
    syncStatus: null,
    syncError: null,
    resultChannel: `/event/${prefix}Pryzm_Sync_Result__e`,
    fieldPrefix: prefix,
  };
  const recordId = toId(recordIdParam);
  if (!recordId) {
    context.reason = ctx.labels.format('Pryzm_Push_No_Record');
    return context;
  }
  // Id.getSObjectType() reads the key prefix, whether or not the record exists.
  const objectName = org.store.tableForId(recordId)?.name;
  if (!objectName) throw new ApexException(`Invalid id: ${recordId}`, 'System.StringException');
  context.objectApiName = objectName;
  if (!SYNCED_OBJECTS.includes(objectName)) {
    context.reason = ctx.labels.format('Pryzm_Push_Object_Not_Synced', objectName);
    return context;
  }
  // The local org has no field-level security and lets every user read every record (its
  // sharing model, rest/user-record-access.ts): a record that exists is readable.
  const found = org.findById(recordId);
  const record = found && found.record['IsDeleted'] !== true ? found.record : undefined;
  if (record) {
    context.pryzmId = text(record[`${prefix}Pryzm_ID__c`]);
    context.lastSynced = datetime(record[`${prefix}Pryzm_Last_Synced__c`]);
    context.syncStatus = text(record[`${prefix}Pryzm_Sync_Status__c`]);
    context.syncError = text(record[`${prefix}Pryzm_Sync_Error__c`]);
  }
  context.reason = denialReason(
    ctx,
    org.userHasCustomPermission(userId, PUSH_PERMISSION),
    record !== undefined,
    record !== undefined && hasEditAccess(org, userId, recordId),
  );
  context.canPush = context.reason === null;
  return context;
}

/** getPushContext(Id recordId), cacheable. */
export function getPushContext(ctx: ApexContext, params: Record<string, unknown>): PushContext {
  return buildContext(ctx, params['recordId']);
}

/** requestPush(Id recordId): publishes the push request, answers its correlation id. */
export function requestPush(ctx: ApexContext, params: Record<string, unknown>): string {
  const context = buildContext(ctx, params['recordId']);
  if (!context.canPush) throw new ApexException(String(context.reason));
  const result = clickPush(ctx.host, ctx.publisher, {
    orgId: ctx.org.id,
    userId: ctx.userId,
    recordId: toId(params['recordId'])!,
    objectName: context.objectApiName ?? undefined,
  });
  if (!result.success) {
    throw new ApexException(
      ctx.labels.format('Pryzm_Push_Not_Published', result.errors[0]?.message ?? ''),
    );
  }
  return result.correlationId;
}
