import {
  attributeDirections,
  toSalesforce,
  valuesEqual,
  type FieldResult,
  type ObjectMapping,
  type PryzmValues,
  type RecordTypeDefinition,
  type SalesforceValue,
  type SObjectDescribe,
} from '../../mapping/index.ts';
import type { PushCandidate } from '../../store/repositories/sync-push.ts';

export interface PushContext {
  mapping: ObjectMapping;
  recordType: RecordTypeDefinition;
  describe: SObjectDescribe;
  /** The Salesforce Id a linked Pryzm record has on this connection (lookups need it). */
  salesforceIdOf: (recordId: string) => string | undefined;
}

export type PlannedPush =
  | { kind: 'nothing'; fieldResults: FieldResult[] }
  | {
      kind: 'write';
      /** Field values by the org's API names, `Pryzm_ID__c` included (the upsert key). */
      body: Record<string, SalesforceValue>;
      /** The attribute values Salesforce will hold once the write succeeds: the next base. */
      pushed: PryzmValues;
      fieldResults: FieldResult[];
    };

/**
 * What pushing one Pryzm record writes to Salesforce. A linked record sends only the attributes
 * that changed in Pryzm since the link's base (so a pull's values never echo back and fields
 * changed in Salesforce meanwhile are not overwritten); a new one sends every value it has. Only
 * field mappings that push apply; a lookup whose parent is not linked is skipped
 * (`parent_not_linked`) and the rest of the record still goes.
 */
export function planPush(candidate: PushCandidate, ctx: PushContext): PlannedPush {
  const directions = attributeDirections(ctx.mapping);
  const base = candidate.link?.baseValues ?? {};
  const subset: PryzmValues = {};
  for (const [attribute, flow] of Object.entries(directions)) {
    if (!flow.push || !Object.hasOwn(candidate.values, attribute)) continue;
    const value = candidate.values[attribute] ?? null;
    if (candidate.link ? !valuesEqual(value, base[attribute]) : value !== null && value !== '') {
      subset[attribute] = value;
    }
  }
  if (Object.keys(subset).length === 0) return { kind: 'nothing', fieldResults: [] };
  const mapped = toSalesforce(subset, ctx.mapping, {
    recordType: ctx.recordType,
    describe: ctx.describe,
    operation: candidate.link ? 'update' : 'create',
    lookupSalesforceId: (_recordType, recordId) => ctx.salesforceIdOf(recordId),
    pryzmRecordId: candidate.id,
  });
  const pushed: PryzmValues = {};
  for (const result of mapped.fieldResults) {
    if (result.status === 'synced') pushed[result.attribute] = subset[result.attribute] ?? null;
  }
  if (Object.keys(pushed).length === 0)
    return { kind: 'nothing', fieldResults: mapped.fieldResults };
  return { kind: 'write', body: mapped.fields, pushed, fieldResults: mapped.fieldResults };
}

/** Field results as history keeps them: what did not sync, and why. */
export function skippedFieldResults(results: FieldResult[]) {
  return results.flatMap((result) =>
    result.status === 'skipped'
      ? [{ attribute: result.attribute, code: result.code, reason: result.reason }]
      : [],
  );
}

/** The Pryzm record ids a record's reference attributes point at. */
export function referencedRecordIds(values: PryzmValues, recordType: RecordTypeDefinition) {
  return recordType.attributes.flatMap((attribute) => {
    const value = values[attribute.key];
    return attribute.type === 'reference' && typeof value === 'string' ? [value] : [];
  });
}
