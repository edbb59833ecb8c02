import { readdirSync, readFileSync } from 'node:fs';
import type { SObjectDescribe } from '../core/contracts.ts';
import type { FieldSpec } from './field-builder.ts';

/**
 * The standard objects' describes shipped as data: recorded from real orgs (data/describes,
 * see data/SOURCES.md) and, for objects without a recording we may redistribute, field lists
 * written from Salesforce's object reference (data/standard-objects.json).
 */

const DATA_DIR = new URL('../../data/', import.meta.url);

export interface AuthoredObject {
  label: string;
  labelPlural: string;
  keyPrefix: string;
  createable?: boolean;
  updateable?: boolean;
  deletable?: boolean;
  mergeable?: boolean;
  feedEnabled?: boolean;
  fields: FieldSpec[];
  /** Relationships of other objects' lookups to this one, as its describe lists them. */
  childRelationships?: {
    cascadeDelete: boolean;
    childSObject: string;
    field: string;
    relationshipName: string | null;
    restrictedDelete: boolean;
  }[];
}

let recordedCache: Map<string, string> | undefined;

/** Raw JSON text per object, read once per process; each org parses its own copy. */
function recordedTexts(): Map<string, string> {
  if (!recordedCache) {
    const dir = new URL('describes/', DATA_DIR);
    recordedCache = new Map(
      readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => [f.replace(/\.json$/, ''), readFileSync(new URL(f, dir), 'utf8')]),
    );
  }
  return recordedCache;
}

export function loadRecordedDescribes(): Map<string, SObjectDescribe> {
  const out = new Map<string, SObjectDescribe>();
  for (const [name, textValue] of recordedTexts()) {
    out.set(name, JSON.parse(textValue) as SObjectDescribe);
  }
  return out;
}

let authoredCache: Record<string, AuthoredObject> | undefined;

/**
 * Objects written from Salesforce's object reference: data/standard-objects.json, and the access
 * governance objects (licences, group members, permission set groups, OAuth tokens, user logins)
 * in data/governance-objects.json.
 */
export function loadAuthoredObjects(): Record<string, AuthoredObject> {
  authoredCache ??= Object.assign(
    {},
    ...['standard-objects.json', 'governance-objects.json'].map(
      (file) =>
        JSON.parse(readFileSync(new URL(file, DATA_DIR), 'utf8')) as Record<string, AuthoredObject>,
    ),
  ) as Record<string, AuthoredObject>;
  return authoredCache;
}

let limitsCache: Record<string, Record<string, number>> | undefined;

/** The `/limits` allocations of a fresh Enterprise-like org (data/limits.json). */
export function loadLimitTemplate(): Record<string, Record<string, number>> {
  limitsCache ??= JSON.parse(readFileSync(new URL('limits.json', DATA_DIR), 'utf8')) as Record<
    string,
    Record<string, number>
  >;
  return limitsCache;
}
