/**
 * The decisions of the package's setup checklist (PryzmSetupChecks.cls, its evaluate* methods):
 * each step's status, detail and fix from facts gathered elsewhere, with the Apex's own
 * messages, so the local org's checklist reads as the org's does.
 */
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

export const STEPS: [key: string, label: string][] = [
  ['install', 'Install the Pryzm Connector package'],
  ['fields', 'Add and verify the Pryzm ID fields'],
  ['permissions', 'Assign the Pryzm permission sets'],
  ['integrationUser', 'Set up the integration user'],
  ['flows', 'Activate the Pryzm change Flows'],
  ['changeSource', 'Choose one change source'],
  ['connect', 'Connect the Pryzm service'],
  ['mapping', 'Map objects and fields'],
  ['firstPull', 'Run the first pull'],
];

export const FLOWS = SYNCED_OBJECTS.flatMap((name) => [
  `Pryzm_${name}_Change`,
  `Pryzm_${name}_Delete`,
]).sort();

export const EVENT_LIMITS = ['HourlyPublishedPlatformEvents', 'DailyDeliveredPlatformEvents'];
const CHANGE_SOURCES = ['flows', 'cdc', 'paused'];

export function newItem(key: string): ChecklistItem {
  const index = STEPS.findIndex(([k]) => k === key);
  if (index < 0) throw new Error(`Unknown checklist step: ${key}`);
  return {
    key,
    order: index + 1,
    label: STEPS[index]![1],
    status: 'incomplete',
    detail: null,
    fix: null,
  };
}

function settle(item: ChecklistItem, status: StepStatus, detail: string, fix: string | null) {
  return { ...item, status, detail, fix };
}

export function evaluateInstall(item: ChecklistItem, namespace: string | undefined) {
  return settle(
    item,
    'complete',
    namespace ? `Installed with namespace ${namespace}.` : 'Deployed from source (no namespace).',
    null,
  );
}

export interface IdFieldFacts {
  present: boolean;
  externalId: boolean;
  unique: boolean;
  caseSensitive: boolean;
}

export function evaluateIdFields(item: ChecklistItem, facts: Map<string, IdFieldFacts>) {
  const problems: string[] = [];
  for (const objectName of SYNCED_OBJECTS) {
    const field = facts.get(objectName);
    if (!field || !field.present) problems.push(`${objectName} has no Pryzm ID field`);
    else if (!field.externalId || !field.unique || field.caseSensitive) {
      problems.push(`${objectName}.Pryzm_ID__c must be External ID, Unique and case-insensitive`);
    }
  }
  if (problems.length === 0) {
    return settle(
      item,
      'complete',
      `Pryzm ID is an External ID and Unique on ${SYNCED_OBJECTS.join(', ')}.`,
      null,
    );
  }
  return settle(
    item,
    'incomplete',
    `${problems.join('; ')}.`,
    'Reinstall or redeploy the package so the Pryzm ID fields are restored unchanged.',
  );
}

export function evaluatePermissions(
  item: ChecklistItem,
  adminAssigned: boolean,
  integrationUsers: number,
  missingAccess: string[],
) {
  if (!adminAssigned) {
    return settle(
      item,
      'incomplete',
      'You do not have the Pryzm Admin permission set (directly or through a permission set group).',
      'Setup > Permission Sets > Pryzm Admin > Manage Assignments: add yourself.',
    );
  }
  if (integrationUsers === 0) {
    return settle(
      item,
      'incomplete',
      'No active user has the Pryzm Integration permission set.',
      'Create the integration user (Salesforce Integration licence, profile Minimum Access - API Only Integrations, API Enabled) and assign Pryzm Integration to it; see the package README.',
    );
  }
  if (missingAccess.length > 0) {
    return settle(
      item,
      'incomplete',
      `You cannot edit ${missingAccess.join(', ')}.`,
      'Grant edit access to the Pryzm fields (Pryzm Admin does) or check field-level security on your profile.',
    );
  }
  return settle(
    item,
    'complete',
    `Pryzm Admin is assigned to you and ${integrationUsers} active integration user(s) hold Pryzm Integration.`,
    null,
  );
}

export interface IntegrationUserFacts {
  username: string;
  licence: string;
  profile: string;
  apiEnabled: boolean;
}

export function evaluateIntegrationUsers(item: ChecklistItem, users: IntegrationUserFacts[]) {
  if (users.length === 0) {
    return settle(
      item,
      'blocked',
      'No active user holds Pryzm Integration yet.',
      'Complete "Assign the Pryzm permission sets" first.',
    );
  }
  const withoutApi = users.filter((u) => !u.apiEnabled).map((u) => u.username);
  const notRecommended = users
    .filter((u) => u.apiEnabled && u.licence !== 'Salesforce Integration')
    .map((u) => `${u.username} (${u.licence}, ${u.profile})`);
  if (withoutApi.length > 0) {
    return settle(
      item,
      'incomplete',
      `These integration users cannot use the API: ${withoutApi.join(', ')}.`,
      'Give them API Enabled with a permission set of your own (the Pryzm permission sets cannot carry it).',
    );
  }
  if (notRecommended.length > 0) {
    return settle(
      item,
      'complete',
      `The integration users can use the API. Recommended: the Salesforce Integration licence with the Minimum Access - API Only Integrations profile instead of ${notRecommended.join(', ')}.`,
      null,
    );
  }
  return settle(
    item,
    'complete',
    `${users.length} integration user(s) with the Salesforce Integration licence and API access.`,
    null,
  );
}

export function evaluateFlows(item: ChecklistItem, activeByFlow: Map<string, boolean>) {
  const missing = FLOWS.filter((name) => !activeByFlow.has(name));
  const inactive = FLOWS.filter((name) => activeByFlow.get(name) === false);
  if (missing.length > 0) {
    return settle(
      item,
      'error',
      `Missing Flows: ${missing.join(', ')}.`,
      'Reinstall or redeploy the package.',
    );
  }
  if (inactive.length > 0) {
    return settle(
      item,
      'incomplete',
      `Inactive Flows: ${inactive.join(', ')}.`,
      'Setup > Flows: open each inactive Pryzm Flow and activate its latest version.',
    );
  }
  return settle(
    item,
    'complete',
    `All ${FLOWS.length} Pryzm Flows are active. They do not see cascade deletes, merges or undeletes: the Pryzm service's reconciliation sweep, or the cdc change source, covers those.`,
    null,
  );
}

function describeUsage(usage: Map<string, [number, number]>): string {
  const parts = EVENT_LIMITS.flatMap((name) => {
    const values = usage.get(name);
    return values ? [`${name} ${values[0]} of ${values[1]}`] : [];
  });
  return parts.length ? ` Event allocations in use: ${parts.join(', ')}.` : '';
}

export function evaluateChangeSource(
  item: ChecklistItem,
  stored: string | null,
  usage: Map<string, [number, number]>,
) {
  const source = stored && stored.trim() ? stored : 'flows';
  const allocations = describeUsage(usage);
  if (!CHANGE_SOURCES.includes(source)) {
    return settle(
      item,
      'error',
      `Pryzm Settings > Change Source is "${stored}", which is not flows, cdc or paused.`,
      'Setup > Custom Settings > Pryzm Settings > Manage: set Change Source to flows, cdc or paused (lower case).',
    );
  }
  if (source === 'paused') {
    return settle(
      item,
      'incomplete',
      `Changes are paused: neither the change Flows nor Change Data Capture report to Pryzm.${allocations}`,
      'Set Change Source to flows or cdc in Setup > Custom Settings > Pryzm Settings, or from the Pryzm console.',
    );
  }
  return settle(
    item,
    'complete',
    (source === 'flows'
      ? 'Change source: the Pryzm change Flows (Change Data Capture is ignored).'
      : 'Change source: Change Data Capture on Pryzm_Changes__chn (the change Flows publish nothing).') +
      allocations,
    null,
  );
}

export function evaluateConnection(item: ChecklistItem, health: CalloutResult) {
  if (isOk(health)) {
    const version = health.body['version'];
    return settle(
      item,
      'complete',
      `The Pryzm service answered${version === undefined || version === null ? '' : ` (version ${String(version)})`}.`,
      null,
    );
  }
  if (health.statusCode === 401 || health.statusCode === 403) {
    return settle(
      item,
      'error',
      `The Pryzm service rejected the credential (${health.error}).`,
      'Setup > Named Credentials > External Credentials > Pryzm Service: enter the API key from the Pryzm console.',
    );
  }
  return settle(
    item,
    'error',
    `The Pryzm service is not reachable: ${health.error}`,
    'Setup > Named Credentials > Pryzm Service: set the URL of your Pryzm service and recheck.',
  );
}

const WAITING = [
  'Waiting for the connection to the Pryzm service.',
  'Complete "Connect the Pryzm service" first.',
] as const;

function unreported(item: ChecklistItem, status: CalloutResult) {
  return settle(
    item,
    'error',
    `The Pryzm service did not report its setup: ${status.error}`,
    'Check the Pryzm service logs, then recheck.',
  );
}

export function evaluateMapping(item: ChecklistItem, health: CalloutResult, status: CalloutResult) {
  if (!isOk(health)) return settle(item, 'blocked', WAITING[0], WAITING[1]);
  if (!isOk(status)) return unreported(item, status);
  const mapped = Array.isArray(status.body['mappedObjects'])
    ? (status.body['mappedObjects'] as unknown[]).map(String)
    : [];
  if (mapped.length === 0) {
    return settle(
      item,
      'incomplete',
      'No object is mapped yet.',
      'Open the Pryzm console > Mappings and map at least one object.',
    );
  }
  return settle(item, 'complete', `Mapped objects: ${mapped.join(', ')}.`, null);
}

function objectMap(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function describeJob(label: string, job: Record<string, unknown>): string {
  if (job['status'] === undefined || job['status'] === null) return '';
  const finished = job['finishedAt'] ? ` at ${String(job['finishedAt'])}` : '';
  return ` ${label}: ${String(job['status'])}${finished}.`;
}

export function evaluateFirstPull(
  item: ChecklistItem,
  health: CalloutResult,
  status: CalloutResult,
) {
  if (!isOk(health)) return settle(item, 'blocked', WAITING[0], WAITING[1]);
  if (!isOk(status)) return unreported(item, status);
  const lastPull = objectMap(status.body['lastPull']);
  const pullStatus = lastPull['status'];
  const lastSync = describeJob('Last sync', objectMap(status.body['lastSync']));
  if (pullStatus === 'succeeded') {
    const count = lastPull['recordCount'];
    const records = count === undefined || count === null ? '' : ` with ${String(count)} records`;
    return settle(
      item,
      'complete',
      `First pull finished${records} at ${String(lastPull['finishedAt'])}.${lastSync}`,
      null,
    );
  }
  if (pullStatus === 'running' || pullStatus === 'queued') {
    return settle(
      item,
      'incomplete',
      `The first pull is ${pullStatus}.${lastSync}`,
      'Wait for it to finish, then recheck.',
    );
  }
  if (pullStatus === 'failed') {
    return settle(
      item,
      'error',
      `The first pull failed: ${String(lastPull['message'])}.${lastSync}`,
      'Open the Pryzm console > Jobs, fix the cause and run the pull again.',
    );
  }
  return settle(
    item,
    'incomplete',
    'No pull has run yet.',
    'Open the Pryzm console > Jobs and start a pull.',
  );
}
