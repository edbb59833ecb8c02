/**
 * A connection's enabled mappings with what applying their records needs (record type,
 * describes), keyed by the Salesforce object's lower-case name.
 */
import type { ConnectionRow } from '../../store/repositories/connections.ts';
import { definitionOf } from '../../store/repositories/record-types.ts';
import { runDescribes } from '../jobs/run-describes.ts';
import type { MappedObject } from './apply-changes.ts';
import type { RealtimeDeps } from './realtime-deps.ts';

export async function loadMappedObjects(
  deps: Pick<RealtimeDeps, 'mappings' | 'repositories' | 'describes'>,
  connection: ConnectionRow,
): Promise<Map<string, MappedObject>> {
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
  return objects;
}
