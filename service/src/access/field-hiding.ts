import type { AttributeDefinition, PryzmValues } from '../mapping/attribute-types.ts';
import { problem, type Outcome } from '../outcome/problem.ts';
import type { RecordType, RecordTypeService } from '../records/record-type-service.ts';
import { roleAllows, type Role } from './roles.ts';

/** `values` without the given keys (the same object when there is nothing to take out). */
export function withoutKeys(values: PryzmValues, hidden: ReadonlySet<string>): PryzmValues {
  if (hidden.size === 0) return values;
  return Object.fromEntries(Object.entries(values).filter(([key]) => !hidden.has(key)));
}

/**
 * Per-field entries (conflict fields, record results) keyed by `attribute`: a hidden
 * attribute's entry keeps its name and loses its values, so a reader knows a field is there.
 */
export function hideFieldEntries<T>(fields: T, hidden: ReadonlySet<string>): T {
  if (hidden.size === 0 || !Array.isArray(fields)) return fields;
  return fields.map((entry: unknown) => {
    const attribute = (entry as { attribute?: unknown } | null)?.attribute;
    return typeof attribute === 'string' && hidden.has(attribute)
      ? { attribute, hidden: true }
      : entry;
  }) as T;
}

/** Keys of the attributes an Admin marked sensitive. */
export function sensitiveKeys(attributes: readonly AttributeDefinition[]): Set<string> {
  return new Set(attributes.filter((a) => a.sensitive === true).map((a) => a.key));
}

/** `values` without the sensitive attributes (a new object; the input is left as it is). */
export function withoutSensitive(
  values: PryzmValues,
  attributes: readonly AttributeDefinition[],
): PryzmValues {
  return withoutKeys(values, sensitiveKeys(attributes));
}

/**
 * Whether a caller sees sensitive attributes. Admins and Editors do (Editors write records, so
 * they must see what they write); Viewers do not. The operator (role null) sees everything.
 */
export function seesSensitive(role: Role | null): boolean {
  return role === null || roleAllows(role, 'integrations:push');
}

/**
 * Field hiding: which attributes of a record type are sensitive, and values with them taken
 * out for audiences that must not see them (Viewers, webhooks).
 */
export class FieldHiding {
  constructor(private readonly recordTypes: RecordTypeService) {}

  /** Marks exactly `attributeKeys` of a record type sensitive (and the others not). */
  async markSensitive(
    workspaceId: string,
    recordTypeKey: string,
    attributeKeys: readonly string[],
  ): Promise<Outcome<RecordType>> {
    const current = await this.recordTypes.get(workspaceId, recordTypeKey);
    if (!current.ok) return current;
    const known = new Set(current.value.attributes.map((a) => a.key));
    const unknown = attributeKeys.filter((key) => !known.has(key));
    if (unknown.length > 0) {
      return problem(
        'invalid',
        'unknown_attribute',
        `Record type "${recordTypeKey}" has no attribute ${unknown.join(', ')}`,
      );
    }
    const marked = new Set(attributeKeys);
    const attributes = current.value.attributes.map((attribute) => {
      const { sensitive: _previous, ...rest } = attribute;
      return (
        marked.has(attribute.key) ? { ...rest, sensitive: true } : rest
      ) as AttributeDefinition;
    });
    return this.recordTypes.update(workspaceId, recordTypeKey, { attributes });
  }

  /**
   * Values as a webhook may carry them: never a sensitive attribute. Call it for every record
   * a webhook delivers; an unknown record type hides nothing it cannot name, so it answers {}.
   */
  async forWebhook(
    workspaceId: string,
    recordTypeKey: string,
    values: PryzmValues,
  ): Promise<PryzmValues> {
    const recordType = await this.recordTypes.get(workspaceId, recordTypeKey);
    return recordType.ok ? withoutSensitive(values, recordType.value.attributes) : {};
  }

  /**
   * What `forWebhook` does, read once for many records of one type (a sync page's events): a
   * function from values to what a webhook may carry.
   */
  async webhookView(
    workspaceId: string,
    recordTypeKey: string,
  ): Promise<(values: PryzmValues) => PryzmValues> {
    const recordType = await this.recordTypes.get(workspaceId, recordTypeKey);
    if (!recordType.ok) return () => ({});
    const hidden = sensitiveKeys(recordType.value.attributes);
    return (values) => withoutKeys(values, hidden);
  }

  /** Values as a caller with `role` may read them (null: the operator). */
  async forReader(
    workspaceId: string,
    recordTypeKey: string,
    values: PryzmValues,
    role: Role | null,
  ): Promise<PryzmValues> {
    if (seesSensitive(role)) return values;
    return this.forWebhook(workspaceId, recordTypeKey, values);
  }

  /**
   * Every attribute key marked sensitive in any record type of the workspace: for per-field
   * entries whose record type is not at hand (conflicts, job results), hiding errs on the safe side.
   */
  async workspaceSensitiveKeys(workspaceId: string): Promise<Set<string>> {
    const types = await this.recordTypes.list(workspaceId);
    return new Set(types.flatMap((type) => [...sensitiveKeys(type.attributes)]));
  }

  /** The sensitive attribute keys of a record type (empty when it does not exist). */
  async sensitiveAttributes(workspaceId: string, recordTypeKey: string): Promise<Set<string>> {
    const recordType = await this.recordTypes.get(workspaceId, recordTypeKey);
    return recordType.ok ? sensitiveKeys(recordType.value.attributes) : new Set();
  }
}
