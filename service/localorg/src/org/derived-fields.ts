import type { FieldValue, StoredRecord } from '../core/contracts.ts';

/**
 * Fields Salesforce computes from others on save (read-only through the API): person names,
 * Opportunity stage consequences, Task closure.
 */

/** Opportunity stages of a default org: probability, forecast category, closed, won. */
const STAGES: Record<string, [number, string, boolean, boolean]> = {
  Prospecting: [10, 'Pipeline', false, false],
  Qualification: [10, 'Pipeline', false, false],
  'Needs Analysis': [20, 'Pipeline', false, false],
  'Value Proposition': [50, 'Pipeline', false, false],
  'Id. Decision Makers': [60, 'Pipeline', false, false],
  'Perception Analysis': [70, 'Pipeline', false, false],
  'Proposal/Price Quote': [75, 'Pipeline', false, false],
  'Negotiation/Review': [90, 'Pipeline', false, false],
  'Closed Won': [100, 'Closed', true, true],
  'Closed Lost': [0, 'Omitted', true, false],
};

function personName(r: StoredRecord): string | null {
  const parts = [r['FirstName'], r['LastName']].filter((p) => typeof p === 'string' && p !== '');
  return parts.length ? parts.join(' ') : null;
}

/**
 * Returns the derived values for a record about to be saved. `changed` are the fields the
 * request set, so a Probability given explicitly wins over the stage's default.
 */
export function derivedFields(
  objectName: string,
  record: StoredRecord,
  changed: Set<string>,
): Record<string, FieldValue> {
  switch (objectName) {
    case 'Contact':
    case 'Lead':
    case 'User':
      return { Name: personName(record) };
    case 'Opportunity': {
      const stage = STAGES[String(record['StageName'] ?? '')];
      if (!stage || !changed.has('StageName')) return {};
      const out: Record<string, FieldValue> = {
        IsClosed: stage[2],
        IsWon: stage[3],
        ForecastCategory: stage[1],
        ForecastCategoryName: stage[1],
      };
      if (!changed.has('Probability')) out['Probability'] = stage[0];
      return out;
    }
    case 'Task': {
      const closed = record['Status'] === 'Completed';
      return { IsClosed: closed, IsHighPriority: record['Priority'] === 'High' };
    }
    default:
      return {};
  }
}
