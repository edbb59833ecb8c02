import type { WebhookSubscriptionRow } from '../store/repositories/webhooks.ts';

interface Entry {
  readAt: number;
  rows: Promise<WebhookSubscriptionRow[]>;
}

/**
 * The enabled webhook subscriptions of each workspace as this process last read them, so the
 * question a sync page asks before building its events ("does any webhook want record.created
 * here?") costs no query: a pull asks it for every page and every event type.
 *
 * A change made through this process (create, edit, delete) drops the workspace's entry at once.
 * A change made through another process on the same PostgreSQL database reaches this one when
 * the entry expires, after at most `ttlMs`: the relay between processes only carries events to
 * workspaces some process streams, so it cannot be relied on to say a subscription changed, and
 * a short expiry bounds the staleness without a message of its own.
 */
export class SubscriptionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly read: (workspaceId: string) => Promise<WebhookSubscriptionRow[]>,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The workspace's enabled subscriptions: remembered ones if fresh, else read once. */
  enabledFor(workspaceId: string): Promise<WebhookSubscriptionRow[]> {
    const known = this.entries.get(workspaceId);
    if (known && this.now() - known.readAt < this.ttlMs) return known.rows;
    this.dropExpired();
    const entry: Entry = { readAt: this.now(), rows: this.read(workspaceId) };
    this.entries.set(workspaceId, entry);
    // A failed read is not remembered: the next question reads again.
    entry.rows.catch(() => {
      if (this.entries.get(workspaceId) === entry) this.entries.delete(workspaceId);
    });
    return entry.rows;
  }

  /**
   * The workspace's subscriptions changed: the next question reads them again. A read already
   * under way when they changed is dropped too, since it may have missed the change.
   */
  forget(workspaceId: string): void {
    this.entries.delete(workspaceId);
  }

  /** Workspaces nobody asked about for a while leave the map instead of piling up. */
  private dropExpired(): void {
    const now = this.now();
    for (const [workspaceId, entry] of this.entries) {
      if (now - entry.readAt >= this.ttlMs) this.entries.delete(workspaceId);
    }
  }
}
