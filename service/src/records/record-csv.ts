import { parse } from 'csv-parse/sync';
import type { AttributeDefinition, PryzmValue, PryzmValues } from '../mapping/attribute-types.ts';
import { problem, type Outcome } from '../outcome/problem.ts';
import { ok } from '../outcome/result.ts';
import type { RecordService, RecordView } from './record-service.ts';
import type { RecordTypeService } from './record-type-service.ts';

/** Columns every export starts with; the record type's attributes follow in their order. */
export const CSV_RECORD_COLUMNS = ['id', 'version', 'createdAt', 'updatedAt'] as const;
/** Separates the values of a multi_select in one cell (the options themselves may hold commas). */
export const MULTI_VALUE_SEPARATOR = ';';
export const MAX_IMPORT_ROWS = 10_000;

export interface CsvImportResult {
  created: number;
  updated: number;
  rows: { row: number; id: string; action: 'created' | 'updated' }[];
}

export interface RowIssue {
  row: number;
  attribute?: string;
  message: string;
}

/** A stored value as one CSV cell (dates and datetimes are already ISO text). */
export function cellOf(value: PryzmValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(MULTI_VALUE_SEPARATOR);
  return String(value);
}

/** One CSV cell as the attribute's value; '' is "not set" (left out), never an empty string. */
function valueOf(attribute: AttributeDefinition, cell: string): PryzmValue | undefined {
  const text = cell.trim();
  if (text === '') return undefined;
  switch (attribute.type) {
    case 'number':
    case 'currency':
    case 'percent':
      // A non-number stays text, so the record's own check names the attribute and the value.
      return /^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'multi_select':
      return text
        .split(MULTI_VALUE_SEPARATOR)
        .map((part) => part.trim())
        .filter(Boolean);
    default:
      return cell;
  }
}

/**
 * Records of one record type as CSV: export page by page, and an all-or-nothing import. The
 * import checks every row the way a write through the API would before it writes any, so a bad
 * cell in row 9,000 leaves the workspace as it was; rows with an `id` update that record.
 */
export class RecordCsv {
  constructor(
    private readonly records: RecordService,
    private readonly recordTypes: RecordTypeService,
  ) {}

  async columns(
    workspaceId: string,
    recordTypeKey: string,
    hidden: ReadonlySet<string>,
  ): Promise<Outcome<{ columns: string[]; attributes: AttributeDefinition[] }>> {
    const recordType = await this.recordTypes.get(workspaceId, recordTypeKey);
    if (!recordType.ok) return recordType;
    const attributes = recordType.value.attributes.filter((a) => !hidden.has(a.key));
    return ok({ columns: [...CSV_RECORD_COLUMNS, ...attributes.map((a) => a.key)], attributes });
  }

  /** Every live record of the type, oldest first, a page at a time. */
  async *rows(
    workspaceId: string,
    recordTypeKey: string,
    attributes: readonly AttributeDefinition[],
  ): AsyncGenerator<string[]> {
    let cursor: string | undefined;
    do {
      const page = await this.records.list(workspaceId, recordTypeKey, {
        limit: 500,
        cursor,
        includeDeleted: false,
      });
      if (!page.ok) return;
      for (const record of page.value.records) yield this.row(record, attributes);
      cursor = page.value.nextCursor ?? undefined;
    } while (cursor);
  }

  private row(record: Omit<RecordView, 'recordType'>, attributes: readonly AttributeDefinition[]) {
    return [
      record.id,
      String(record.version),
      record.createdAt.toISOString(),
      record.updatedAt.toISOString(),
      ...attributes.map((attribute) => cellOf(record.values[attribute.key])),
    ];
  }

  async import(
    workspaceId: string,
    recordTypeKey: string,
    text: string,
  ): Promise<Outcome<CsvImportResult>> {
    const recordType = await this.recordTypes.get(workspaceId, recordTypeKey);
    if (!recordType.ok) return recordType;
    const byKey = new Map(recordType.value.attributes.map((a) => [a.key, a]));
    let table: string[][];
    try {
      table = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false });
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'unreadable';
      return problem('invalid', 'csv_invalid', `The CSV could not be read: ${reason}`);
    }
    const [header, ...body] = table;
    if (!header || body.length === 0) {
      return problem('invalid', 'csv_empty', 'The CSV needs a header row and at least one record');
    }
    if (body.length > MAX_IMPORT_ROWS) {
      return problem(
        'invalid',
        'csv_too_many_rows',
        `Import at most ${MAX_IMPORT_ROWS} rows at once`,
      );
    }
    const ignored = new Set<string>(CSV_RECORD_COLUMNS.filter((c) => c !== 'id'));
    const unknown = header.filter(
      (name) => name !== 'id' && !ignored.has(name) && !byKey.has(name),
    );
    if (unknown.length > 0 || new Set(header).size !== header.length) {
      return problem(
        'invalid',
        'csv_unknown_columns',
        unknown.length > 0
          ? `Columns that are not attributes of ${recordTypeKey}: ${unknown.join(', ')}`
          : 'A column appears twice in the header',
        { columns: unknown },
      );
    }
    const planned = body.map((cells, index) => {
      const values: PryzmValues = {};
      let id: string | undefined;
      header.forEach((name, column) => {
        const cell = cells[column] ?? '';
        if (name === 'id') id = cell.trim() || undefined;
        const attribute = byKey.get(name);
        if (!attribute) return;
        const value = valueOf(attribute, cell);
        if (value !== undefined) values[name] = value;
      });
      return { row: index + 2, id, values };
    });

    const issues: RowIssue[] = [];
    for (const plan of planned) {
      const checked = await this.records.validate(workspaceId, recordTypeKey, plan.values, plan.id);
      if (!checked.ok) {
        const details = checked.error.details?.issues as { attribute?: string; message: string }[];
        for (const issue of details ?? [{ message: checked.error.message }]) {
          issues.push({ row: plan.row, attribute: issue.attribute, message: issue.message });
        }
      }
      if (issues.length >= 100) break;
    }
    if (issues.length > 0) {
      return problem(
        'unprocessable',
        'csv_invalid_rows',
        `Nothing was imported: ${issues.length} problem(s), the first in row ${issues[0]!.row}: ${issues[0]!.message}`,
        { issues },
      );
    }

    const result: CsvImportResult = { created: 0, updated: 0, rows: [] };
    for (const plan of planned) {
      const written = plan.id
        ? await this.records.update(workspaceId, plan.id, plan.values)
        : await this.records.create(workspaceId, recordTypeKey, plan.values);
      if (!written.ok) {
        // Changed by someone else between the check and the write: report what was done so far.
        return problem(
          'conflict',
          written.error.code,
          `Row ${plan.row}: ${written.error.message}`,
          {
            imported: result,
          },
        );
      }
      const action = plan.id ? 'updated' : 'created';
      result[action] += 1;
      result.rows.push({ row: plan.row, id: written.value.id, action });
    }
    return ok(result);
  }
}
