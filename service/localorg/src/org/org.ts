import type {
  QueryDataSource,
  SObjectDescribe,
  StoredRecord,
  WriteTransaction,
} from '../core/contracts.ts';
import { OrgFaults } from './org-faults.ts';
import { buildSchema, type OrgSchema } from '../schema/catalog.ts';
import type { ForceAppMetadata } from '../schema/force-app.ts';
import {
  DEFAULT_CONNECTED_APP,
  PLATFORM_CLI_APP,
  defaultUsers,
  type ConnectedAppConfig,
  type OrgConfig,
  type UserConfig,
} from './config.ts';
import { Dml } from './dml.ts';
import type { DmlContext, WriteRules } from './dml-checks.ts';
import { IdAllocator, base62, normalizeId, to18 } from '../core/ids.ts';
import { OrgLimits } from './limits.ts';
import { RecordStore } from './store.ts';
import { enlistment } from './enlistment.ts';
import { DmlError, Transaction } from './transaction.ts';
import { formatDateTime } from './values.ts';
import { randomUUID } from 'node:crypto';

/**
 * One org: schema, records, users, connected apps, allocations and faults. Writes go
 * through `write()`, which commits one transaction and tells listeners about it.
 */

export interface OrgUser {
  id: string;
  config: UserConfig;
}

export class Org implements QueryDataSource {
  readonly id: string;
  readonly schema: OrgSchema;
  readonly store: RecordStore;
  readonly ids: IdAllocator;
  readonly dml: Dml;
  readonly limits: OrgLimits;
  readonly faults = new OrgFaults();
  readonly users: OrgUser[] = [];
  readonly connectedApps: ConnectedAppConfig[];
  readonly sessionSeconds: number;
  /** Set when the org is served: `http(s)://host:port`. */
  instanceUrl = '';
  loginUrl = '';
  private readonly listeners = new Set<(tx: WriteTransaction) => void>();
  /**
   * The time every record written by the running transaction is stamped with: one DML call
   * gives all its records the same LastModifiedDate and SystemModstamp, however long it takes.
   */
  private transactionTime: number | undefined;
  private readonly dmlContext: DmlContext;

  constructor(
    readonly config: OrgConfig,
    index: number,
    forceApp: ForceAppMetadata,
  ) {
    const pod = base62(62 * 8 + index * 7, 2);
    this.id = to18(`00D${pod}${base62(index + 1, 10)}`);
    this.schema = buildSchema({ forceApp, namespace: config.namespace });
    this.store = new RecordStore(this.schema.all());
    this.ids = new IdAllocator(pod);
    this.limits = new OrgLimits(config.dailyApiRequests ?? 100_000);
    this.sessionSeconds = config.sessionSeconds ?? 7200;
    this.connectedApps = [...(config.connectedApps ?? [DEFAULT_CONNECTED_APP]), PLATFORM_CLI_APP];
    this.dmlContext = {
      schema: this.schema,
      store: this.store,
      ids: this.ids,
      now: () => this.transactionTime ?? this.now(),
      beforeWrite: (recordId) => {
        if (this.faults.takeLock()) {
          throw new DmlError([
            {
              message:
                `unable to obtain exclusive access to this record or 1 records: ${recordId ?? ''}`.trimEnd(),
              errorCode: 'UNABLE_TO_LOCK_ROW',
              fields: [],
            },
          ]);
        }
      },
    };
    this.dml = new Dml(this.dmlContext);
    this.createSetupRecords(config.users ?? defaultUsers(config.myDomain, config.sandbox ?? false));
  }

  /** Adds the object-specific refusals Salesforce makes (the access governance rules). */
  useWriteRules(rules: WriteRules): void {
    this.dmlContext.rules = rules;
  }

  get sandbox(): boolean {
    return this.config.sandbox ?? false;
  }

  /** The org's clock in ms since epoch (a fault may offset it). */
  now(): number {
    return Date.now() + this.faults.clockOffsetMs;
  }

  describe(objectName: string): SObjectDescribe | undefined {
    return this.schema.describe(objectName);
  }

  *records(objectName: string): Iterable<StoredRecord> {
    const table = this.store.table(objectName);
    if (table) yield* table.records.values();
  }

  findById(id: string): { objectName: string; record: StoredRecord } | undefined {
    // Fast path: ids as stored (18 characters, as queries and lookups mostly hold them).
    const direct = id.length === 18 ? this.store.tableForId(id) : undefined;
    const hit = direct?.get(id);
    if (direct && hit) return { objectName: direct.name, record: hit };
    const normalized = normalizeId(id);
    if (!normalized) return undefined;
    const table = this.store.tableForId(normalized);
    const record = table?.get(normalized);
    return table && record ? { objectName: table.name, record } : undefined;
  }

  onCommit(listener: (tx: WriteTransaction) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `work` as one DML transaction: on return its changes are committed and announced,
   * on a throw they are rolled back.
   */
  write<T>(userId: string, changeOrigin: string, work: (tx: Transaction, dml: Dml) => T): T {
    const outer = enlistment.getStore();
    if (outer && outer.orgId === this.id) {
      const savepoint = outer.tx.savepoint();
      try {
        return work(outer.tx, this.dml);
      } catch (e) {
        outer.tx.rollbackTo(savepoint);
        throw e;
      }
    }
    const tx = new Transaction(userId, changeOrigin);
    let result: T;
    const enclosingTime = this.transactionTime;
    this.transactionTime ??= this.now();
    try {
      result = work(tx, this.dml);
    } catch (e) {
      tx.rollback();
      throw e;
    } finally {
      this.transactionTime = enclosingTime;
    }
    this.commit(tx);
    return result;
  }

  /** Announces a finished transaction's changes to every listener (CDC, Flows). */
  commit(tx: Transaction): void {
    if (tx.changes.length) {
      const committed: WriteTransaction = {
        orgId: this.id,
        transactionKey: randomUUID(),
        commitTimestamp: this.now(),
        changeOrigin: tx.changeOrigin,
        userId: tx.userId,
        changes: tx.changes,
      };
      for (const l of this.listeners) l(committed);
    }
  }

  userByUsername(username: string): OrgUser | undefined {
    return this.users.find((u) => u.config.username.toLowerCase() === username.toLowerCase());
  }

  userById(id: string): OrgUser | undefined {
    const normalized = normalizeId(id);
    return this.users.find((u) => u.id === normalized);
  }

  userHasCustomPermission(userId: string, permissionName: string): boolean {
    const user = this.userById(userId);
    if (!user) return false;
    const wanted = [permissionName, this.schema.packageName(permissionName)].map((n) =>
      n.toLowerCase(),
    );
    const strip = (n: string): string =>
      n.replace(/^[A-Za-z0-9]+__(?=[A-Za-z0-9])/, '').toLowerCase();
    const assigned = [...this.records('PermissionSetAssignment')]
      .filter((a) => !a.IsDeleted && a['AssigneeId'] === user.id)
      .map((a) => this.findById(String(a['PermissionSetId']))?.record['Name']);
    return this.schema.permissionSets
      .filter((ps) => assigned.includes(ps.name))
      .some((ps) =>
        ps.customPermissions.some(
          (cp) => wanted.includes(cp.toLowerCase()) || wanted.map(strip).includes(strip(cp)),
        ),
      );
  }

  /** Organization, licence, profile, users and permission sets every org starts with. */
  private createSetupRecords(users: UserConfig[]): void {
    const now = formatDateTime(Date.UTC(2024, 0, 1));
    const system = (
      extra: Record<string, string | number | boolean | null>,
      id: string,
    ): StoredRecord => ({
      Id: id,
      IsDeleted: false,
      CreatedDate: now,
      LastModifiedDate: now,
      SystemModstamp: now,
      ...extra,
    });
    const put = (objectName: string, record: StoredRecord): void => {
      this.store.table(objectName)?.put(record);
    };
    const firstUserId = this.ids.next('005');
    const audit = { CreatedById: firstUserId, LastModifiedById: firstUserId };
    put(
      'Organization',
      system(
        {
          ...audit,
          Name: this.config.name ?? this.config.myDomain,
          OrganizationType: 'Enterprise Edition',
          InstanceName: this.sandbox ? 'CS42' : 'NA42',
          IsSandbox: this.sandbox,
          TrialExpirationDate: null,
          NamespacePrefix: null,
          DefaultLocaleSidKey: 'en_US',
          LanguageLocaleKey: 'en_US',
          TimeZoneSidKey: 'America/Los_Angeles',
          IsReadOnly: false,
          Country: 'US',
        },
        this.id,
      ),
    );
    const licenseId = this.ids.next('100');
    put(
      'UserLicense',
      system(
        {
          ...audit,
          Name: 'Salesforce',
          LicenseDefinitionKey: 'SFDC',
          Status: 'Active',
          TotalLicenses: 100,
          UsedLicenses: users.length,
          MasterLabel: 'Salesforce',
        },
        licenseId,
      ),
    );
    const profileId = this.ids.next('00e');
    put(
      'Profile',
      system(
        {
          ...audit,
          Name: 'System Administrator',
          UserLicenseId: licenseId,
          UserType: 'Standard',
          PermissionsApiEnabled: true,
        },
        profileId,
      ),
    );
    const permissionSetIds = new Map<string, string>();
    for (const ps of this.schema.permissionSets) {
      const psId = this.ids.next('0PS');
      permissionSetIds.set(ps.name, psId);
      put(
        'PermissionSet',
        system(
          {
            ...audit,
            Name: ps.name,
            Label: ps.label,
            NamespacePrefix: this.config.namespace ?? null,
            IsOwnedByProfile: false,
          },
          psId,
        ),
      );
    }
    users.forEach((u, i) => {
      const id = i === 0 ? firstUserId : this.ids.next('005');
      this.users.push({ id, config: u });
      put(
        'User',
        system(
          {
            ...audit,
            Username: u.username,
            FirstName: u.firstName,
            LastName: u.lastName,
            Name: `${u.firstName} ${u.lastName}`,
            Email: u.email,
            Alias: (u.firstName.slice(0, 1) + u.lastName.slice(0, 4)).toLowerCase(),
            CommunityNickname: u.username.split('@')[0] ?? u.username,
            IsActive: true,
            UserType: 'Standard',
            ProfileId: profileId,
            TimeZoneSidKey: 'America/Los_Angeles',
            LocaleSidKey: 'en_US',
            EmailEncodingKey: 'UTF-8',
            LanguageLocaleKey: 'en_US',
          },
          id,
        ),
      );
      for (const name of u.permissionSets ?? []) {
        const psId = permissionSetIds.get(name);
        if (psId)
          put(
            'PermissionSetAssignment',
            system({ ...audit, AssigneeId: id, PermissionSetId: psId }, this.ids.next('0Pa')),
          );
      }
    });
  }
}
