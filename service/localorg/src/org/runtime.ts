import type {
  EventBusHost,
  PlatformEventPublisher,
  SObjectDescribe,
  Session,
  StoredRecord,
  WriteTransaction,
} from '../core/contracts.ts';
import { hierarchySettingFor } from '../schema/hierarchy-setting.ts';
import { SessionRegistry } from './sessions.ts';
import { readForceApp } from '../schema/force-app.ts';
import type { OrgConfig } from './config.ts';
import { Org } from './org.ts';

/**
 * Every org this process serves, their sessions, and the seams the event bus plugs into
 * (it reads through `EventBusHost` and publishes through a `PlatformEventPublisher`).
 */
export class LocalOrgRuntime implements EventBusHost {
  readonly orgs: Org[];
  readonly sessions = new SessionRegistry();
  private publisher: PlatformEventPublisher | undefined;

  constructor(orgConfigs: OrgConfig[], forceAppDir: string | undefined) {
    const forceApp = readForceApp(forceAppDir);
    this.orgs = orgConfigs.map((c, i) => new Org(c, i, forceApp));
  }

  /** An org by id (15 or 18 characters) or My Domain name. */
  org(idOrDomain: string): Org | undefined {
    const key = idOrDomain.toLowerCase();
    return this.orgs.find(
      (o) =>
        o.id.toLowerCase() === key ||
        o.id.slice(0, 15).toLowerCase() === key ||
        o.config.myDomain.toLowerCase() === key,
    );
  }

  setPlatformEventPublisher(publisher: PlatformEventPublisher | undefined): void {
    this.publisher = publisher;
  }

  platformEventPublisher(): PlatformEventPublisher | undefined {
    return this.publisher;
  }

  authenticate(accessToken: string): Session | undefined {
    const s = this.sessions.validate(accessToken);
    return s
      ? {
          orgId: s.org.id,
          userId: s.userId,
          accessToken: s.accessToken,
          instanceUrl: s.org.instanceUrl,
        }
      : undefined;
  }

  orgIds(): string[] {
    return this.orgs.map((o) => o.id);
  }

  describe(orgId: string, objectName: string): SObjectDescribe | undefined {
    return this.org(orgId)?.describe(objectName);
  }

  onCommit(listener: (tx: WriteTransaction) => void): () => void {
    const offs = this.orgs.map((o) => o.onCommit(listener));
    return () => offs.forEach((off) => off());
  }

  userHasCustomPermission(orgId: string, userId: string, permissionName: string): boolean {
    return this.org(orgId)?.userHasCustomPermission(userId, permissionName) ?? false;
  }

  hierarchySetting(orgId: string, userId: string, settingName: string): StoredRecord | undefined {
    const org = this.org(orgId);
    return org ? hierarchySettingFor(org, userId, settingName) : undefined;
  }

  now(orgId: string): number {
    return this.org(orgId)?.now() ?? Date.now();
  }

  instanceUrl(orgId: string): string | undefined {
    return this.org(orgId)?.instanceUrl || undefined;
  }

  liveRecord(orgId: string, objectName: string, id: string): StoredRecord | undefined {
    const record = this.org(orgId)?.store.table(objectName)?.get(id);
    return record && !record.IsDeleted ? record : undefined;
  }
}
