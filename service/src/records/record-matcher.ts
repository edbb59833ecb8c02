import {
  pryzmMatchKeys,
  salesforceMatchKeys,
  type MatchRule,
  type PryzmValues,
  type SalesforceRecord,
} from '../mapping/index.ts';

export type MatchOutcome =
  | { kind: 'matched'; recordId: string; key: string }
  | { kind: 'ambiguous'; recordIds: string[]; key: string }
  | { kind: 'none' };

/**
 * First-sync matching, so a Salesforce record that already exists in Pryzm is linked instead of
 * duplicated. Built once per batch from the unlinked Pryzm records of the type; rules are tried
 * in order and a key shared by several records is reported as ambiguous, never guessed.
 */
export class MatchIndex {
  private readonly byKey = new Map<string, string[]>();
  private readonly claimed = new Set<string>();

  constructor(
    records: readonly { id: string; values: PryzmValues }[],
    private readonly rules: readonly MatchRule[],
  ) {
    for (const record of records) {
      for (const key of pryzmMatchKeys(record.values, rules)) {
        const ids = this.byKey.get(key) ?? [];
        ids.push(record.id);
        this.byKey.set(key, ids);
      }
    }
  }

  /** Takes a record out of matching (it was linked another way, e.g. by `Pryzm_ID__c`). */
  claim(recordId: string): void {
    this.claimed.add(recordId);
  }

  /** The Pryzm record a Salesforce record matches; a matched record is not handed out twice. */
  match(record: SalesforceRecord): MatchOutcome {
    // No unlinked Pryzm record to match (a first pull into an empty workspace, or every record
    // linked already): no key can find one, so none is built for each of the page's rows.
    if (this.byKey.size === 0) return { kind: 'none' };
    for (const key of salesforceMatchKeys(record, this.rules)) {
      const candidates = (this.byKey.get(key) ?? []).filter((id) => !this.claimed.has(id));
      if (candidates.length === 1) {
        const recordId = candidates[0] as string;
        this.claimed.add(recordId);
        return { kind: 'matched', recordId, key };
      }
      if (candidates.length > 1) return { kind: 'ambiguous', recordIds: candidates, key };
    }
    return { kind: 'none' };
  }
}
