/**
 * The local org's event bus: topics and their retained events (replay ids, retention), Change
 * Data Capture from committed writes, and platform event publishing for REST, Flows and the
 * Pub/Sub API. Everything it knows about the org comes through `EventBusHost`; which topics
 * exist and their schemas is `EventTopics`' (`topics.ts`).
 */
import { randomUUID } from 'node:crypto';
import type {
  ApiError,
  EventBusHost,
  FieldDescribe,
  FieldValue,
  PlatformEventPublisher,
  WriteTransaction,
} from '../core/contracts.ts';
import { toAvroValue, type CdcChangeType, type EventSchema } from './avro-schemas.ts';
import {
  DEFAULT_CDC_ENTITIES,
  type CdcConfig,
  type ChannelMember,
  type CustomChannel,
} from './cdc-channels.ts';
import { buildChangeEvents, buildGapEvent, type ChangeEvent } from './change-events.ts';
import { EventLog, type StoredEvent } from './event-log.ts';
import { PayloadSlabs } from './payload-slab.ts';
import { EventBusFaults } from './faults.ts';
import { describePackageObject, findPackageField, packageFieldValue } from './package-names.ts';
import { validateEventFields } from './platform-event-fields.ts';
import { changeEventTopicName, EventTopics, type Topic } from './topics.ts';

export const DEFAULT_RETENTION_MS = 72 * 60 * 60 * 1000;

export interface EventBusOptions {
  /** How long events stay replayable (org clock); 72 hours by default. */
  retentionMs?: number;
  /** Objects on the standard change event channel and custom channels. */
  cdc?: Partial<CdcConfig>;
}

export interface PublishedEvent {
  event: StoredEvent;
  topicName: string;
}

export class EventBus implements PlatformEventPublisher {
  readonly faults = new EventBusFaults();
  /** Transactions whose change events could not be produced at all (newest last, at most 100). */
  readonly errors: string[] = [];
  private readonly logs = new Map<string, EventLog>();
  private readonly commitNumbers = new Map<string, number>();
  private readonly publishListeners = new Set<(orgId: string, published: PublishedEvent) => void>();
  private readonly entities: string[];
  private readonly channels: CustomChannel[];
  private readonly topics: EventTopics;
  private readonly defaultRetentionMs: number;
  private readonly retentionByOrg = new Map<string, number>();
  private stopCommits: (() => void) | undefined;
  private retentionTimer: NodeJS.Timeout | undefined;
  private eventNumber = 0;
  private readonly slabs = new PayloadSlabs();
  /** A channel member's enriched fields as the schema's describe names them, per schema. */
  private readonly enrichedFieldsBySchema = new WeakMap<
    EventSchema,
    Map<ChannelMember, FieldDescribe[]>
  >();

  constructor(
    private readonly host: EventBusHost,
    options: EventBusOptions = {},
  ) {
    this.defaultRetentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.entities = options.cdc?.entities ?? DEFAULT_CDC_ENTITIES;
    this.channels = options.cdc?.channels ?? [];
    this.topics = new EventTopics(host, this.entities, this.channels);
  }

  /** Starts producing change events from the org's commits and enforcing retention. */
  start(): void {
    if (this.stopCommits) return;
    this.stopCommits = this.host.onCommit((tx) => this.onCommit(tx));
    this.retentionTimer = setInterval(() => {
      for (const orgId of this.host.orgIds()) this.applyRetention(orgId);
    }, 1000);
    this.retentionTimer.unref();
  }

  stop(): void {
    this.stopCommits?.();
    this.stopCommits = undefined;
    if (this.retentionTimer) clearInterval(this.retentionTimer);
  }

  /** Changes how long the org's events stay replayable (org clock). */
  setRetention(orgId: string, ms: number): void {
    this.retentionByOrg.set(orgId, ms);
  }

  retentionMs(orgId: string): number {
    return this.retentionByOrg.get(orgId) ?? this.defaultRetentionMs;
  }

  /** Resolves a Pub/Sub topic name in an org, or undefined when the org has no such topic. */
  topic(orgId: string, name: string): Topic | undefined {
    return this.topics.topic(orgId, name);
  }

  schemaById(schemaId: string): EventSchema | undefined {
    return this.topics.schemaById(schemaId);
  }

  changeEventSchema(orgId: string, objectName: string): EventSchema | undefined {
    return this.topics.changeEventSchema(orgId, objectName);
  }

  platformEventSchema(orgId: string, eventName: string): EventSchema | undefined {
    return this.topics.platformEventSchema(orgId, eventName);
  }

  /** The retained events of a topic; topics are created on first use. */
  log(orgId: string, topicName: string): EventLog {
    const key = `${orgId}|${topicName}`;
    let log = this.logs.get(key);
    if (!log) {
      log = new EventLog();
      this.logs.set(key, log);
    }
    return log;
  }

  /** Purges events past the retention window of the org's clock. */
  applyRetention(orgId: string): void {
    this.expireOlderThan(orgId, this.retentionMs(orgId));
  }

  /** Purges the org's events older than `ageMs` (a fault when shorter than the retention). */
  expireOlderThan(orgId: string, ageMs: number): number {
    const cutoff = this.host.now(orgId) - ageMs;
    let dropped = 0;
    for (const [key, log] of this.logs) {
      if (key.startsWith(`${orgId}|`)) dropped += log.expireBefore(cutoff);
    }
    return dropped;
  }

  /** Called with every event appended to any topic. */
  onPublish(listener: (orgId: string, published: PublishedEvent) => void): () => void {
    this.publishListeners.add(listener);
    return () => this.publishListeners.delete(listener);
  }

  /** REST `POST sobjects/<Event>__e` and Flows publish here. */
  publish(
    orgId: string,
    userId: string,
    eventName: string,
    fields: Record<string, FieldValue>,
  ): { success: true; id: string; eventUuid: string } | { success: false; errors: ApiError[] } {
    const describe = describePackageObject(this.host, orgId, eventName);
    if (!describe || !describe.name.endsWith('__e')) {
      return {
        success: false,
        errors: [{ message: `The requested resource does not exist`, errorCode: 'NOT_FOUND' }],
      };
    }
    const { values, errors } = validateEventFields(describe, fields);
    if (errors.length > 0) return { success: false, errors };
    const schema = this.platformEventSchema(orgId, describe.name)!;
    const payload: Record<string, unknown> = {
      CreatedDate: this.host.now(orgId),
      CreatedById: userId,
    };
    for (const field of schema.fields) {
      if (field.kind !== 'scalar' || field.name in payload) continue;
      // An empty text value stays empty when published through the API or a Flow.
      payload[field.name] = toAvroValue(values[field.name], field.fieldType);
    }
    const eventUuid = randomUUID();
    this.append(orgId, `/event/${describe.name}`, {
      id: eventUuid,
      schemaId: schema.id,
      payload: this.slabs.encode(schema.type, payload),
    });
    this.eventNumber += 1;
    const prefix = describe.keyPrefix ?? 'e00';
    return {
      success: true,
      id: `${prefix}xx${this.eventNumber.toString().padStart(10, '0')}AAA`,
      // The REST save result reports it as OPERATION_ENQUEUED; subscribers see it as the event id.
      eventUuid,
    };
  }

  /** Appends an already encoded event (Pub/Sub `Publish`), as Salesforce does without decoding it. */
  publishEncoded(
    orgId: string,
    topicName: string,
    event: { id: string; schemaId: string; payload: Buffer },
  ): StoredEvent {
    return this.append(orgId, topicName, event);
  }

  /** Emits a gap event (`GAP_CREATE`, `GAP_UPDATE`, ...) for the given records. */
  emitGap(
    orgId: string,
    objectName: string,
    recordIds: string[],
    changeType: CdcChangeType = 'GAP_UPDATE',
  ): boolean {
    const schema = this.changeEventSchema(orgId, objectName);
    if (!schema || !this.topics.isCaptured(objectName)) return false;
    this.appendChangeEvent(
      orgId,
      buildGapEvent(schema, objectName, changeType, recordIds, this.gapBase(orgId)),
    );
    return true;
  }

  /** Emits a `GAP_OVERFLOW` event, as after a transaction of more than 100,000 changes. */
  emitOverflow(orgId: string, objectName: string): boolean {
    return this.emitGap(orgId, objectName, [], 'GAP_OVERFLOW');
  }

  private gapBase(orgId: string) {
    return {
      commitTimestamp: this.host.now(orgId),
      commitNumber: this.nextCommitNumber(orgId),
      commitUser: '',
      transactionKey: randomUUID(),
    };
  }

  private onCommit(tx: WriteTransaction): void {
    // The write has committed already: nothing here may throw back into the org.
    try {
      const commitNumber = this.nextCommitNumber(tx.orgId);
      const events = buildChangeEvents(
        tx,
        (objectName) =>
          this.topics.isCaptured(objectName)
            ? this.changeEventSchema(tx.orgId, objectName)
            : undefined,
        commitNumber,
      );
      for (const event of events) {
        try {
          this.appendChangeEvent(tx.orgId, event);
        } catch {
          // Salesforce sends a gap event when it cannot build a change event; so does the local org.
          const header = event.payload['ChangeEventHeader'] as {
            changeType: string;
            recordIds: string[];
          };
          const gapType = `GAP_${header.changeType}` as CdcChangeType;
          this.emitGap(tx.orgId, event.objectName, header.recordIds, gapType);
        }
      }
    } catch (error) {
      this.errors.push(`${tx.transactionKey}: ${(error as Error).message}`);
      if (this.errors.length > 100) this.errors.shift();
    }
  }

  private appendChangeEvent(orgId: string, event: ChangeEvent): void {
    const schema = this.changeEventSchema(orgId, event.objectName)!;
    const id = randomUUID();
    const payload = this.slabs.encode(schema.type, event.payload);
    // Every topic gets the event at the same moment (publication time, for retention).
    const publishedAt = this.host.now(orgId);
    const append = (topicName: string, eventId: string, bytes: Buffer) =>
      this.append(
        orgId,
        topicName,
        { id: eventId, schemaId: schema.id, payload: bytes },
        publishedAt,
      );
    if (this.entities.includes(event.objectName)) {
      append(changeEventTopicName(event.objectName), id, payload);
      append('/data/ChangeEvents', id, payload);
    }
    for (const channel of this.channels) {
      const member = channel.members.find((m) => m.objectName === event.objectName);
      if (!member) continue;
      const topicName = this.topics.channelTopicName(orgId, channel);
      if (member.enrichedFields.length === 0 || event.records.length === 0) {
        append(topicName, id, payload);
        continue;
      }
      // Enriched fields carry each record's own values, so a merged event splits per record.
      const header = event.payload.ChangeEventHeader as { recordIds: string[] };
      const enrichedFields = this.enrichedFields(schema, member);
      const lone = event.records.length === 1;
      event.records.forEach((record, index) => {
        const values = enrichedFields.map((field) =>
          toAvroValue(packageFieldValue(record, field.name), field.type),
        );
        // A lone record's event that already carries each enriched value is encoded as it is.
        const carried =
          lone &&
          enrichedFields.every(
            (field, at) =>
              Object.hasOwn(event.payload, field.name) &&
              Object.is(event.payload[field.name], values[at]),
          );
        if (carried) {
          append(topicName, id, payload);
          return;
        }
        const enriched: Record<string, unknown> = {
          ...event.payload,
          ChangeEventHeader: { ...header, recordIds: [header.recordIds[index]] },
        };
        enrichedFields.forEach((field, at) => (enriched[field.name] = values[at]));
        append(topicName, lone ? id : randomUUID(), this.slabs.encode(schema.type, enriched));
      });
    }
  }

  private enrichedFields(schema: EventSchema, member: ChannelMember): FieldDescribe[] {
    let byMember = this.enrichedFieldsBySchema.get(schema);
    if (!byMember) {
      byMember = new Map();
      this.enrichedFieldsBySchema.set(schema, byMember);
    }
    let fields = byMember.get(member);
    if (!fields) {
      fields = member.enrichedFields.flatMap(
        (name) => findPackageField(schema.describe, name) ?? [],
      );
      byMember.set(member, fields);
    }
    return fields;
  }

  private append(
    orgId: string,
    topicName: string,
    event: { id: string; schemaId: string; payload: Buffer },
    publishedAt = this.host.now(orgId),
  ): StoredEvent {
    const stored = this.log(orgId, topicName).append({
      id: event.id,
      schemaId: event.schemaId,
      payload: event.payload,
      publishedAt,
    });
    for (const listener of this.publishListeners) listener(orgId, { event: stored, topicName });
    return stored;
  }

  private nextCommitNumber(orgId: string): number {
    const next =
      (this.commitNumbers.get(orgId) ?? 11_000_000_000_000 + Math.floor(Math.random() * 1e9)) +
      1 +
      Math.floor(Math.random() * 50);
    this.commitNumbers.set(orgId, next);
    return next;
  }
}
