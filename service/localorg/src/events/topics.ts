import type { EventBusHost } from '../core/contracts.ts';
import {
  buildChangeEventSchema,
  buildPlatformEventSchema,
  type EventSchema,
} from './avro-schemas.ts';
import type { CustomChannel } from './cdc-channels.ts';
import { packageNamespaces } from './package-names.ts';

/**
 * The Pub/Sub topics of every org (platform events, change events, the standard and custom
 * change channels) and their Avro schemas, built from the org's describes on first use and
 * kept by topic and by schema id.
 */

export type Topic =
  | { kind: 'platform-event'; name: string; objectName: string; schema: EventSchema }
  | { kind: 'change-event'; name: string; objectName: string; schema: EventSchema }
  | {
      kind: 'change-channel';
      name: string;
      objectNames: string[];
      schema: EventSchema | undefined;
    };

export function changeEventTopicName(objectName: string): string {
  return objectName.endsWith('__c')
    ? `/data/${objectName.slice(0, -3)}__ChangeEvent`
    : `/data/${objectName}ChangeEvent`;
}

export class EventTopics {
  private readonly schemas = new Map<string, EventSchema>();
  private readonly schemasById = new Map<string, EventSchema>();
  private readonly namespaces = new Map<string, string>();

  constructor(
    private readonly host: EventBusHost,
    /** Objects on the standard change event channel. */
    private readonly entities: string[],
    private readonly channels: CustomChannel[],
  ) {}

  /** Resolves a Pub/Sub topic name in an org, or undefined when the org has no such topic. */
  topic(orgId: string, name: string): Topic | undefined {
    const platformEvent = /^\/event\/(\w+__e)$/.exec(name);
    if (platformEvent) {
      const describe = this.host.describe(orgId, platformEvent[1]!);
      if (!describe || describe.name !== platformEvent[1]) return undefined;
      return {
        kind: 'platform-event',
        name,
        objectName: describe.name,
        schema: this.platformEventSchema(orgId, describe.name)!,
      };
    }
    if (name === '/data/ChangeEvents') {
      return {
        kind: 'change-channel',
        name,
        objectNames: this.entities,
        schema: this.firstSchema(orgId, this.entities),
      };
    }
    if (/^\/data\/\w+__chn$/.test(name)) {
      const found = this.channels.find((c) => this.channelTopicName(orgId, c) === name);
      if (!found) return undefined;
      const objectNames = found.members.map((m) => m.objectName);
      return {
        kind: 'change-channel',
        name,
        objectNames,
        schema: this.firstSchema(orgId, objectNames),
      };
    }
    const objectName = this.entities.find((entity) => changeEventTopicName(entity) === name);
    const schema = objectName && this.changeEventSchema(orgId, objectName);
    if (!objectName || !schema) return undefined;
    return { kind: 'change-event', name, objectName, schema };
  }

  schemaById(schemaId: string): EventSchema | undefined {
    return this.schemasById.get(schemaId);
  }

  /** True when the object's changes go to some change event channel. */
  isCaptured(objectName: string): boolean {
    return (
      this.entities.includes(objectName) ||
      this.channels.some((c) => c.members.some((m) => m.objectName === objectName))
    );
  }

  /** `/data/<Channel>__chn`, with the package namespace in an org where the package has one. */
  channelTopicName(orgId: string, channel: CustomChannel): string {
    let namespace = this.namespaces.get(orgId);
    if (namespace === undefined) {
      namespace = packageNamespaces(this.host, orgId)[0] ?? '';
      this.namespaces.set(orgId, namespace);
    }
    return namespace ? `/data/${namespace}__${channel.name}` : `/data/${channel.name}`;
  }

  private firstSchema(orgId: string, objectNames: string[]): EventSchema | undefined {
    for (const objectName of objectNames) {
      const schema = this.changeEventSchema(orgId, objectName);
      if (schema) return schema;
    }
    return undefined;
  }

  changeEventSchema(orgId: string, objectName: string): EventSchema | undefined {
    return this.cachedSchema(orgId, objectName, 'change');
  }

  platformEventSchema(orgId: string, eventName: string): EventSchema | undefined {
    return this.cachedSchema(orgId, eventName, 'platform');
  }

  private cachedSchema(
    orgId: string,
    objectName: string,
    kind: 'change' | 'platform',
  ): EventSchema | undefined {
    const key = `${orgId}|${kind}|${objectName}`;
    const cached = this.schemas.get(key);
    if (cached) return cached;
    const describe = this.host.describe(orgId, objectName);
    if (!describe) return undefined;
    const schema =
      kind === 'change' ? buildChangeEventSchema(describe) : buildPlatformEventSchema(describe);
    this.schemas.set(key, schema);
    this.schemasById.set(schema.id, schema);
    return schema;
  }
}
