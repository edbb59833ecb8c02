/**
 * Auto push of one connection, run by the process holding its lease: it looks for Pryzm records
 * of its auto-push mappings changed after each object's cursor, waits for a burst to go quiet
 * (debounce), then upserts what changed by `Pryzm_ID__c`, up to 800 records per Composite call
 * (four sObject Collections upserts and the read-back of their stamps), through the batch push's
 * planner and commit (links, base values and stamps move forward with each call), recorded in a `push` job of mode `auto` per time window. The cursor only moves
 * forward once the records it covers committed, so pending work is always what the store says
 * changed: a change committed just before a crash is pushed by the next holder.
 */
import type { ConnectionService } from '../../connections/connection-service.ts';
import type { DescribeService } from '../../connections/describe-service.ts';
import type { Logger } from '../../logging/logger.ts';
import {
  DEFAULT_DELETE_SETTINGS,
  findPryzmIdField,
  pullOrder,
  type ObjectMapping,
  type RecordTypeDefinition,
  type SObjectDescribe,
} from '../../mapping/index.ts';
import type { MappingService } from '../../mappings/mapping-service.ts';
import type { SalesforceClient } from '../../salesforce/client.ts';
import type { ChangedRecord } from '../../store/repositories/auto-push.ts';
import type { ConnectionRow } from '../../store/repositories/connections.ts';
import type { Repositories } from '../../store/repositories/index.ts';
import { definitionOf } from '../../store/repositories/record-types.ts';
import { JobSupersededError } from '../../store/repositories/sync-jobs.ts';
import { JobRun } from '../jobs/job-run.ts';
import { runDescribes } from '../jobs/run-describes.ts';
import { RECORDS_PER_STAMPED_UPSERT } from '../../salesforce/composite.ts';
import { pushDeletes, upsertWrites, type PushObjectInput, type Write } from './push-object.ts';
import { planPush, referencedRecordIds } from './push-planner.ts';

export interface AutoPushSettings {
  /** How often the holder looks for changed records. */
  pollMs: number;
  /** A burst is pushed once no change came for this long... */
  quietMs: number;
  /** ...or once its first change waited this long. */
  maxDelayMs: number;
  /** How long one auto push job records pushes before the next one opens. */
  windowMs: number;
  /** Records at most this much older than a cursor are read again: writes whose transaction
   * committed after a later one's (their `updatedAt` is set before the commit). */
  overlapMs: number;
  /** A lease lasts this long unless renewed; another process takes over after it ran out. */
  leaseTtlMs: number;
  /** How often leases are renewed and connections looked at. */
  tickMs: number;
}

export const DEFAULT_AUTO_PUSH_SETTINGS: AutoPushSettings = {
  pollMs: 250,
  quietMs: 200,
  maxDelayMs: 1_000,
  windowMs: 60_000,
  overlapMs: 5_000,
  leaseTtlMs: 15_000,
  tickMs: 5_000,
};

export interface AutoPushDeps {
  repositories: Pick<
    Repositories,
    'autoPush' | 'syncJobs' | 'syncPush' | 'syncIngestJobs' | 'recordTypes' | 'connections'
  >;
  connections: ConnectionService;
  mappings: MappingService;
  describes: DescribeService;
  logger: Logger;
  settings: AutoPushSettings;
  /** Names this process in leases and jobs. */
  workerId: string;
}

/** An auto-push mapping with what pushing its records needs. */
interface PushedObject {
  mapping: ObjectMapping;
  recordType: RecordTypeDefinition & { id: string };
  describe: SObjectDescribe;
  pryzmIdField: string;
  /** When the mapping was last saved: the cursor of an object never pushed automatically. */
  savedAt: Date;
}

/** Mappings are read again after this long (auto push turned on or off meanwhile). */
const OBJECTS_TTL_MS = 5_000;
/** Changed records read per round. */
const READ_SIZE = 1_000;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

export class ConnectionAutoPush {
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private objects: PushedObject[] = [];
  private objectsLoadedAt = 0;
  private run: JobRun | undefined;
  private client: SalesforceClient | undefined;
  private openedAt = 0;

  constructor(
    private readonly deps: AutoPushDeps,
    readonly connection: ConnectionRow,
  ) {}

  start(): void {
    this.loop ??= this.work();
  }

  /** Stops after the push in hand and closes the job window. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    await this.closeWindow().catch(() => {});
  }

  private async work(): Promise<void> {
    const { settings, logger } = this.deps;
    while (!this.stopping.signal.aborted) {
      try {
        await this.pushPending();
      } catch (error) {
        // A stop in the middle of a burst: what committed stays, the rest waits for the cursor.
        if (this.stopping.signal.aborted) return;
        logger.warn({ connectionId: this.connection.id, err: error }, 'auto push failed');
        await sleep(settings.tickMs, this.stopping.signal);
      }
      if (this.stopping.signal.aborted) return;
      await sleep(settings.pollMs, this.stopping.signal);
    }
  }

  /** One look: the objects with changes after their cursor, pushed once their burst is quiet. */
  private async pushPending(): Promise<void> {
    const { settings } = this.deps;
    const objects = await this.loadObjects();
    const cursors = await this.deps.repositories.autoPush.cursors(this.connection.id);
    const names = objects.map((object) => object.mapping.salesforceObject);
    if (Object.keys(cursors).some((name) => !names.includes(name))) {
      await this.deps.repositories.autoPush.keepCursors(
        this.connection.id,
        this.deps.workerId,
        names,
      );
    }
    const cursorOf = (object: PushedObject) =>
      cursors[object.mapping.salesforceObject] ?? object.savedAt;
    const newest = async () => {
      const found = new Map<PushedObject, Date>();
      for (const object of objects) {
        const at = await this.deps.repositories.autoPush.newestChange(
          this.connection.workspaceId,
          object.recordType.id,
        );
        if (at && at > cursorOf(object)) found.set(object, at);
      }
      return found;
    };
    let changed = await newest();
    if (changed.size === 0) {
      if (this.run && Date.now() - this.openedAt >= settings.windowMs) await this.closeWindow();
      return;
    }
    // Debounce: a burst (an import, a script) goes in as few calls as it can, and no change
    // waits longer than `maxDelayMs` (from its own write) for its round.
    let oldest = Date.now();
    for (const object of changed.keys()) {
      const at = await this.deps.repositories.autoPush.oldestChangeAfter(
        this.connection.workspaceId,
        object.recordType.id,
        cursorOf(object),
      );
      if (at) oldest = Math.min(oldest, at.getTime());
    }
    let quiet = false;
    for (;;) {
      await sleep(settings.quietMs, this.stopping.signal);
      const again = await newest();
      quiet = ![...again].some(([object, at]) => changed.get(object)?.getTime() !== at.getTime());
      changed = again;
      if (quiet || Date.now() - oldest >= settings.maxDelayMs) break;
    }
    // Parents first, so a child's lookup finds its parent's new link.
    for (const object of objects) {
      if (this.stopping.signal.aborted) return;
      if (!changed.has(object)) continue;
      // A stored cursor is re-read with an overlap (writes committed late); a first one, the
      // mapping's save, is not: what changed before auto push was on is not its to push.
      const stored = cursors[object.mapping.salesforceObject];
      const since = stored ? new Date(stored.getTime() - settings.overlapMs) : object.savedAt;
      await this.pushObject(object, cursorOf(object), since, quiet);
    }
  }

  /**
   * While a burst goes on, only whole calls of 800 (four collections of 200 in one Composite
   * call) go and the rest waits for the next round (which comes once its oldest change waited
   * `maxDelayMs`); fewer than 800 go at once. A long import of records one by one still takes
   * about the fewest calls it can.
   */
  private cut(writes: readonly Write[], quiet: boolean): number {
    if (quiet || writes.length < RECORDS_PER_STAMPED_UPSERT) return writes.length;
    return writes.length - (writes.length % RECORDS_PER_STAMPED_UPSERT);
  }

  /** Pushes an object's records changed after its cursor, then moves the cursor on. */
  private async pushObject(
    object: PushedObject,
    cursor: Date,
    since: Date,
    quiet: boolean,
  ): Promise<void> {
    const { repositories } = this.deps;
    const name = object.mapping.salesforceObject;
    let after: { updatedAt: Date; id: string } | null = null;
    let newest = cursor;
    let deletedLinked = false;
    for (;;) {
      const readAt = new Date();
      const rows: ChangedRecord[] = await repositories.autoPush.changedSince({
        workspaceId: this.connection.workspaceId,
        recordTypeId: object.recordType.id,
        connectionId: this.connection.id,
        salesforceObject: name,
        since,
        after,
        limit: READ_SIZE,
      });
      if (rows.length === 0) break;
      const last = rows[rows.length - 1]!;
      after = { updatedAt: last.updatedAt, id: last.id };
      if (last.updatedAt > newest) newest = last.updatedAt;
      deletedLinked ||= rows.some((row) => row.deletedAt && row.link);
      // Changed since the link last synced (or never pushed); a pull's own write is not a change.
      const candidates = rows.filter(
        (row) => !row.deletedAt && (!row.link || row.updatedAt > row.link.lastSyncedAt),
      );
      const planned = await this.plan(object, candidates);
      const lastPage = rows.length < READ_SIZE;
      const cut = lastPage ? this.cut(planned, quiet) : planned.length;
      const writes = planned.slice(0, cut);
      if (writes.length > 0) {
        const input = await this.input(object);
        const processed = input.run.object(name).processed;
        // Each call's outcome commits with the job's progress (links, results, counts).
        await upsertWrites(repositories, input, object.pryzmIdField, writes, readAt, processed);
      }
      if (cut < planned.length) {
        // The cursor stops just before the first record left for the next round.
        newest = new Date(planned[cut]!.candidate.updatedAt.getTime() - 1);
        break;
      }
      if (lastPage) break;
    }
    const deletes = object.mapping.deletes ?? DEFAULT_DELETE_SETTINGS;
    if (deletedLinked && deletes.fromPryzm === 'propagate') {
      const input = await this.input(object);
      await pushDeletes(repositories, input, input.run.object(name).processed);
    }
    const held = await repositories.autoPush.saveCursor(
      this.connection.id,
      this.deps.workerId,
      name,
      newest,
    );
    // Another process holds the connection now: it pushes from the stored cursor.
    if (!held) this.stopping.abort();
  }

  private async plan(object: PushedObject, candidates: ChangedRecord[]): Promise<Write[]> {
    if (candidates.length === 0) return [];
    const parents = await this.deps.repositories.syncPush.salesforceIdsOf(
      this.connection.id,
      candidates.flatMap((candidate) => referencedRecordIds(candidate.values, object.recordType)),
    );
    return candidates.flatMap((candidate) => {
      const plan = planPush(candidate, {
        mapping: object.mapping,
        recordType: object.recordType,
        describe: object.describe,
        salesforceIdOf: (recordId) => parents.get(recordId),
      });
      return plan.kind === 'write' ? [{ candidate, plan }] : [];
    });
  }

  /** What the batch push needs, inside the current job window (opened on the first write). */
  private async input(object: PushedObject): Promise<PushObjectInput> {
    const { repositories, connections, workerId, settings } = this.deps;
    if (this.run && Date.now() - this.openedAt >= settings.windowMs) await this.closeWindow();
    if (!this.run || !this.client) {
      const created = await repositories.syncJobs.create({
        workspaceId: this.connection.workspaceId,
        connectionId: this.connection.id,
        kind: 'push',
        mode: 'auto',
        scope: { pull: [], push: this.objects.map((o) => o.mapping.salesforceObject) },
        startedBy: 'auto_push',
      });
      const job = await repositories.syncJobs.claim(created.id, workerId);
      if (!job) throw new Error(`Could not open the auto push job ${created.id}`);
      this.run = new JobRun(job, this.stopping.signal);
      this.run.phase = 'push';
      this.client = connections.client({ id: this.connection.id }, this.run.recorder);
      this.openedAt = Date.now();
    }
    return {
      run: this.run,
      workspaceId: this.connection.workspaceId,
      connectionId: this.connection.id,
      client: this.client,
      mapping: object.mapping,
      recordType: object.recordType,
      describe: object.describe,
    };
  }

  /** Finishes the window's job (succeeded, or partially when records failed or were skipped). */
  private async closeWindow(): Promise<void> {
    const run = this.run;
    this.run = undefined;
    this.client = undefined;
    if (!run) return;
    for (const entry of run.progress) run.finishObject(entry.salesforceObject);
    const status =
      run.counts.failed > 0 || run.counts.skipped > 0 ? 'partially_succeeded' : 'succeeded';
    try {
      await this.deps.repositories.syncJobs.finish(run.job.id, { status, ...run.snapshot() });
    } catch (error) {
      // Another holder closed it (this process lost the connection): nothing more to write.
      if (!(error instanceof JobSupersededError)) throw error;
    }
  }

  /** The connection's enabled auto-push mappings that push, parents first, read again every 5 s. */
  private async loadObjects(): Promise<PushedObject[]> {
    if (Date.now() - this.objectsLoadedAt < OBJECTS_TTL_MS) return this.objects;
    const { deps, connection } = this;
    const rows = await deps.mappings.list(connection.workspaceId, connection.id);
    if (!rows.ok) throw new Error(rows.error.message);
    const wanted = rows.value.filter(
      (row) => row.enabled && row.mapping.autoPush && row.mapping.direction !== 'pull',
    );
    const savedAt = new Map(wanted.map((row) => [row.mapping, row.updatedAt]));
    const objects: PushedObject[] = [];
    for (const mapping of pullOrder(wanted.map((row) => row.mapping))) {
      const recordTypeRow = await deps.repositories.recordTypes.findByKey(
        connection.workspaceId,
        mapping.recordType,
      );
      if (!recordTypeRow) continue;
      const describes = await runDescribes(deps.describes, connection, mapping);
      if (!describes.ok) continue;
      const pryzmIdField = findPryzmIdField(describes.value.describe)?.name;
      if (!pryzmIdField) continue;
      objects.push({
        mapping,
        recordType: { ...definitionOf(recordTypeRow), id: recordTypeRow.id },
        describe: describes.value.describe,
        pryzmIdField,
        savedAt: savedAt.get(mapping) ?? new Date(),
      });
    }
    this.objects = objects;
    this.objectsLoadedAt = Date.now();
    return objects;
  }
}
