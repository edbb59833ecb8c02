import type { Dml } from '../org/dml.ts';
import type { Transaction } from '../org/transaction.ts';
import { DmlError } from '../org/transaction.ts';

/**
 * One Bulk API 2.0 ingest row applied through DML, its outcome in the form the job's result
 * files carry: `sf__Id`/`sf__Created`, or `sf__Error` as `CODE:message:fields --`.
 */

export type RowOutcome =
  { ok: true; id: string; created: boolean } | { ok: false; id: string; error: string };

/** `Account.Pryzm_ID__c` headers become nested references the DML layer resolves. */
export function rowInput(headers: string[], row: string[]): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  headers.forEach((h, i) => {
    const value = row[i] ?? '';
    const dot = h.indexOf('.');
    if (dot > 0) {
      if (value === '') return;
      input[h.slice(0, dot)] = { [h.slice(dot + 1)]: value };
    } else {
      input[h] = value;
    }
  });
  return input;
}

export function bulkError(e: unknown): string {
  if (!(e instanceof DmlError)) throw e;
  return e.errors
    .map((x) => {
      // `CODE:message:Field1,Field2 --`; with no fields Salesforce writes `CODE:message:--`.
      const fields = (x.fields ?? []).join(',');
      return `${x.errorCode}:${x.message}:${fields ? `${fields} ` : ''}--`;
    })
    .join(' ');
}

export function applyRow(
  tx: Transaction,
  dml: Dml,
  operation: string,
  objectName: string,
  externalIdFieldName: string | undefined,
  headers: string[],
  row: string[],
): RowOutcome {
  const input = rowInput(headers, row);
  const idKey = Object.keys(input).find((k) => k.toLowerCase() === 'id');
  const id = idKey ? String(input[idKey] ?? '') : '';
  try {
    switch (operation) {
      case 'insert': {
        const rec = dml.insert(tx, objectName, input, 'csv');
        return { ok: true, id: rec.Id, created: true };
      }
      case 'update': {
        if (!id)
          throw new DmlError([
            {
              message: 'Id not specified in an update call',
              errorCode: 'MISSING_ARGUMENT',
              fields: [],
            },
          ]);
        if (idKey) delete input[idKey];
        const rec = dml.update(tx, objectName, id, input, 'csv');
        return { ok: true, id: rec.Id, created: false };
      }
      case 'upsert': {
        const field = externalIdFieldName ?? 'Id';
        const key = Object.keys(input).find((k) => k.toLowerCase() === field.toLowerCase());
        const { record, created } = dml.upsert(
          tx,
          objectName,
          field,
          key ? input[key] : undefined,
          input,
          'csv',
        );
        return { ok: true, id: record.Id, created };
      }
      case 'delete':
      case 'hardDelete': {
        const rec = dml.delete(tx, objectName, id);
        return { ok: true, id: rec.Id, created: false };
      }
      default:
        throw new DmlError([
          {
            message: `Invalid operation: ${operation}`,
            errorCode: 'INVALID_OPERATION',
            fields: [],
          },
        ]);
    }
  } catch (e) {
    return { ok: false, id, error: bulkError(e) };
  }
}
