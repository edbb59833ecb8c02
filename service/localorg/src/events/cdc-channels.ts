/**
 * Which objects Change Data Capture covers: the standard selection (Account, Contact and
 * Opportunity unless told otherwise) plus the custom channels declared in the package's
 * `PlatformEventChannel` / `PlatformEventChannelMember` metadata.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';

export interface ChannelMember {
  /** The object, e.g. `Account` for the selected entity `AccountChangeEvent`. */
  objectName: string;
  /** Fields sent in every event of this channel even when unchanged. */
  enrichedFields: string[];
}

export interface CustomChannel {
  /** Channel API name, e.g. `Pryzm_Changes__chn` (topic `/data/Pryzm_Changes__chn`). */
  name: string;
  members: ChannelMember[];
}

export interface CdcConfig {
  /** Objects selected on the standard `ChangeEvents` channel. */
  entities: string[];
  channels: CustomChannel[];
}

export const DEFAULT_CDC_ENTITIES = ['Account', 'Contact', 'Opportunity'];

/** The object behind a change event entity name (`AccountChangeEvent`, `Foo__ChangeEvent`). */
export function objectOfChangeEntity(entity: string): string | undefined {
  if (entity.endsWith('__ChangeEvent')) return `${entity.slice(0, -'__ChangeEvent'.length)}__c`;
  if (entity.endsWith('ChangeEvent')) return entity.slice(0, -'ChangeEvent'.length);
  return undefined;
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Reads custom channels and their members from a `force-app/main/default` folder. */
export function loadCustomChannels(metadataDir: string): CustomChannel[] {
  const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false });
  const channels = new Map<string, CustomChannel>();
  const channelDir = join(metadataDir, 'platformEventChannels');
  if (existsSync(channelDir)) {
    for (const file of readdirSync(channelDir).sort()) {
      const match = /^(.+)\.platformEventChannel-meta\.xml$/.exec(file);
      if (match) channels.set(match[1]!, { name: match[1]!, members: [] });
    }
  }
  const memberDir = join(metadataDir, 'platformEventChannelMembers');
  if (existsSync(memberDir)) {
    for (const file of readdirSync(memberDir).sort()) {
      if (!file.endsWith('.platformEventChannelMember-meta.xml')) continue;
      const parsed = parser.parse(readFileSync(join(memberDir, file), 'utf8')) as {
        PlatformEventChannelMember?: {
          eventChannel?: string;
          selectedEntity?: string;
          enrichedFields?: { name: string } | { name: string }[];
        };
      };
      const member = parsed.PlatformEventChannelMember;
      const objectName = member?.selectedEntity && objectOfChangeEntity(member.selectedEntity);
      if (!member?.eventChannel || !objectName) {
        throw new Error(`Cannot read the channel member in ${file}`);
      }
      const channel = channels.get(member.eventChannel);
      if (!channel) {
        throw new Error(`${file} names the channel ${member.eventChannel}, which is not declared`);
      }
      channel.members.push({
        objectName,
        enrichedFields: asArray(member.enrichedFields).map((f) => f.name),
      });
    }
  }
  return [...channels.values()];
}
