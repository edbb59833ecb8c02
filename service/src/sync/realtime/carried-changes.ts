/**
 * The values a batch of Change Data Capture events carries, per object and record, merged in
 * event order (a later UPDATE's fields over an earlier CREATE's or UPDATE's), and the records
 * whose events cannot be applied from their values (gap events, UNDELETE, a mapped field the
 * event does not hold): those are read back.
 */
import type { SalesforceRecord } from '../../mapping/index.ts';
import type { DecodedEvent } from '../../salesforce/pubsub/pubsub-client.ts';
import type { MappedObject } from './apply-changes.ts';
import { eventValues, schemaFields, type SchemaField } from './change-event-values.ts';
import { sameUser } from './change-events.ts';

export interface CarriedValues {
  rows: Map<string, SalesforceRecord>;
  /** Records whose row holds only changed fields (UPDATE): applied to linked records only. */
  partial: Set<string>;
  /** Records to read back. */
  fetch: Set<string>;
}

interface Header {
  entityName: string;
  recordIds: string[];
  changeType: string;
  commitUser: string;
}

export async function carriedValues(
  events: readonly DecodedEvent[],
  objects: ReadonlyMap<string, MappedObject>,
  schemaOf: (schemaId: string) => Promise<unknown>,
  integrationUserId: string | null,
): Promise<Map<string, CarriedValues>> {
  const byObject = new Map<string, CarriedValues>();
  const schemas = new Map<string, SchemaField[]>();
  for (const event of events) {
    const header = event.payload['ChangeEventHeader'] as Header | undefined;
    if (!header) continue;
    const key = header.entityName.toLowerCase();
    const object = objects.get(key);
    if (!object || header.changeType === 'GAP_OVERFLOW') continue;
    let carried = byObject.get(key);
    if (!carried) {
      carried = { rows: new Map(), partial: new Set(), fetch: new Set() };
      byObject.set(key, carried);
    }
    const isGap = header.changeType.startsWith('GAP_');
    // The connector's own changes are left out (as `decodeChanges` leaves them out).
    if (!isGap && sameUser(header.commitUser, integrationUserId)) continue;
    if (/^(GAP_)?DELETE$/.test(header.changeType)) {
      for (const id of header.recordIds) {
        carried.rows.delete(id);
        carried.partial.delete(id);
        carried.fetch.delete(id);
      }
      continue;
    }
    let fields = schemas.get(event.schemaId);
    if (!fields) {
      fields = schemaFields(await schemaOf(event.schemaId));
      schemas.set(event.schemaId, fields);
    }
    const values = isGap
      ? ({ kind: 'fetch' } as const)
      : eventValues(event.payload, fields, object);
    if (values.kind === 'fetch') {
      for (const id of header.recordIds) {
        carried.rows.delete(id);
        carried.partial.delete(id);
        carried.fetch.add(id);
      }
      continue;
    }
    for (const row of values.rows) {
      const id = row['Id'] as string;
      // Read back anyway: what it reads is the newest state, this change included.
      if (carried.fetch.has(id)) continue;
      const earlier = carried.rows.get(id);
      if (values.partial && earlier) {
        carried.rows.set(id, { ...earlier, ...row });
        continue;
      }
      carried.rows.set(id, row);
      if (values.partial) carried.partial.add(id);
      else carried.partial.delete(id);
    }
  }
  return byObject;
}
