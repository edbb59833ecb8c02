import type { OrgApiUsage, OrgUsageObserver, UsageRecorder } from '../salesforce/usage.ts';
import type { ConnectionRepository } from '../store/repositories/connections.ts';

/** Where the counts go: one UPDATE per connection adds them to its running totals. */
export type UsageStore = Pick<ConnectionRepository, 'addUsage'>;

/**
 * Counts every request sent to each org. Requests are counted synchronously as they go out and
 * written in batches (one UPDATE per connection per tick), so counting never slows a call down.
 */
export class UsageCounter {
  private readonly pending = new Map<
    string,
    { api: number; auth: number; org?: OrgApiUsage & { at: Date } }
  >();
  private scheduled: Promise<void> | undefined;
  /** The write under way, if any; it settles without throwing (failures go to `onError`). */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly connections: UsageStore,
    private readonly onError: (error: unknown) => void,
  ) {}

  recorder(connectionId: string): UsageRecorder {
    return (kind) => {
      this.entry(connectionId)[kind] += 1;
      this.schedule();
    };
  }

  /** Keeps the org's own usage as Salesforce last reported it, written with the counts. */
  orgUsageObserver(connectionId: string): OrgUsageObserver {
    return (usage) => {
      this.entry(connectionId).org = { used: usage.used, limit: usage.limit, at: new Date() };
      this.schedule();
    };
  }

  private entry(connectionId: string) {
    let counts = this.pending.get(connectionId);
    if (!counts) {
      counts = { api: 0, auth: 0 };
      this.pending.set(connectionId, counts);
    }
    return counts;
  }

  private schedule(): void {
    this.scheduled ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.write())
      .catch(this.onError);
  }

  /**
   * Writes every count recorded so far and waits for writes already under way; reads of a
   * connection call this first. A write takes its batch out of `pending` before its UPDATE
   * commits, so waiting only for `pending` would let a read overtake that UPDATE.
   */
  async flush(): Promise<void> {
    if (this.scheduled) await this.scheduled;
    if (this.pending.size > 0) await this.write();
    await this.writing;
  }

  private write(): Promise<void> {
    this.scheduled = undefined;
    const batch = [...this.pending];
    this.pending.clear();
    const previous = this.writing;
    const written = (async () => {
      await previous;
      for (const [id, counts] of batch) {
        await this.connections.addUsage(id, counts.api, counts.auth, counts.org);
      }
    })();
    this.writing = written.catch(() => undefined);
    return written;
  }
}
