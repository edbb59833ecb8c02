/**
 * The package's events and channels as an org names them: `Pryzm_Record_Change__e` in a plain
 * deploy, `pryzm__Pryzm_Record_Change__e` where the managed package is installed, and their
 * fields the same way (`Record_Id__c` or `pryzm__Record_Id__c`).
 */
import { PACKAGE_NAMESPACE } from '../../salesforce/namespace.ts';
import type { PubSubClient } from '../../salesforce/pubsub/pubsub-client.ts';

export interface PackageTopics {
  /** `flows`: what the package's Flows publish. */
  recordChange: string;
  /** `cdc`: the package's change data capture channel. */
  changeChannel: string;
  pushRequest: string;
  syncResult: string;
}

export function packageTopics(namespaced: boolean): PackageTopics {
  const ns = namespaced ? `${PACKAGE_NAMESPACE}__` : '';
  return {
    recordChange: `/event/${ns}Pryzm_Record_Change__e`,
    changeChannel: `/data/${ns}Pryzm_Changes__chn`,
    pushRequest: `/event/${ns}Pryzm_Push_Request__e`,
    syncResult: `/event/${ns}Pryzm_Sync_Result__e`,
  };
}

/** Finds how the org names the package's topics: namespaced first, then plain. */
export async function resolvePackageTopics(client: PubSubClient): Promise<PackageTopics> {
  for (const namespaced of [true, false]) {
    const topics = packageTopics(namespaced);
    try {
      await client.topic(topics.pushRequest);
      return topics;
    } catch {
      // Not this way; try the other.
    }
  }
  throw new Error(
    'The org has no Pryzm_Push_Request__e event: install or deploy the Pryzm package first',
  );
}

/** A package field of an event by its name without namespace, whichever way the org names it. */
export function packageField(payload: Record<string, unknown>, name: string): unknown {
  if (name in payload) return payload[name];
  const namespaced = `${PACKAGE_NAMESPACE}__${name}`;
  return payload[namespaced];
}

export function textField(payload: Record<string, unknown>, name: string): string | null {
  const value = packageField(payload, name);
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The event's creation time (platform events) or commit time (change events), if any. */
export function eventTime(payload: Record<string, unknown>): Date | null {
  const header = payload['ChangeEventHeader'] as { commitTimestamp?: number } | undefined;
  const time = header?.commitTimestamp ?? payload['CreatedDate'];
  return typeof time === 'number' ? new Date(time) : null;
}
