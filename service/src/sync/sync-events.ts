import type { EventBus, EventType } from '../events/event-bus.ts';
import type { Logger } from '../logging/logger.ts';
import type { Repositories } from '../store/repositories/index.ts';
import type { RecordRow } from '../store/repositories/records.ts';
import type { CommittedPage } from '../store/repositories/sync-pages.ts';

type RecordEventType = Extract<EventType, `record.${string}`>;

/** Where a sync change came from, as record events name it. */
interface SyncSource {
  jobId: string | null;
  connectionId: string | null;
}

/**
 * Announces what the sync engine committed: `record.created`/`updated`/`deleted` for the
 * records a page of a pull or real-time batch, a batch of Salesforce deletes or a person's
 * choice on a conflict wrote, and `conflict.created` for each conflict a page opened. It
 * listens to the stores' commit points, so every path that commits sync changes announces them,
 * after the commit, in the order of the pages.
 *
 * A page's record events are built only when someone wants them (an event stream of the
 * workspace, a webhook subscribed to the type, or the relay to other processes): otherwise a
 * page costs one question per type, answered from memory (the webhook sender keeps each
 * workspace's subscriptions; see webhooks/subscription-cache.ts). When wanted, the page's records
 * are read back once (a thousand ids a query) and published as one batch per type.
 */
export class SyncEvents {
  private readonly recordTypeKeys = new Map<string, string>();

  constructor(
    private readonly repositories: Pick<
      Repositories,
      'records' | 'recordTypes' | 'syncPages' | 'syncDeletes' | 'syncConflicts'
    >,
    private readonly events: EventBus,
    private readonly logger: Logger,
  ) {}

  /** Listens to the stores; the function returned stops listening. */
  start(): () => void {
    const stops = [
      this.repositories.syncPages.onCommit((page) => this.guard(this.pageCommitted(page))),
      this.repositories.syncDeletes.onCommit((deletes) =>
        this.guard(
          this.announceRecords(
            'record.deleted',
            deletes.workspaceId,
            deletes.recordIds.map((recordId) => ({ recordId })),
            { jobId: deletes.jobId, connectionId: deletes.connectionId },
          ),
        ),
      ),
      this.repositories.syncConflicts.onRecordWritten((settled) =>
        this.guard(
          this.announceRecords(
            'record.updated',
            settled.workspaceId,
            [{ recordId: settled.recordId, changed: settled.changed }],
            // A person's choice, outside any job.
            { jobId: null, connectionId: settled.connectionId },
          ),
        ),
      ),
    ];
    return () => stops.forEach((stop) => stop());
  }

  private async pageCommitted(page: CommittedPage): Promise<void> {
    const source = { jobId: page.jobId, connectionId: page.connectionId };
    // Each conflict as it is stored (a person may want to settle it before the job ends).
    this.events.publishMany(
      'conflict.created',
      page.workspaceId,
      page.openedConflicts.map((conflict) => ({
        conflict: {
          id: conflict.id,
          connectionId: page.connectionId,
          recordId: conflict.recordId,
          salesforceObject: page.salesforceObject,
          salesforceId: conflict.salesforceId,
          attributes: conflict.attributes,
          jobId: page.jobId,
        },
      })),
    );
    await this.announceCreated(page, source);
    await this.announceRecords('record.updated', page.workspaceId, page.updated, source);
  }

  /**
   * The page's new records, built from what it wrote (no read back: a full pull creates a
   * page's worth at a time, and nothing else can have changed them before the commit answered).
   */
  private async announceCreated(page: CommittedPage, source: SyncSource): Promise<void> {
    const type = 'record.created';
    if (page.created.length === 0) return;
    if (!(await this.events.wanted(page.workspaceId, [type])).has(type)) return;
    const recordType = await this.recordTypeKey(page.recordTypeId);
    const record = { recordType, version: 1, createdAt: page.committedAt, deletedAt: null };
    this.events.publishMany(
      type,
      page.workspaceId,
      page.created.map((created) => ({
        record: {
          id: created.recordId,
          ...record,
          values: created.values,
          updatedAt: page.committedAt,
        },
        source: { kind: 'sync', ...source },
      })),
    );
  }

  /** One event per record (as it is after the commit), if anybody wants them. */
  private async announceRecords(
    type: RecordEventType,
    workspaceId: string,
    changes: readonly { recordId: string; changed?: string[] }[],
    source: SyncSource,
  ): Promise<void> {
    if (changes.length === 0) return;
    if (!(await this.events.wanted(workspaceId, [type])).has(type)) return;
    const rows = new Map(
      (
        await this.repositories.records.findManyByIds(
          workspaceId,
          changes.map((change) => change.recordId),
        )
      ).map((row) => [row.id, row]),
    );
    const items: Record<string, unknown>[] = [];
    for (const change of changes) {
      const row = rows.get(change.recordId);
      if (!row) continue;
      items.push({
        record: { ...recordFields(row), recordType: await this.recordTypeKey(row.recordTypeId) },
        ...(type === 'record.updated' ? { changed: change.changed ?? [] } : {}),
        source: { kind: 'sync', ...source },
      });
    }
    this.events.publishMany(type, workspaceId, items);
  }

  private async recordTypeKey(recordTypeId: string): Promise<string> {
    let key = this.recordTypeKeys.get(recordTypeId);
    if (key === undefined) {
      key = (await this.repositories.recordTypes.findById(recordTypeId))?.key ?? '';
      // A record type's key never changes: remembered for the life of the process.
      this.recordTypeKeys.set(recordTypeId, key);
    }
    return key;
  }

  /** The stores' commit is done: a failure here is logged, never thrown into the sync. */
  private async guard(work: Promise<void>): Promise<void> {
    try {
      await work;
    } catch (error) {
      this.logger.error({ err: error }, 'announcing committed sync changes failed');
    }
  }
}

/** The record as record events carry it (the same fields the API's writes announce). */
function recordFields(row: RecordRow) {
  return {
    id: row.id,
    values: row.values,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
}
