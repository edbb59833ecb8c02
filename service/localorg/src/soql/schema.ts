/**
 * Resolves SOQL field paths (`Name`, `Account.Owner.Email`) against describes, matching names
 * case-insensitively as Salesforce does and answering with the described spelling.
 */
import type { FieldDescribe, QueryDataSource, SObjectDescribe } from '../core/contracts.ts';
import {
  locate,
  noSuchColumn,
  SoqlError,
  unknownRelationship,
  unsupportedSObject,
} from './errors.ts';

/** One relationship hop of a path: the reference field and the relationship name to nest under. */
export interface RelationshipHop {
  /** The reference field holding the parent's Id, e.g. `AccountId`. */
  field: FieldDescribe;
  /** The relationship name as described, e.g. `Account`. */
  name: string;
  /** The describe of the (first) referenced object, used to resolve the next segment. */
  target: SObjectDescribe;
}

export interface ResolvedPath {
  hops: RelationshipHop[];
  field: FieldDescribe;
  /** The path in described case, e.g. `Account.Owner.Name`. */
  canonical: string;
}

interface FieldIndex {
  byName: Map<string, FieldDescribe>;
  byRelationship: Map<string, FieldDescribe>;
}

const indexes = new WeakMap<SObjectDescribe, FieldIndex>();

function fieldIndex(describe: SObjectDescribe): FieldIndex {
  let index = indexes.get(describe);
  if (!index) {
    index = { byName: new Map(), byRelationship: new Map() };
    for (const field of describe.fields) {
      index.byName.set(field.name.toLowerCase(), field);
      if (field.relationshipName)
        index.byRelationship.set(field.relationshipName.toLowerCase(), field);
    }
    indexes.set(describe, index);
  }
  return index;
}

export function findField(describe: SObjectDescribe, name: string): FieldDescribe | undefined {
  return fieldIndex(describe).byName.get(name.toLowerCase());
}

/** The object a query names in FROM, or Salesforce's INVALID_TYPE error. */
export function resolveObject(
  soql: string,
  source: QueryDataSource,
  objectName: string,
): SObjectDescribe {
  const describe = source.describe(objectName);
  if (!describe) {
    const fromAt = locate(soql, 'FROM');
    throw unsupportedSObject(soql, locate(soql, objectName, fromAt), objectName);
  }
  if (describe.queryable === false) {
    throw new SoqlError(
      'INVALID_TYPE_FOR_OPERATION',
      `entity type ${describe.name} does not support query`,
    );
  }
  return describe;
}

export class PathResolver {
  constructor(
    private readonly soql: string,
    private readonly source: QueryDataSource,
    private readonly root: SObjectDescribe,
    /** An alias given in FROM (`FROM Account a`), stripped from the start of paths. */
    private readonly alias: string | undefined,
  ) {}

  resolve(path: string, searchFrom = 0): ResolvedPath {
    let segments = path.split('.');
    if (
      this.alias &&
      segments.length > 1 &&
      segments[0]?.toLowerCase() === this.alias.toLowerCase()
    ) {
      segments = segments.slice(1);
    }
    const at = locate(this.soql, path, searchFrom);
    let current = this.root;
    const hops: RelationshipHop[] = [];
    for (let i = 0; i < segments.length - 1; i++) {
      const segment = segments[i] ?? '';
      const reference = fieldIndex(current).byRelationship.get(segment.toLowerCase());
      const targetName = reference?.referenceTo[0];
      const target = targetName ? this.source.describe(targetName) : undefined;
      if (!reference || !target) throw unknownRelationship(this.soql, at, segment);
      hops.push({ field: reference, name: reference.relationshipName ?? segment, target });
      current = target;
    }
    const last = segments[segments.length - 1] ?? '';
    const field = findField(current, last);
    if (!field) {
      throw noSuchColumn(this.soql, at, last, current.name);
    }
    const canonical = [...hops.map((h) => h.name), field.name].join('.');
    return { hops, field, canonical };
  }
}

export interface ResolvedChildRelationship {
  relationshipName: string;
  child: SObjectDescribe;
  /** The child's reference field pointing at the parent, e.g. `AccountId`. */
  field: string;
}

function singularCandidates(relationshipName: string): string[] {
  const custom = relationshipName.toLowerCase().endsWith('__r');
  const base = custom ? relationshipName.slice(0, -3) : relationshipName;
  const stems = [
    base,
    base.replace(/ies$/i, 'y'),
    base.replace(/es$/i, ''),
    base.replace(/s$/i, ''),
  ];
  return [...new Set(stems.map((stem) => (custom ? `${stem}__c` : stem)))];
}

/**
 * A parent-to-child relationship by name (`Contacts` on Account). Describes list them in
 * `childRelationships`; when a describe carries none, the child object is found from the
 * relationship name's singular form and its one reference field back to the parent.
 */
export function findChildRelationship(
  source: QueryDataSource,
  parent: SObjectDescribe,
  relationshipName: string,
): ResolvedChildRelationship | undefined {
  const wanted = relationshipName.toLowerCase();
  const described = parent.childRelationships.find(
    (r) => r.relationshipName?.toLowerCase() === wanted,
  );
  if (described) {
    const child = source.describe(described.childSObject);
    return child
      ? {
          relationshipName: described.relationshipName ?? relationshipName,
          child,
          field: described.field,
        }
      : undefined;
  }
  if (parent.childRelationships.length > 0) return undefined;
  for (const candidate of singularCandidates(relationshipName)) {
    const child = source.describe(candidate);
    if (!child) continue;
    const references = child.fields.filter(
      (f) =>
        f.type === 'reference' &&
        f.referenceTo.some((target) => target.toLowerCase() === parent.name.toLowerCase()),
    );
    const field =
      references.length === 1
        ? references[0]
        : references.find((f) => f.relationshipName?.toLowerCase() === parent.name.toLowerCase());
    if (field) return { relationshipName, child, field: field.name };
  }
  return undefined;
}
