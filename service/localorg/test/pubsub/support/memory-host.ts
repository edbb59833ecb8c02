/** An in-memory EventBusHost for unit tests: one or more orgs, tokens, describes and commits. */
import { randomUUID } from 'node:crypto';
import type {
  EventBusHost,
  RecordChange,
  SObjectDescribe,
  Session,
  WriteTransaction,
} from '../../../src/core/contracts.ts';

export class MemoryHost implements EventBusHost {
  readonly sessions = new Map<string, Session>();
  readonly describes = new Map<string, SObjectDescribe>();
  readonly permissions = new Set<string>();
  clockOffsetMs = 0;
  private readonly listeners = new Set<(tx: WriteTransaction) => void>();

  constructor(
    readonly orgId = '00D000000000001AAA',
    describes: SObjectDescribe[] = [],
  ) {
    for (const d of describes) this.describes.set(d.name.toLowerCase(), d);
  }

  addSession(userId: string, accessToken = `${this.orgId}!${randomUUID()}`): Session {
    const session = { orgId: this.orgId, userId, accessToken, instanceUrl: 'https://127.0.0.1' };
    this.sessions.set(accessToken, session);
    return session;
  }

  grant(userId: string, permissionName: string): void {
    this.permissions.add(`${userId}|${permissionName}`);
  }

  authenticate(accessToken: string): Session | undefined {
    return this.sessions.get(accessToken);
  }

  orgIds(): string[] {
    return [this.orgId];
  }

  describe(_orgId: string, objectName: string): SObjectDescribe | undefined {
    return this.describes.get(objectName.toLowerCase());
  }

  onCommit(listener: (tx: WriteTransaction) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  userHasCustomPermission(_orgId: string, userId: string, permissionName: string): boolean {
    return this.permissions.has(`${userId}|${permissionName}`);
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Commits a transaction made of the given changes, as the org runtime would. */
  commit(
    userId: string,
    changes: RecordChange[],
    changeOrigin = 'com/salesforce/api/rest/63.0',
  ): WriteTransaction {
    const tx: WriteTransaction = {
      orgId: this.orgId,
      userId,
      transactionKey: randomUUID(),
      commitTimestamp: this.now(),
      changeOrigin,
      changes,
    };
    for (const listener of this.listeners) listener(tx);
    return tx;
  }
}
