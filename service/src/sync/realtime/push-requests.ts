/**
 * The package's Push button: its Apex publishes `Pryzm_Push_Request__e`; the connector checks
 * that the user who clicked may edit the record, syncs that record into Pryzm now (create or
 * update, link, `Pryzm_ID__c` written back) and publishes `Pryzm_Sync_Result__e` with the
 * request's correlation id, which the button's empApi subscription shows.
 *
 * The requester is the event's `CreatedById`, which the platform sets to the publishing user;
 * the event's own fields are whatever a publisher put there, so a `Requested_By__c` naming
 * someone else refuses the request. Results carry a status, the Pryzm id and a message meant for
 * a sales user, never record data. Every request gets a result: failures too.
 * https://developer.salesforce.com/docs/atlas.en-us.platform_events.meta/platform_events/platform_events_api_considerations.htm
 */
import type { SalesforceClient } from '../../salesforce/client.ts';
import type { DecodedEvent, PubSubClient } from '../../salesforce/pubsub/pubsub-client.ts';
import { restQuery } from '../../salesforce/rest-query.ts';
import type { ConnectionRow } from '../../store/repositories/connections.ts';
import type { JobRun } from '../jobs/job-run.ts';
import { applyRows, fetchRecords, type MappedObject } from './apply-changes.ts';
import { textField, type PackageTopics } from './package-events.ts';
import type { RealtimeDeps } from './realtime-deps.ts';

export interface PushContext {
  deps: RealtimeDeps;
  connection: ConnectionRow;
  pubsub: PubSubClient;
  topics: PackageTopics;
  objects: Map<string, MappedObject>;
  run: JobRun;
  client: SalesforceClient;
}

export type PushStatus = 'Success' | 'Conflict' | 'Error';

interface PushOutcome {
  status: PushStatus;
  message: string;
  pryzmId: string | null;
}

const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const same = (a: string, b: string) => a.slice(0, 15) === b.slice(0, 15);

const MESSAGES: Record<string, string> = {
  ambiguous_match: 'More than one Pryzm record matches this record. Link it in Pryzm first.',
  deleted_in_pryzm: 'The linked Pryzm record was deleted in Pryzm.',
  changed_during_sync: 'The Pryzm record changed at the same moment. Push again.',
};

/** Handles one push request and publishes its result. */
export async function handlePushRequest(ctx: PushContext, event: DecodedEvent): Promise<void> {
  const { payload } = event;
  const correlationId = textField(payload, 'Correlation_Id__c') ?? event.eventId;
  const recordId = textField(payload, 'Record_Id__c');
  let outcome: PushOutcome;
  try {
    outcome = await decide(ctx, payload, recordId);
  } catch (error) {
    ctx.deps.logger.error(
      { err: error, connectionId: ctx.connection.id, correlationId },
      'push request failed',
    );
    outcome = {
      status: 'Error',
      message: 'The push did not go through. Try again in a minute.',
      pryzmId: null,
    };
  }
  const ns = ctx.topics.syncResult.includes('/pryzm__') ? 'pryzm__' : '';
  const [published] = await ctx.pubsub.publish(ctx.topics.syncResult, [
    {
      [`${ns}Correlation_Id__c`]: correlationId,
      [`${ns}Status__c`]: outcome.status,
      [`${ns}Pryzm_Id__c`]: outcome.pryzmId,
      [`${ns}Record_Id__c`]: recordId && ID.test(recordId) ? recordId : null,
      [`${ns}Message__c`]: outcome.message,
    },
  ]);
  if (published?.error) {
    throw new Error(`Salesforce refused the sync result event: ${published.error}`);
  }
  ctx.deps.logger.info(
    { connectionId: ctx.connection.id, correlationId, status: outcome.status },
    'push request answered',
  );
}

async function decide(
  ctx: PushContext,
  payload: Record<string, unknown>,
  recordId: string | null,
): Promise<PushOutcome> {
  const refuse = (message: string): PushOutcome => ({ status: 'Error', message, pryzmId: null });
  const requester = typeof payload['CreatedById'] === 'string' ? payload['CreatedById'] : '';
  if (!ID.test(requester)) return refuse('This push request has no requesting user.');
  const named = textField(payload, 'Requested_By__c');
  if (named && !same(named, requester)) {
    return refuse('This push request was refused: it names another user than the one who sent it.');
  }
  if (!recordId || !ID.test(recordId)) return refuse('This push request names no valid record.');
  if (!(await canEdit(ctx.client, requester, recordId))) {
    return refuse("You can't push this record: you don't have edit access to it.");
  }
  const objectName = textField(payload, 'Object_Name__c') ?? '';
  const object = ctx.objects.get(objectName.toLowerCase());
  if (!object || object.mapping.direction === 'push') {
    return refuse('Records of this type are not synced from Salesforce to Pryzm.');
  }
  const rows = await fetchRecords(ctx.client, object, [recordId]);
  if (rows.length === 0) {
    return refuse('This record is outside what the Pryzm connection syncs.');
  }
  const results = await applyRows(
    ctx.deps.repositories,
    {
      run: ctx.run,
      workspaceId: ctx.connection.workspaceId,
      connectionId: ctx.connection.id,
      client: ctx.client,
      object,
    },
    rows,
  );
  const result = results.find((r) => r.salesforceId && same(r.salesforceId, recordId));
  if (!result) return refuse('The push did not go through. Try again in a minute.');
  if (result.action === 'skipped' || result.action === 'failed') {
    return {
      status: 'Error',
      message: MESSAGES[result.errorCode ?? ''] ?? 'Pryzm could not take this record.',
      pryzmId: result.recordId,
    };
  }
  if (result.action === 'conflict') {
    return {
      status: 'Conflict',
      message: 'This record changed in Pryzm too. A Pryzm admin will choose which values stay.',
      pryzmId: result.recordId,
    };
  }
  const verb =
    result.action === 'created'
      ? 'Created in Pryzm'
      : result.action === 'unchanged'
        ? 'Already up to date in Pryzm'
        : result.action === 'linked'
          ? 'Linked to the matching Pryzm record'
          : 'Updated in Pryzm';
  return { status: 'Success', message: `${verb}.`, pryzmId: result.recordId };
}

/** Whether the user may edit the record, as Salesforce's sharing says (`UserRecordAccess`). */
async function canEdit(
  client: SalesforceClient,
  userId: string,
  recordId: string,
): Promise<boolean> {
  for await (const page of restQuery<{ HasEditAccess: boolean }>(
    client,
    `SELECT RecordId, HasEditAccess FROM UserRecordAccess WHERE UserId = '${userId}' AND RecordId = '${recordId}'`,
  )) {
    if (page[0]) return page[0].HasEditAccess === true;
  }
  return false;
}
