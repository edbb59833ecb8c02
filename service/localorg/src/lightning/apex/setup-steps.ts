/**
 * The package's setup checklist as the local org runs it. SETUP_STEPS has one entry per Apex
 * step class (force-app/main/default/classes/PryzmSetupStep*.cls, composed by
 * PryzmSetupChecks.steps()), in PryzmSetupChecks.STEP_ORDER: the class's key() and the Custom
 * Label its title() returns, and its check(): the facts the class gathers (SetupFacts, read from
 * the org by setup-checks.ts) handed to the decisions of its static `evaluate`, worded with the
 * same Custom Labels, so the local org's checklist reads as the org's does.
 *
 * Kept in step with the Apex by test/lightning/setup-steps.test.ts: it reads STEP_ORDER and the
 * key constants from PryzmSetupChecks.cls, and key() and title() from each step class, and
 * compares them with this table, so a step added, dropped, moved or retitled in the package
 * fails there until the table follows it.
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

export const FLOWS = SYNCED_OBJECTS.flatMap((name) => [
  `Pryzm_${name}_Change`,
  `Pryzm_${name}_Delete`,
]).sort();

export const EVENT_LIMITS = ['HourlyPublishedPlatformEvents', 'DailyDeliveredPlatformEvents'];
const CHANGE_SOURCES = ['flows', 'cdc', 'paused'];
const RECOMMENDED_LICENCE = 'Salesforce Integration';

/** PryzmSetupChecks.newItem(String key): the unevaluated item of a step, by its key. */
export function newItem(labels: CustomLabels, key: string): ChecklistItem {
  const index = SETUP_STEPS.findIndex((step) => step.key === key);
  if (index < 0) throw new Error(labels.format('Pryzm_Check_Unknown_Step', key));
  return {
    key,
    order: index + 1,
    label: labels.format(SETUP_STEPS[index]!.titleLabel),
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

/** PryzmChecklistItem.complete(detail) with a Custom Label formatted with `args`. */
function complete(L: CustomLabels, item: ChecklistItem, label: string, ...args: unknown[]) {
  return settle(item, 'complete', L.format(label, ...args));
}

/**
 * A problem a step found: its detail, a Custom Label formatted with its arguments, and its fix,
 * by default the label named as the detail's with `_Fix` (how the package names every fix in
 * force-app/main/default/labels/CustomLabels.labels-meta.xml; a label it lacks is an error).
 */
function problem(
  L: CustomLabels,
  item: ChecklistItem,
  status: Exclude<StepStatus, 'complete'>,
  [label, ...args]: [label: string, ...args: unknown[]],
  fixLabel = `${label}_Fix`,
): ChecklistItem {
  return settle(item, status, L.format(label, ...args), L.format(fixLabel));
}

/** PryzmSetupContext.completeFirst: the fix of a step that waits for an earlier one. */
function completeFirst(labels: CustomLabels, titleLabel: string): string {
  return labels.format('Pryzm_Check_Complete_Earlier_Step', labels.format(titleLabel));
}

/** PryzmSetupStepInstall.evaluate. */
function evaluateInstall(L: CustomLabels, item: ChecklistItem, namespace?: string) {
  return namespace
    ? complete(L, item, 'Pryzm_Check_Install_Namespace', namespace)
    : complete(L, item, 'Pryzm_Check_Install_From_Source');
}

export interface IdFieldFacts {
  present: boolean;
  externalId: boolean;
  unique: boolean;
  caseSensitive: boolean;
}

/** PryzmSetupStepIdFields.evaluate. */
function evaluateIdFields(L: CustomLabels, item: ChecklistItem, facts: Map<string, IdFieldFacts>) {
  const problems: string[] = [];
  for (const objectName of SYNCED_OBJECTS) {
    const field = facts.get(objectName);
    if (!field || !field.present) problems.push(L.format('Pryzm_Check_Fields_Missing', objectName));
    else if (!field.externalId || !field.unique || field.caseSensitive) {
      problems.push(L.format('Pryzm_Check_Fields_Wrong_Kind', objectName));
    }
  }
  if (problems.length === 0) {
    return complete(L, item, 'Pryzm_Check_Fields_Complete', SYNCED_OBJECTS.join(', '));
  }
  const detail: [string, string] = ['Pryzm_Check_Fields_Problems', problems.join('; ')];
  return problem(L, item, 'incomplete', detail, 'Pryzm_Check_Fields_Fix');
}

/** PryzmSetupStepPermissions.evaluate. */
function evaluatePermissions(
  L: CustomLabels,
  item: ChecklistItem,
  adminAssigned: boolean,
  integrationUsers: number,
  missingAccess: string[],
) {
  if (!adminAssigned) {
    return problem(L, item, 'incomplete', ['Pryzm_Check_Permissions_No_Admin']);
  }
  if (integrationUsers === 0) {
    return problem(L, item, 'incomplete', ['Pryzm_Check_Permissions_No_Integration_User']);
  }
  if (missingAccess.length > 0) {
    const fields = missingAccess.join(', ');
    return problem(L, item, 'incomplete', ['Pryzm_Check_Permissions_No_Field_Access', fields]);
  }
  return complete(L, item, 'Pryzm_Check_Permissions_Complete', integrationUsers);
}

export interface IntegrationUserFacts {
  username: string;
  licence: string;
  profile: string;
  apiEnabled: boolean;
}

/** PryzmSetupStepIntegrationUser.evaluate. */
function evaluateIntegrationUsers(
  L: CustomLabels,
  item: ChecklistItem,
  users: IntegrationUserFacts[],
) {
  if (users.length === 0) {
    const waitFor = completeFirst(L, 'Pryzm_Check_Permissions_Title');
    return settle(item, 'blocked', L.format('Pryzm_Check_Integration_User_None'), waitFor);
  }
  const withoutApi = users.filter((u) => !u.apiEnabled).map((u) => u.username);
  const notRecommended = users
    .filter((u) => u.apiEnabled && u.licence !== RECOMMENDED_LICENCE)
    .map((u) => L.format('Pryzm_Check_Integration_User_Setup', u.username, u.licence, u.profile));
  if (withoutApi.length > 0) {
    const names = withoutApi.join(', ');
    return problem(L, item, 'incomplete', ['Pryzm_Check_Integration_User_No_Api', names]);
  }
  if (notRecommended.length > 0) {
    const setups = notRecommended.join(', ');
    return complete(L, item, 'Pryzm_Check_Integration_User_Not_Recommended', setups);
  }
  return complete(L, item, 'Pryzm_Check_Integration_User_Complete', users.length);
}

/** PryzmSetupStepFlows.evaluate. */
function evaluateFlows(L: CustomLabels, item: ChecklistItem, active: Map<string, boolean>) {
  const missing = FLOWS.filter((name) => !active.has(name));
  const inactive = FLOWS.filter((name) => active.get(name) === false);
  if (missing.length > 0) {
    return problem(L, item, 'error', ['Pryzm_Check_Flows_Missing', missing.join(', ')]);
  }
  if (inactive.length > 0) {
    return problem(L, item, 'incomplete', ['Pryzm_Check_Flows_Inactive', inactive.join(', ')]);
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

/** PryzmSetupStepChangeSource.evaluate. */
function evaluateChangeSource(
  L: CustomLabels,
  item: ChecklistItem,
  stored: string | null,
  usage: Map<string, [number, number]>,
) {
  const source = stored && stored.trim() ? stored : 'flows';
  const allocations = describeUsage(L, usage);
  if (!CHANGE_SOURCES.includes(source)) {
    return problem(L, item, 'error', ['Pryzm_Check_Change_Source_Invalid', stored]);
  }
  if (source === 'paused') {
    const paused = problem(L, item, 'incomplete', [
      'Pryzm_Check_Change_Source_Paused',
      allocations,
    ]);
    return { ...paused, detail: paused.detail!.trim() };
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

/** PryzmSetupStepConnect.evaluate. */
function evaluateConnection(L: CustomLabels, item: ChecklistItem, health: CalloutResult) {
  if (isOk(health)) {
    const version = health.body['version'];
    return version === undefined || version === null
      ? complete(L, item, 'Pryzm_Check_Connect_Complete')
      : complete(L, item, 'Pryzm_Check_Connect_Complete_Version', String(version));
  }
  const label =
    health.statusCode === 401 || health.statusCode === 403
      ? 'Pryzm_Check_Connect_Rejected'
      : isCredentialAccessError(health.error)
        ? 'Pryzm_Check_Connect_No_Principal'
        : 'Pryzm_Check_Connect_Unreachable';
  return problem(L, item, 'error', [label, health.error]);
}

/** PryzmSetupContext.markUnanswered: the steps after Connect wait for it, or for setup-status. */
function unanswered(
  L: CustomLabels,
  item: ChecklistItem,
  health: CalloutResult,
  status: CalloutResult,
): ChecklistItem | undefined {
  if (!isOk(health)) {
    const waitFor = completeFirst(L, 'Pryzm_Check_Connect_Title');
    return settle(item, 'blocked', L.format('Pryzm_Check_Waiting_For_Service'), waitFor);
  }
  if (!isOk(status)) {
    return problem(L, item, 'error', ['Pryzm_Check_Service_Status_Failed', status.error]);
  }
  return undefined;
}

/** PryzmSetupStepMapping.evaluate. */
function evaluateMapping(
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
  if (mapped.length === 0) return problem(L, item, 'incomplete', ['Pryzm_Check_Mapping_None']);
  return complete(L, item, 'Pryzm_Check_Mapping_Complete', mapped.join(', '));
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

/** PryzmSetupStepFirstPull.evaluate. */
function evaluateFirstPull(
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
  const trimmed = (answered: ChecklistItem) => ({ ...answered, detail: answered.detail!.trim() });
  if (pullStatus === 'succeeded') {
    const count = lastPull['recordCount'];
    const finishedAt = String(lastPull['finishedAt']);
    return trimmed(
      count === undefined || count === null
        ? complete(L, item, 'Pryzm_Check_First_Pull_Succeeded', finishedAt, lastSync)
        : complete(
            L,
            item,
            'Pryzm_Check_First_Pull_Succeeded_Count',
            String(count),
            finishedAt,
            lastSync,
          ),
    );
  }
  if (pullStatus === 'running' || pullStatus === 'queued') {
    const label =
      pullStatus === 'running' ? 'Pryzm_Check_First_Pull_Running' : 'Pryzm_Check_First_Pull_Queued';
    return trimmed(
      problem(L, item, 'incomplete', [label, lastSync], 'Pryzm_Check_First_Pull_Running_Fix'),
    );
  }
  if (pullStatus === 'failed') {
    const message = String(lastPull['message']);
    return trimmed(problem(L, item, 'error', ['Pryzm_Check_First_Pull_Failed', message, lastSync]));
  }
  return problem(L, item, 'incomplete', ['Pryzm_Check_First_Pull_None']);
}

/**
 * What the steps read from the org and from the Pryzm service, gathered when a step asks
 * (SetupChecks in setup-checks.ts; the service is called at most once for each answer).
 */
export interface SetupFacts {
  /** The package's namespace; undefined when it was deployed from source. */
  namespace: string | undefined;
  idFields(): Map<string, IdFieldFacts>;
  /** Whether the running user holds the Pryzm_Admin custom permission. */
  runningUserIsAdmin(): boolean;
  /** How many active users hold the Pryzm_Integration custom permission. */
  integrationUserCount(): number;
  /** `Object.Field` of the Pryzm fields the running user cannot edit. */
  fieldsWithoutAccess(): string[];
  integrationUsers(): IntegrationUserFacts[];
  /** The package Flows the org has, by API name, and whether each is active. */
  flows(): Map<string, boolean>;
  storedChangeSource(): string | null;
  /** Used and maximum of each of EVENT_LIMITS. */
  eventUsage(): Map<string, [number, number]>;
  serviceHealth(): Promise<CalloutResult>;
  setupStatus(): Promise<CalloutResult>;
}

/** One PryzmSetupStep implementation. */
export interface SetupStep {
  /** Its key(): one of PryzmSetupChecks.STEP_ORDER. */
  key: string;
  /** The class in force-app/main/default/classes that it mirrors. */
  apexClass: string;
  /** The Custom Label its title() returns. */
  titleLabel: string;
  /** Its check(item, context): gathers the step's facts and evaluates them. */
  check(L: CustomLabels, item: ChecklistItem, facts: SetupFacts): Promise<ChecklistItem>;
}

/** PryzmSetupChecks.steps(), in STEP_ORDER: the order the checklist shows and numbers them. */
export const SETUP_STEPS: readonly SetupStep[] = [
  {
    key: 'install',
    apexClass: 'PryzmSetupStepInstall',
    titleLabel: 'Pryzm_Check_Install_Title',
    check: async (L, item, facts) => evaluateInstall(L, item, facts.namespace),
  },
  {
    key: 'fields',
    apexClass: 'PryzmSetupStepIdFields',
    titleLabel: 'Pryzm_Check_Fields_Title',
    check: async (L, item, facts) => evaluateIdFields(L, item, facts.idFields()),
  },
  {
    key: 'permissions',
    apexClass: 'PryzmSetupStepPermissions',
    titleLabel: 'Pryzm_Check_Permissions_Title',
    // Only an admin may read who holds what; anyone else is told to become one first.
    check: async (L, item, facts) => {
      const admin = facts.runningUserIsAdmin();
      const users = admin ? facts.integrationUserCount() : 0;
      return evaluatePermissions(L, item, admin, users, admin ? facts.fieldsWithoutAccess() : []);
    },
  },
  {
    key: 'integrationUser',
    apexClass: 'PryzmSetupStepIntegrationUser',
    titleLabel: 'Pryzm_Check_Integration_User_Title',
    check: async (L, item, facts) => evaluateIntegrationUsers(L, item, facts.integrationUsers()),
  },
  {
    key: 'flows',
    apexClass: 'PryzmSetupStepFlows',
    titleLabel: 'Pryzm_Check_Flows_Title',
    check: async (L, item, facts) => evaluateFlows(L, item, facts.flows()),
  },
  {
    key: 'changeSource',
    apexClass: 'PryzmSetupStepChangeSource',
    titleLabel: 'Pryzm_Check_Change_Source_Title',
    check: async (L, item, facts) =>
      evaluateChangeSource(L, item, facts.storedChangeSource(), facts.eventUsage()),
  },
  {
    key: 'connect',
    apexClass: 'PryzmSetupStepConnect',
    titleLabel: 'Pryzm_Check_Connect_Title',
    check: async (L, item, facts) => evaluateConnection(L, item, await facts.serviceHealth()),
  },
  {
    key: 'mapping',
    apexClass: 'PryzmSetupStepMapping',
    titleLabel: 'Pryzm_Check_Mapping_Title',
    check: async (L, item, facts) =>
      evaluateMapping(L, item, await facts.serviceHealth(), await facts.setupStatus()),
  },
  {
    key: 'firstPull',
    apexClass: 'PryzmSetupStepFirstPull',
    titleLabel: 'Pryzm_Check_First_Pull_Title',
    check: async (L, item, facts) =>
      evaluateFirstPull(L, item, await facts.serviceHealth(), await facts.setupStatus()),
  },
];
