/**
 * The local org's emulation of PryzmSetupChecks, its steps' facts and PryzmSetupController
 * (force-app/main/default/classes): the facts each step gathers, read from the org the way the
 * Apex reads them (describes, custom permissions through permission set assignments, the
 * org-default Pryzm Settings row, the org's limits, the Named Credential callouts), for the
 * steps of setup-steps.ts to decide on. The local org has no field-level security, so the
 * permissions step finds a Pryzm field unreadable only when the field is missing.
 */
import { normalizeId } from '../../core/ids.ts';
import type { Org } from '../../org/org.ts';
import { namespacePrefix, type ApexContext } from './apex-context.ts';
import type { CalloutResult } from './named-credentials.ts';
import { PRYZM_FIELDS, SYNCED_OBJECTS } from './push-controller.ts';
import {
  EVENT_LIMITS,
  SETUP_STEPS,
  newItem,
  settle,
  type ChecklistItem,
  type IdFieldFacts,
  type IntegrationUserFacts,
  type SetupFacts,
} from './setup-steps.ts';

const NO_RECORD: Record<string, unknown> = {};

// PryzmServiceClient's paths.
const HEALTH_PATH = '/api/salesforce/health';
const SETUP_STATUS_PATH = '/api/salesforce/setup-status';

function idFieldFacts(org: Org): Map<string, IdFieldFacts> {
  const name = `${namespacePrefix(org)}Pryzm_ID__c`;
  return new Map(
    SYNCED_OBJECTS.map((objectName) => {
      const field = org.describe(objectName)?.fields.find((f) => f.name === name);
      return [
        objectName,
        {
          present: field !== undefined,
          externalId: field?.externalId ?? false,
          unique: field?.unique ?? false,
          caseSensitive: field?.caseSensitive ?? false,
        },
      ];
    }),
  );
}

function fieldsWithoutAccess(org: Org): string[] {
  const prefix = namespacePrefix(org);
  return SYNCED_OBJECTS.flatMap((objectName) => {
    const fields = new Set(org.describe(objectName)?.fields.map((f) => f.name) ?? []);
    return PRYZM_FIELDS.filter((name) => !fields.has(`${prefix}${name}`)).map(
      (name) => `${objectName}.${name}`,
    );
  });
}

/** Active users holding a custom permission through their permission set assignments. */
function activeHolders(org: Org, permission: string): string[] {
  return org.users
    .map((user) => user.id)
    .filter((id) => org.findById(id)?.record['IsActive'] !== false)
    .filter((id) => org.userHasCustomPermission(id, permission));
}

function integrationUsers(org: Org): IntegrationUserFacts[] {
  return activeHolders(org, 'Pryzm_Integration')
    .map((id) => {
      const user = org.findById(id)?.record ?? NO_RECORD;
      const profile = org.findById(String(user['ProfileId'] ?? ''))?.record ?? NO_RECORD;
      const licence = org.findById(String(profile['UserLicenseId'] ?? ''))?.record ?? NO_RECORD;
      // API Enabled through the profile or any permission set assigned to the user.
      const viaPermissionSet = [...org.records('PermissionSetAssignment')]
        .filter((a) => !a.IsDeleted && a['AssigneeId'] === id)
        .some((a) => org.findById(String(a['PermissionSetId']))?.record['PermissionsApiEnabled']);
      return {
        username: String(user['Username'] ?? ''),
        licence: String(licence['Name'] ?? ''),
        profile: String(profile['Name'] ?? ''),
        apiEnabled: profile['PermissionsApiEnabled'] === true || viaPermissionSet,
      };
    })
    .sort((a, b) => a.username.localeCompare(b.username));
}

/** PryzmSettings.orgDefaults().Change_Source__c: the org-level row only. */
function storedChangeSource(org: Org): string | null {
  const setting = org.schema.packageName('Pryzm_Settings__c');
  const field = org.schema.packageName('Change_Source__c');
  for (const row of org.records(setting)) {
    if (!row.IsDeleted && normalizeId(String(row['SetupOwnerId'] ?? '')) === org.id) {
      const value = row[field];
      return value === null || value === undefined ? null : String(value);
    }
  }
  return null;
}

/** OrgLimits.getMap(): used and maximum of the event allocations. */
function eventUsage(org: Org): Map<string, [number, number]> {
  const report = org.limits.report();
  const usage = new Map<string, [number, number]>();
  for (const name of EVENT_LIMITS) {
    const entry = report[name];
    if (!entry) continue;
    const max = Number(entry['Max']);
    usage.set(name, [max - Number(entry['Remaining']), max]);
  }
  return usage;
}

/**
 * One run of the checks (PryzmSetupChecks with its PryzmSetupContext): the facts the steps read,
 * with the service asked once for health and once for its setup.
 */
export class SetupChecks implements SetupFacts {
  private health: Promise<CalloutResult> | undefined;
  private status: Promise<CalloutResult> | undefined;

  constructor(private readonly ctx: ApexContext) {}

  get namespace(): string | undefined {
    return this.ctx.org.config.namespace;
  }

  idFields(): Map<string, IdFieldFacts> {
    return idFieldFacts(this.ctx.org);
  }

  runningUserIsAdmin(): boolean {
    return this.ctx.org.userHasCustomPermission(this.ctx.userId, 'Pryzm_Admin');
  }

  integrationUserCount(): number {
    return activeHolders(this.ctx.org, 'Pryzm_Integration').length;
  }

  fieldsWithoutAccess(): string[] {
    return fieldsWithoutAccess(this.ctx.org);
  }

  integrationUsers(): IntegrationUserFacts[] {
    return integrationUsers(this.ctx.org);
  }

  flows(): Map<string, boolean> {
    return new Map(this.ctx.activeFlows.map((name) => [name, true]));
  }

  storedChangeSource(): string | null {
    return storedChangeSource(this.ctx.org);
  }

  eventUsage(): Map<string, [number, number]> {
    return eventUsage(this.ctx.org);
  }

  private callout(path: string): Promise<CalloutResult> {
    return this.ctx.namedCredentials.callout(this.ctx.org, this.ctx.userId, path);
  }

  serviceHealth(): Promise<CalloutResult> {
    this.health ??= this.callout(HEALTH_PATH);
    return this.health;
  }

  setupStatus(): Promise<CalloutResult> {
    // PryzmServiceClient.setupStatus() names the org: `?orgId=` + UserInfo.getOrganizationId().
    this.status ??= this.callout(`${SETUP_STATUS_PATH}?orgId=${this.ctx.org.id}`);
    return this.status;
  }

  async runAll(): Promise<ChecklistItem[]> {
    const items: ChecklistItem[] = [];
    for (const step of SETUP_STEPS) items.push(await this.run(step.key));
    return items;
  }

  async run(key: string): Promise<ChecklistItem> {
    const { labels } = this.ctx;
    const item = newItem(labels, key);
    const step = SETUP_STEPS[item.order - 1]!;
    try {
      return await step.check(labels, item, this);
    } catch (error) {
      // A check that cannot run is reported, not thrown, so the other steps still show.
      return settle(
        item,
        'error',
        labels.format('Pryzm_Check_Could_Not_Run', (error as Error).message),
        labels.format('Pryzm_Check_Could_Not_Run_Fix'),
      );
    }
  }
}

/** PryzmSetupController.getChecklist(). */
export function getChecklist(ctx: ApexContext): Promise<ChecklistItem[]> {
  return new SetupChecks(ctx).runAll();
}

/** PryzmSetupController.recheckStep(String key). */
export function recheckStep(ctx: ApexContext, params: Record<string, unknown>) {
  return new SetupChecks(ctx).run(String(params['key'] ?? ''));
}
