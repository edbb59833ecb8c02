import { loadLimitTemplate } from '../schema/recorded.ts';

/**
 * The org's allocations and what has been used of them, as `/limits` and the
 * `Sforce-Limit-Info` header report them.
 */
export class OrgLimits {
  private readonly used = new Map<string, number>();
  private readonly max = new Map<string, number>();

  constructor(dailyApiRequests: number) {
    for (const [name, entry] of Object.entries(loadLimitTemplate())) {
      this.max.set(name, entry['Max'] ?? 0);
    }
    this.max.set('DailyApiRequests', dailyApiRequests);
  }

  get apiUsed(): number {
    return this.used.get('DailyApiRequests') ?? 0;
  }

  get apiMax(): number {
    return this.max.get('DailyApiRequests') ?? 0;
  }

  /** True when the daily API allocation is spent (further calls get REQUEST_LIMIT_EXCEEDED). */
  apiExhausted(): boolean {
    return this.apiUsed >= this.apiMax;
  }

  count(name: string, n = 1): void {
    this.used.set(name, (this.used.get(name) ?? 0) + n);
  }

  /** Sets how many API requests count as used today (faults use it to reach the limit). */
  setApiUsage(n: number): void {
    this.used.set('DailyApiRequests', Math.max(0, n));
  }

  setMax(name: string, n: number): void {
    this.max.set(name, n);
  }

  header(): string {
    return `api-usage=${this.apiUsed}/${this.apiMax}`;
  }

  /** The `/limits` resource body. */
  report(): Record<string, Record<string, number | Record<string, number>>> {
    const template = loadLimitTemplate();
    const out: Record<string, Record<string, number | Record<string, number>>> = {};
    for (const name of Object.keys(template).sort()) {
      const max = this.max.get(name) ?? 0;
      const entry: Record<string, number | Record<string, number>> = {
        Max: max,
        Remaining: Math.max(0, max - (this.used.get(name) ?? 0)),
      };
      for (const [k, v] of Object.entries(template[name] ?? {})) {
        if (k !== 'Max' && k !== 'Remaining') entry[k] = v as unknown as Record<string, number>;
      }
      out[name] = entry;
    }
    return out;
  }
}
