/**
 * The decisions of the package's setup checklist, one function per step class
 * (force-app/main/default/classes/PryzmSetupStep*.cls, their `evaluate` methods): each step's
 * status, detail and fix from facts gathered elsewhere, worded with the same Custom Labels, so
 * the local org's checklist reads as the org's does.
 */
import type { CustomLabels } from './custom-labels.ts';
import { isOk, type CalloutResult } from './named-credentials.ts';
import { SYNCED_OBJECTS } from './push-controller.ts';

export type StepStatus = 'complete' | 'incomplete' | 'error' | 'blocked';

/** PryzmChecklistItem as the component receives it. */
export interface ChecklistItem {
  key: string;
  order: number;
  label: string;
  status: StepStatus;
  detail: string | null;
  fix: string | null;
}

/** PryzmSetupChecks.STEP_ORDER, with each step's title label. */
export const STEPS: [key: string, titleLabel: string][] = [
  ['install', 'Pryzm_Check_Install_Title'],
  ['fields', 'Pryzm_Check_Fields_Title'],
  ['permissions', 'Pryzm_Check_Permissions_Title'],
  ['integrationUser', 'Pryzm_Check_Integration_User_Title'],
  ['flows', 'Pryzm_Check_Flows_Title'],
  ['changeSource', 'Pryzm_Check_Change_Source_Title'],
  ['connect', 'Pryzm_Check_Connect_Title'],
  ['mapping', 'Pryzm_Check_Mapping_Title'],
  ['firstPull', 'Pryzm_Check_First_Pull_Title'],
];

export const FLOWS = SYNCED_OBJECTS.flatMap((name) => [
  `Pryzm_${name}_Change`,
  `Pryzm_${name}_Delete`,
]).sort();

export const EVENT_LIMITS = ['HourlyPublishedPlatformEvents', 'DailyDeliveredPlatformEvents'];
const CHANGE_SOURCES = ['flows', 'cdc', 'paused'];
const RECOMMENDED_LICENCE = 'Salesforce Integration';

export function newItem(labels: CustomLabels, key: string): ChecklistItem {
  const index = STEPS.findIndex(([k]) => k === key);
  if (index < 0) throw new Error(labels.format('Pryzm_Check_Unknown_Step', key));
  return {
    key,
    order: index + 1,
    label: labels.format(STEPS[index]![1]),
    status: 'incomplete',
    detail: null,
    fix: null,
  };
}

export function settle(
  item: ChecklistItem,
  status: StepStatus,
  detail: string,
  fix: string | null = null,
): ChecklistItem {
  return { ...item, status, detail, fix };
}

/** PryzmSetupContext.completeFirst: the fix of a step that waits for an earlier one. */
function completeFirst(labels: CustomLabels, titleLabel: string): string {
  return labels.format('Pryzm_Check_Complete_Earlier_Step', labels.format(titleLabel));
}

export function evaluateInstall(L: CustomLabels, item: ChecklistItem, namespace?: string) {
  return settle(
    item,
    'complete',
    namespace
      ? L.format('Pryzm_Check_Install_Namespace', namespace)
      : L.format('Pryzm_Check_Install_From_Source'),
  );
}

export interface IdFieldFacts {
  present: boolean;
  externalId: boolean;
  unique: boolean;
  caseSensitive: boolean;
}

export function evaluateIdFields(
  L: CustomLabels,
  item: ChecklistItem,
  facts: Map<string, IdFieldFacts>,
) {
  const problems: string[] = [];
  for (const objectName of SYNCED_OBJECTS) {
    const field = facts.get(objectName);
    if (!field || !field.present) problems.push(L.format('Pryzm_Check_Fields_Missing', objectName));
    else if (!field.externalId || !field.unique || field.caseSensitive) {
      problems.push(L.format('Pryzm_Check_Fields_Wrong_Kind', objectName));
    }
  }
  if (problems.length === 0) {
    return settle(
      item,
      'complete',
      L.format('Pryzm_Check_Fields_Complete', SYNCED_OBJECTS.join(', ')),
    );
  }
  return settle(
    item,
    'incomplete',
    L.format('Pryzm_Check_Fields_Problems', problems.join('; ')),
    L.format('Pryzm_Check_Fields_Fix'),
  );
}

export function evaluatePermissions(
  L: CustomLabels,
  item: ChecklistItem,
  adminAssigned: boolean,
  integrationUsers: number,
  missingAccess: string[],
) {
  if (!adminAssigned) {
    return settle(
      item,
      'incomplete',
      L.format('Pryzm_Check_Permissions_No_Admin'),
      L.format('Pryzm_Check_Permissions_No_Admin_Fix'),
    );
  }
  if (integrationUsers === 0) {
    return settle(
      item,
      'incomplete',
      L.format('Pryzm_Check_Permissions_No_Integration_User'),
      L.format('Pryzm_Check_Permissions_No_Integration_User_Fix'),
    );
  }
  if (missingAccess.length > 0) {
    return settle(
      item,
      'incomplete',
      L.format('Pryzm_Check_Permissions_No_Field_Access', missingAccess.join(', ')),
      L.format('Pryzm_Check_Permissions_No_Field_Access_Fix'),
    );
  }
  return settle(item, 'complete', L.format('Pryzm_Check_Permissions_Complete', integrationUsers));
}

export interface IntegrationUserFacts {
  username: string;
  licence: string;
  profile: string;
  apiEnabled: boolean;
}

export function evaluateIntegrationUsers(
  L: CustomLabels,
  item: ChecklistItem,
  users: IntegrationUserFacts[],
) {
  if (users.length === 0) {
    return settle(
      item,
      'blocked',
      L.format('Pryzm_Check_Integration_User_None'),
      completeFirst(L, 'Pryzm_Check_Permissions_Title'),
    );
  }
  const withoutApi = users.filter((u) => !u.apiEnabled).map((u) => u.username);
  const notRecommended = users
    .filter((u) => u.apiEnabled && u.licence !== RECOMMENDED_LICENCE)
    .map((u) => L.format('Pryzm_Check_Integration_User_Setup', u.username, u.licence, u.profile));
  if (withoutApi.length > 0) {
    return settle(
      item,
      'incomplete',
      L.format('Pryzm_Check_Integration_User_No_Api', withoutApi.join(', ')),
      L.format('Pryzm_Check_Integration_User_No_Api_Fix'),
    );
  }
  if (notRecommended.length > 0) {
    return settle(
      item,
      'complete',
      L.format('Pryzm_Check_Integration_User_Not_Recommended', notRecommended.join(', ')),
    );
  }
  return settle(item, 'complete', L.format('Pryzm_Check_Integration_User_Complete', users.length));
}

export function evaluateFlows(L: CustomLabels, item: ChecklistItem, active: Map<string, boolean>) {
  const missing = FLOWS.filter((name) => !active.has(name));
  const inactive = FLOWS.filter((name) => active.get(name) === false);
  if (missing.length > 0) {
    return settle(
      item,
      'error',
      L.format('Pryzm_Check_Flows_Missing', missing.join(', ')),
      L.format('Pryzm_Check_Flows_Missing_Fix'),
    );
  }
  if (inactive.length > 0) {
    return settle(
      item,
      'incomplete',
      L.format('Pryzm_Check_Flows_Inactive', inactive.join(', ')),
      L.format('Pryzm_Check_Flows_Inactive_Fix'),
    );
  }
  return settle(
    item,
    'complete',
    `${L.format('Pryzm_Check_Flows_Complete', FLOWS.length)} ${L.format('Pryzm_Check_Flows_Not_Seen')}`,
  );
}

function describeUsage(L: CustomLabels, usage: Map<string, [number, number]>): string {
  const parts = EVENT_LIMITS.flatMap((name) => {
    const values = usage.get(name);
    return values ? [L.format('Pryzm_Check_Event_Allocation', name, values[0], values[1])] : [];
  });
  return parts.length ? L.format('Pryzm_Check_Event_Allocations', parts.join(', ')) : '';
}

export function evaluateChangeSource(
  L: CustomLabels,
  item: ChecklistItem,
  stored: string | null,
  usage: Map<string, [number, number]>,
) {
  const source = stored && stored.trim() ? stored : 'flows';
  const allocations = describeUsage(L, usage);
  if (!CHANGE_SOURCES.includes(source)) {
    return settle(
      item,
      'error',
      L.format('Pryzm_Check_Change_Source_Invalid', stored),
      L.format('Pryzm_Check_Change_Source_Invalid_Fix'),
    );
  }
  if (source === 'paused') {
    return settle(
      item,
      'incomplete',
      L.format('Pryzm_Check_Change_Source_Paused', allocations).trim(),
      L.format('Pryzm_Check_Change_Source_Paused_Fix'),
    );
  }
  const label =
    source === 'flows' ? 'Pryzm_Check_Change_Source_Flows' : 'Pryzm_Check_Change_Source_Cdc';
  return settle(item, 'complete', L.format(label, allocations).trim());
}

// PryzmSetupStepConnect.isCredentialAccessError: words of the platform's message when the user
// may not use the External Credential's principal.
function isCredentialAccessError(error: string | null): boolean {
  const message = (error ?? '').toLowerCase();
  return (
    message.includes('credential') &&
    ['permission', 'principal', 'access'].some((word) => message.includes(word))
  );
}

export function evaluateConnection(L: CustomLabels, item: ChecklistItem, health: CalloutResult) {
  if (isOk(health)) {
    const version = health.body['version'];
    return settle(
      item,
      'complete',
      version === undefined || version === null
        ? L.format('Pryzm_Check_Connect_Complete')
        : L.format('Pryzm_Check_Connect_Complete_Version', String(version)),
    );
  }
  if (health.statusCode === 401 || health.statusCode === 403) {
    return settle(
      item,
      'error',
      L.format('Pryzm_Check_Connect_Rejected', health.error),
      L.format('Pryzm_Check_Connect_Rejected_Fix'),
    );
  }
  if (isCredentialAccessError(health.error)) {
    return settle(
      item,
      'error',
      L.format('Pryzm_Check_Connect_No_Principal', health.error),
      L.format('Pryzm_Check_Connect_No_Principal_Fix'),
    );
  }
  return settle(
    item,
    'error',
    L.format('Pryzm_Check_Connect_Unreachable', health.error),
    L.format('Pryzm_Check_Connect_Unreachable_Fix'),
  );
}

/** PryzmSetupContext.markUnanswered: the steps after Connect wait for it, or for setup-status. */
function unanswered(
  L: CustomLabels,
  item: ChecklistItem,
  health: CalloutResult,
  status: CalloutResult,
): ChecklistItem | undefined {
  if (!isOk(health)) {
    return settle(
      item,
      'blocked',
      L.format('Pryzm_Check_Waiting_For_Service'),
      completeFirst(L, 'Pryzm_Check_Connect_Title'),
    );
  }
  if (!isOk(status)) {
    return settle(
      item,
      'error',
      L.format('Pryzm_Check_Service_Status_Failed', status.error),
      L.format('Pryzm_Check_Service_Status_Failed_Fix'),
    );
  }
  return undefined;
}

export function evaluateMapping(
  L: CustomLabels,
  item: ChecklistItem,
  health: CalloutResult,
  status: CalloutResult,
) {
  const waiting = unanswered(L, item, health, status);
  if (waiting) return waiting;
  const mapped = Array.isArray(status.body['mappedObjects'])
    ? (status.body['mappedObjects'] as unknown[]).map(String)
    : [];
  if (mapped.length === 0) {
    return settle(
      item,
      'incomplete',
      L.format('Pryzm_Check_Mapping_None'),
      L.format('Pryzm_Check_Mapping_None_Fix'),
    );
  }
  return settle(item, 'complete', L.format('Pryzm_Check_Mapping_Complete', mapped.join(', ')));
}

function objectMap(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function describeLastSync(L: CustomLabels, job: Record<string, unknown>): string {
  const status = job['status'];
  if (status === undefined || status === null) return '';
  const finishedAt = job['finishedAt'];
  return finishedAt === undefined || finishedAt === null
    ? L.format('Pryzm_Check_Last_Sync', String(status))
    : L.format('Pryzm_Check_Last_Sync_At', String(status), String(finishedAt));
}

export function evaluateFirstPull(
  L: CustomLabels,
  item: ChecklistItem,
  health: CalloutResult,
  status: CalloutResult,
) {
  const waiting = unanswered(L, item, health, status);
  if (waiting) return waiting;
  const lastPull = objectMap(status.body['lastPull']);
  const pullStatus = lastPull['status'];
  const lastSync = describeLastSync(L, objectMap(status.body['lastSync']));
  if (pullStatus === 'succeeded') {
    const count = lastPull['recordCount'];
    const finishedAt = String(lastPull['finishedAt']);
    const detail =
      count === undefined || count === null
        ? L.format('Pryzm_Check_First_Pull_Succeeded', finishedAt, lastSync)
        : L.format('Pryzm_Check_First_Pull_Succeeded_Count', String(count), finishedAt, lastSync);
    return settle(item, 'complete', detail.trim());
  }
  if (pullStatus === 'running' || pullStatus === 'queued') {
    const label =
      pullStatus === 'running' ? 'Pryzm_Check_First_Pull_Running' : 'Pryzm_Check_First_Pull_Queued';
    return settle(
      item,
      'incomplete',
      L.format(label, lastSync).trim(),
      L.format('Pryzm_Check_First_Pull_Running_Fix'),
    );
  }
  if (pullStatus === 'failed') {
    return settle(
      item,
      'error',
      L.format('Pryzm_Check_First_Pull_Failed', String(lastPull['message']), lastSync).trim(),
      L.format('Pryzm_Check_First_Pull_Failed_Fix'),
    );
  }
  return settle(
    item,
    'incomplete',
    L.format('Pryzm_Check_First_Pull_None'),
    L.format('Pryzm_Check_First_Pull_None_Fix'),
  );
}
