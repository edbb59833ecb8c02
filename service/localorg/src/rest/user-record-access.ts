/**
 * `UserRecordAccess`: what a user may do with records, as Salesforce's sharing decides it. The
 * query must name one user (`UserId = '...'`) and its records (`RecordId = '...'` or
 * `RecordId IN (...)`, at most 200), as Salesforce requires:
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_userrecordaccess.htm
 * The local org's sharing model is small: a System Administrator (the default profile) may do
 * everything; any other user reads every record and edits and deletes only the records they own.
 */
import type { Org } from '../org/org.ts';
import { SoqlError } from '../soql/index.ts';

const FIELDS = [
  'RecordId',
  'HasReadAccess',
  'HasEditAccess',
  'HasDeleteAccess',
  'HasTransferAccess',
  'HasAllAccess',
  'MaxAccessLevel',
];

export function isUserRecordAccessQuery(soql: string): boolean {
  return /\bFROM\s+UserRecordAccess\b/i.test(soql);
}

const malformed = (message: string) => new SoqlError('MALFORMED_QUERY', message);

export function userRecordAccessQuery(
  soql: string,
  org: Org,
): { totalSize: number; done: true; records: Record<string, unknown>[] } {
  const select = /^\s*SELECT\s+(.+?)\s+FROM\s+UserRecordAccess\b/is.exec(soql);
  const userId = /\bUserId\s*=\s*'([a-zA-Z0-9]{15,18})'/i.exec(soql)?.[1];
  const single = /\bRecordId\s*=\s*'([a-zA-Z0-9]{15,18})'/i.exec(soql)?.[1];
  const list = /\bRecordId\s+IN\s*\(([^)]*)\)/i.exec(soql)?.[1];
  if (!select || !userId || (!single && !list)) {
    throw malformed(
      'UserRecordAccess queries must filter by UserId = and by RecordId = or RecordId IN',
    );
  }
  const recordIds = single
    ? [single]
    : [...(list ?? '').matchAll(/'([a-zA-Z0-9]{15,18})'/g)].map((m) => m[1]!);
  if (recordIds.length > 200) throw malformed('UserRecordAccess takes at most 200 record ids');
  const fields = select[1]!.split(',').map((f) => f.trim());
  for (const field of fields) {
    if (!FIELDS.some((known) => known.toLowerCase() === field.toLowerCase())) {
      throw new SoqlError(
        'INVALID_FIELD',
        `No such column '${field}' on entity 'UserRecordAccess'.`,
      );
    }
  }
  const user = org.userById(userId);
  const admin = !user?.config.profile || user.config.profile === 'System Administrator';
  const records = recordIds.flatMap((recordId) => {
    const found = org.findById(recordId);
    if (!user || !found || found.record['IsDeleted'] === true) return [];
    const owns = found.record['OwnerId'] === user.id;
    const edit = admin || owns;
    const values: Record<string, unknown> = {
      RecordId: found.record['Id'],
      HasReadAccess: true,
      HasEditAccess: edit,
      HasDeleteAccess: edit,
      HasTransferAccess: edit,
      HasAllAccess: edit,
      MaxAccessLevel: edit ? 'All' : 'Read',
    };
    const record: Record<string, unknown> = { attributes: { type: 'UserRecordAccess' } };
    for (const field of fields) {
      const name = FIELDS.find((known) => known.toLowerCase() === field.toLowerCase())!;
      record[name] = values[name];
    }
    return [record];
  });
  return { totalSize: records.length, done: true, records };
}
