/**
 * The real-time subscription of one connection, run by the process holding its lease: a stream
 * on the change source's channel (`flows`: `Pryzm_Record_Change__e`; `cdc`: the package's change
 * channel) and one on `Pryzm_Push_Request__e`. Batches are applied one at a time, each with its
 * replay id in the same transaction, inside the current real-time job window.
 */
import type { ConnectionRow } from '../../store/repositories/connections.ts';
import { definitionOf } from '../../store/repositories/record-types.ts';
import { EventStream, type StreamState } from '../../salesforce/pubsub/event-stream.ts';
import { PubSubClient, type DecodedEvent } from '../../salesforce/pubsub/pubsub-client.ts';
import type { TransactionClient } from '../../store/repositories/transaction.ts';
import { commitReplay } from '../../store/repositories/realtime.ts';
import { runDescribes } from '../jobs/run-describes.ts';
import { applyCarried, applyDeletes, type MappedObject } from './apply-changes.ts';
import { carriedValues } from './carried-changes.ts';
import { decodeChanges, type RecordChanges } from './change-events.ts';
import {
  eventTime,
  resolvePackageTopics,
  textField,
  type PackageTopics,
} from './package-events.ts';
import { handlePushRequest } from './push-requests.ts';
import type { RealtimeDeps } from './realtime-deps.ts';
import { RealtimeWindow } from './realtime-window.ts';

/** Mappings and describes are read again after this long (a mapping edited meanwhile). */
const OBJECTS_TTL_MS = 60_000;

export class ConnectionSubscriber {
  private pubsub: PubSubClient | undefined;
  private topics: PackageTopics | undefined;
  private readonly streams: EventStream[] = [];
  private objects: Map<string, MappedObject> | undefined;
  private objectsLoadedAt = 0;
  private readonly window: RealtimeWindow;
  /** Batches of both streams and window changes, one at a time. */
  private chain: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly states = new Map<string, StreamState>();
  /** The problem last logged per channel: a stream retrying the same refusal logs it once. */
  private readonly loggedProblems = new Map<string, string>();
  private stateWrites: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: RealtimeDeps,
    private readonly connection: ConnectionRow,
  ) {
    this.window = new RealtimeWindow(
      deps.repositories,
      deps.connections,
      connection,
      deps.workerId,
      deps.settings.windowMs,
      () => [...(this.objects?.values() ?? [])].map((o) => o.mapping.salesforceObject),
    );
  }

  get changeSource(): string {
    return this.connection.changeSource;
  }

  /** The channel whose replay id this subscription stores for its change source. */
  changeChannel(): string | undefined {
    if (!this.topics) return undefined;
    return this.connection.changeSource === 'cdc'
      ? this.topics.changeChannel
      : this.topics.recordChange;
  }

  async start(): Promise<void> {
    const { deps, connection } = this;
    if (!connection.orgId) throw new Error('The connection has no org id');
    this.pubsub = new PubSubClient({
      endpoint: deps.settings.pubSubEndpoint,
      sessions: deps.connections.sessionProvider(connection),
      tenantId: connection.orgId,
      ...(deps.settings.pubSubCa ? { extraRootCertificates: deps.settings.pubSubCa } : {}),
    });
    this.topics = await resolvePackageTopics(this.pubsub);
    await this.loadObjects();
    const changeChannel = this.changeChannel()!;
    this.streams.push(
      this.stream(changeChannel, (events) => this.applyChanges(changeChannel, events), {
        maxBatch: deps.settings.maxBatchEvents,
        lingerMs: deps.settings.lingerMs,
      }),
      this.stream(this.topics.pushRequest, (events) =>
        this.applyPushRequests(this.topics!.pushRequest, events),
      ),
    );
    for (const stream of this.streams) stream.start();
    // Without a stored replay id the stream starts at LATEST: a connection that has synced
    // before catches up on what happened since by an incremental pull (a source just switched,
    // or a holder that died before its first batch).
    const stored = await deps.repositories.realtime.replayId(connection.id, changeChannel);
    if (!stored && (await deps.repositories.syncJobs.lastQueuedAt(connection.id))) {
      await deps.reconcile(connection, 'no_replay_id');
    }
  }

  /** Stops both streams after the batch in hand, and closes the job window. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.streams.map((stream) => stream.stop()));
    await this.serial(() => this.window.close()).catch(() => {});
    this.pubsub?.close();
  }

  /** Between batches: closes a window whose time is over. */
  tick(): Promise<unknown> {
    return this.serial(() => this.window.closeIfDue());
  }

  /** Drops the streams as a network failure would (used by tests of the recovery path). */
  reconnect(): void {
    for (const stream of this.streams) stream.reconnect();
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => {});
    return next;
  }

  /**
   * A stream of one channel; `batching` lets a change stream hand over everything that arrived
   * while the last batch applied (one SOQL per 200 ids), a push request stream keeps batches of
   * what one fetch brought.
   */
  private stream(
    channel: string,
    apply: (events: DecodedEvent[]) => Promise<void>,
    batching: { maxBatch?: number; lingerMs?: number } = {},
  ): EventStream {
    const { deps, connection } = this;
    return new EventStream(this.pubsub!, {
      topicName: channel,
      batchSize: deps.settings.batchSize,
      ...batching,
      keepaliveTimeoutMs: deps.settings.keepaliveTimeoutMs,
      resumeAfter: async () => {
        const stored = await deps.repositories.realtime.replayId(connection.id, channel);
        return stored ? Buffer.from(stored, 'base64') : undefined;
      },
      onEvents: (events) => this.serial(() => apply(events)),
      // Runs once the stream is live again at LATEST (event-stream.ts): the pull reads what
      // changed before that subscription, the subscription everything after. The refused id is
      // forgotten only once the pull is queued, so a crash in between meets the refusal again.
      onReplayRejected: async () => {
        deps.logger.warn(
          { connectionId: connection.id, channel },
          'stored replay id no longer retained: resumed at LATEST, reconciling by SystemModstamp',
        );
        await deps.reconcile(connection, 'replay_id_expired');
        await deps.repositories.realtime.forgetReplay(connection.id, channel);
      },
      onState: (state: StreamState, detail?: string) => {
        if (this.stopped) return;
        this.states.set(channel, state);
        // Live once every stream is; otherwise the worst of them.
        const all = [...this.states.values()];
        const shown =
          all.length === this.streams.length && all.every((s) => s === 'live')
            ? 'live'
            : all.includes('reconnecting')
              ? 'reconnecting'
              : all.includes('reconciling')
                ? 'reconciling'
                : 'connecting';
        // Written in order: a later state must not be overtaken by an earlier one.
        this.stateWrites = this.stateWrites
          .then(() =>
            deps.repositories.realtime.setState(
              connection.id,
              deps.workerId,
              shown,
              detail ?? null,
            ),
          )
          .catch(() => {});
        if (state === 'live') this.loggedProblems.delete(channel);
        if (detail && this.loggedProblems.get(channel) !== detail) {
          this.loggedProblems.set(channel, detail);
          deps.logger.warn({ connectionId: connection.id, channel, detail }, state);
        }
      },
    });
  }

  /**
   * The connection's mapped objects, read again after a minute, or at once when events name an
   * object not among them (a mapping saved after the subscription started).
   */
  private async loadObjects(names: Iterable<string> = []): Promise<Map<string, MappedObject>> {
    const known = this.objects;
    const fresh = known && Date.now() - this.objectsLoadedAt < OBJECTS_TTL_MS;
    const missing = [...names].some((name) => !known?.has(name.toLowerCase()));
    if (known && fresh && (!missing || Date.now() - this.objectsLoadedAt < 1_000)) return known;
    const { deps, connection } = this;
    const rows = await deps.mappings.list(connection.workspaceId, connection.id);
    if (!rows.ok) throw new Error(rows.error.message);
    const objects = new Map<string, MappedObject>();
    for (const row of rows.value) {
      if (!row.enabled) continue;
      const mapping = row.mapping;
      const recordTypeRow = await deps.repositories.recordTypes.findByKey(
        connection.workspaceId,
        mapping.recordType,
      );
      if (!recordTypeRow) continue;
      const describes = await runDescribes(deps.describes, connection, mapping);
      if (!describes.ok) continue;
      objects.set(mapping.salesforceObject.toLowerCase(), {
        mapping,
        recordType: { ...definitionOf(recordTypeRow), id: recordTypeRow.id },
        describe: describes.value.describe,
        describeFor: describes.value.describeFor,
      });
    }
    this.objects = objects;
    this.objectsLoadedAt = Date.now();
    return objects;
  }

  /** The replay commit of a batch, to run inside the transaction of its last write. */
  private replayWrite(channel: string, events: DecodedEvent[]) {
    const last = events[events.length - 1]!;
    const times = events.map((e) => eventTime(e.payload)?.getTime() ?? 0);
    const newest = Math.max(...times);
    return {
      connectionId: this.connection.id,
      channel,
      replayId: last.replayId.toString('base64'),
      holderId: this.deps.workerId,
      events: events.length,
      lastEventAt: newest > 0 ? new Date(newest) : null,
    };
  }

  private async applyChanges(channel: string, events: DecodedEvent[]): Promise<void> {
    const { deps, connection } = this;
    const changes: RecordChanges = decodeChanges(events, {
      changeSource: connection.changeSource === 'cdc' ? 'cdc' : 'flows',
      integrationUserId: connection.userId,
    });
    const objects = await this.loadObjects(changes.byObject.keys());
    const replay = this.replayWrite(channel, events);
    let replayCommitted = false;
    const { run, client } = await this.window.current();
    const input = (object: MappedObject) => ({
      run,
      workspaceId: connection.workspaceId,
      connectionId: connection.id,
      client,
      object,
    });
    const pulled = [...changes.byObject.entries()].filter(([name]) => {
      const object = objects.get(name.toLowerCase());
      return object && object.mapping.direction !== 'push';
    });
    for (const [name, change] of pulled) {
      if (change.deletes.size > 0) {
        await applyDeletes(
          deps.repositories,
          input(objects.get(name.toLowerCase())!),
          [...change.deletes],
          change.deletedAt,
        );
      }
    }
    const withUpserts = pulled.filter(([, change]) => change.upserts.size > 0);
    // `cdc` events carry the changed values: only records they cannot give are read back.
    const carried =
      connection.changeSource === 'cdc' && withUpserts.length > 0
        ? await carriedValues(events, objects, (id) => this.pubsub!.schema(id), connection.userId)
        : undefined;
    for (const [index, [name, change]] of withUpserts.entries()) {
      const object = objects.get(name.toLowerCase())!;
      const isLast = index === withUpserts.length - 1;
      await applyCarried(
        deps.repositories,
        input(object),
        [...change.upserts],
        carried?.get(name.toLowerCase()),
        isLast
          ? async (tx: TransactionClient) => {
              await commitReplay(tx, replay);
              replayCommitted = true;
            }
          : undefined,
      );
    }
    // Records to refetch (gap events) and reconciliations (overflow) are the sweep's to do.
    if (changes.reconcile) await deps.reconcile(connection, changes.reconcile);
    if (!replayCommitted) await deps.repositories.realtime.commitReplay(replay);
    await deps.repositories.syncJobs.report(run.job.id, run.snapshot());
  }

  private async applyPushRequests(channel: string, events: DecodedEvent[]): Promise<void> {
    const objects = await this.loadObjects(
      events.map((event) => textField(event.payload, 'Object_Name__c') ?? ''),
    );
    const { run, client } = await this.window.current();
    for (const event of events) {
      await handlePushRequest(
        {
          deps: this.deps,
          connection: this.connection,
          pubsub: this.pubsub!,
          topics: this.topics!,
          objects,
          run,
          client,
        },
        event,
      );
    }
    // Results are published before the replay id commits: a crash in between sends a request's
    // result again (the record is found unchanged), never loses it.
    await this.deps.repositories.realtime.commitReplay(this.replayWrite(channel, events));
    await this.deps.repositories.syncJobs.report(run.job.id, run.snapshot());
  }
}
