import type { ApiKeyRow } from '../store/repositories/api-keys.ts';
import type { RecordTypeRow } from '../store/repositories/record-types.ts';
import type { WorkspaceRow } from '../store/repositories/workspaces.ts';
import type { RecordView } from '../workspaces/record-service.ts';

/** What the API shows of stored rows: explicit fields only, so nothing secret slips out. */
export const workspaceView = (row: WorkspaceRow) => ({
  id: row.id,
  name: row.name,
  slug: row.slug,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export const apiKeyView = (row: ApiKeyRow) => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  createdAt: row.createdAt,
  lastUsedAt: row.lastUsedAt,
  revokedAt: row.revokedAt,
});

export const recordTypeView = (row: RecordTypeRow) => ({
  id: row.id,
  key: row.key,
  name: row.name,
  pluralName: row.pluralName,
  kind: row.kind,
  builtIn: row.builtIn,
  attributes: row.attributes,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export const recordView = (row: RecordView) => ({
  id: row.id,
  recordType: row.recordType,
  values: row.values,
  version: row.version,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  deletedAt: row.deletedAt,
});
