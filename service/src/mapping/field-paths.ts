import {
  findField,
  findRelationship,
  type DescribeLookup,
  type FieldDescribe,
  type SObjectDescribe,
} from './describe-types.ts';

/** The namespace of the managed package; a plain deploy has no prefix. */
export const PACKAGE_NAMESPACE = 'pryzm';
/** The package's External ID field that mirrors the link to a Pryzm record. */
export const PRYZM_ID_FIELD = 'Pryzm_ID__c';

const PREFIX = `${PACKAGE_NAMESPACE}__`;

/** Custom field or relationship names carry the package namespace only in a managed install. */
function namespaceVariants(name: string): string[] {
  if (!/__[cr]$/i.test(name)) return [name];
  return name.toLowerCase().startsWith(PREFIX)
    ? [name, name.slice(PREFIX.length)]
    : [name, `${PREFIX}${name}`];
}

/**
 * Finds a field by API name, accepting the package's fields with or without the `pryzm__`
 * prefix (`Pryzm_ID__c` finds `pryzm__Pryzm_ID__c` in a managed install and the reverse).
 */
export function resolveField(describe: SObjectDescribe, name: string): FieldDescribe | undefined {
  for (const variant of namespaceVariants(name)) {
    const field = findField(describe, variant);
    if (field) return field;
  }
  return undefined;
}

/** Finds `Pryzm_ID__c` or `pryzm__Pryzm_ID__c` in a describe. */
export function findPryzmIdField(describe: SObjectDescribe): FieldDescribe | undefined {
  return resolveField(describe, PRYZM_ID_FIELD);
}

export type FieldPathProblemCode =
  'unknown_field' | 'unknown_relationship' | 'unknown_parent_object';

export type ResolvedFieldPath =
  | {
      ok: true;
      /** The describe of the field at the end of the path. */
      field: FieldDescribe;
      /** The path with the org's real API names (`pryzm__Region__r.Name`). */
      apiPath: string;
      /** Whether the path crosses a relationship (such fields are read-only from this object). */
      isParentPath: boolean;
    }
  | { ok: false; code: FieldPathProblemCode; message: string };

/** SOQL allows at most five levels of parent relationships. */
const MAX_PARENT_DEPTH = 5;

/**
 * Resolves `Email`, `Account.Name` or `Owner.Email` against a describe, following lookups to
 * their targets' describes through `describeFor` (each target of a polymorphic lookup is tried).
 */
export function resolveFieldPath(
  describe: SObjectDescribe,
  path: string,
  describeFor?: DescribeLookup,
): ResolvedFieldPath {
  // Parent paths depend on what `describeFor` answers now, so only own fields are memoised
  // (per describe object: a refreshed describe is a new object).
  if (path.includes('.')) return resolveUncached(describe, path, describeFor);
  let cache = resolvedFields.get(describe);
  if (!cache) {
    cache = new Map();
    resolvedFields.set(describe, cache);
  }
  let resolved = cache.get(path);
  if (!resolved) {
    resolved = resolveUncached(describe, path, undefined);
    cache.set(path, resolved);
  }
  return resolved;
}

const resolvedFields = new WeakMap<SObjectDescribe, Map<string, ResolvedFieldPath>>();

function resolveUncached(
  describe: SObjectDescribe,
  path: string,
  describeFor: DescribeLookup | undefined,
): ResolvedFieldPath {
  const segments = path.split('.');
  if (segments.length - 1 > MAX_PARENT_DEPTH || segments.some((segment) => segment === '')) {
    return { ok: false, code: 'unknown_field', message: `${path} is not a field path` };
  }
  return resolveSegments(describe, segments, describeFor, []);
}

function resolveSegments(
  describe: SObjectDescribe,
  segments: string[],
  describeFor: DescribeLookup | undefined,
  resolved: string[],
): ResolvedFieldPath {
  const [head = '', ...rest] = segments;
  if (rest.length === 0) {
    const field = resolveField(describe, head);
    return field
      ? {
          ok: true,
          field,
          apiPath: [...resolved, field.name].join('.'),
          isParentPath: resolved.length > 0,
        }
      : {
          ok: false,
          code: 'unknown_field',
          message: `${describe.name} has no field ${head}`,
        };
  }
  const lookup = namespaceVariants(head)
    .map((variant) => findRelationship(describe, variant))
    .find((field) => field !== undefined);
  if (!lookup?.relationshipName) {
    return {
      ok: false,
      code: 'unknown_relationship',
      message: `${describe.name} has no relationship ${head}`,
    };
  }
  let lastProblem: ResolvedFieldPath | undefined;
  for (const target of lookup.referenceTo ?? []) {
    const parent = describeFor?.(target);
    if (!parent) continue;
    const result = resolveSegments(parent, rest, describeFor, [
      ...resolved,
      lookup.relationshipName,
    ]);
    if (result.ok) return result;
    lastProblem = result;
  }
  return (
    lastProblem ?? {
      ok: false,
      code: 'unknown_parent_object',
      message: `no describe of ${(lookup.referenceTo ?? []).join(' or ') || 'the parent'} to check ${rest.join('.')}`,
    }
  );
}
