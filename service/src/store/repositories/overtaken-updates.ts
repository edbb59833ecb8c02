import type { PlannedUpdate, PulledPage } from './sync-page-types.ts';
import type { TransactionClient } from './transaction.ts';

/**
 * Updates whose link took a newer Salesforce version after the page read its state: a
 * real-time read back committed while a pull's older snapshot was planned, or the reverse. The
 * planner compared stamps with the link as it was then (sync/pull/salesforce-stamp.ts), and the
 * version check does not see a newer version that left the record's values as they were (only
 * its link's base and stamp moved), so the page's commit compares the stamps again inside its
 * transaction and leaves these updates out as it leaves stale ones: their record and link stay
 * as the newer version left them. Only links newer than the page's oldest stamp are read,
 * usually none.
 */
export async function overtakenUpdates(
  tx: TransactionClient,
  page: Pick<PulledPage, 'connectionId' | 'updates'>,
): Promise<Set<PlannedUpdate>> {
  const stamped = page.updates.filter((update) => update.salesforceModstamp && !update.newLink);
  if (stamped.length === 0) return new Set();
  const oldest = Math.min(...stamped.map((update) => update.salesforceModstamp!.getTime()));
  const newer = await tx.link.findMany({
    where: {
      connectionId: page.connectionId,
      salesforceId: { in: stamped.map((update) => update.salesforceId) },
      salesforceModstamp: { gt: new Date(oldest) },
    },
    select: { salesforceId: true, salesforceModstamp: true },
  });
  if (newer.length === 0) return new Set();
  const linkStamps = new Map(newer.map((link) => [link.salesforceId, link.salesforceModstamp!]));
  return new Set(
    stamped.filter(
      (update) =>
        (linkStamps.get(update.salesforceId)?.getTime() ?? -Infinity) >
        update.salesforceModstamp!.getTime(),
    ),
  );
}
