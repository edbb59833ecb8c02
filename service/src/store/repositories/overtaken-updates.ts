import type { PlannedUpdate, PulledPage } from './sync-page-types.ts';
import type { TransactionClient } from './transaction.ts';

/**
 * Updates whose link took a newer Salesforce version after the page read its state: a
 * real-time read back committed while a pull's older snapshot was planned, or the reverse. The
 * planner compared stamps with the link as it was then (sync/pull/salesforce-stamp.ts), and the
 * version check does not see a newer version that left the record's values as they were (only
 * its link's base and stamp moved), so the page's commit compares the stamps again inside its
 * transaction and leaves these updates out: their record and link stay as the newer version
 * left them, and their rows are reported `unchanged` (`older_than_applied`), as the planner
 * reports a row older than its link. Each maps to its link's newer stamp. Only links newer than
 * the page's oldest stamp are read, usually none.
 */
export async function overtakenUpdates(
  tx: TransactionClient,
  page: Pick<PulledPage, 'connectionId' | 'updates'>,
): Promise<Map<PlannedUpdate, Date>> {
  const stamped = page.updates.filter((update) => update.salesforceModstamp && !update.newLink);
  if (stamped.length === 0) return new Map();
  const oldest = Math.min(...stamped.map((update) => update.salesforceModstamp!.getTime()));
  const newer = await tx.link.findMany({
    where: {
      connectionId: page.connectionId,
      salesforceId: { in: stamped.map((update) => update.salesforceId) },
      salesforceModstamp: { gt: new Date(oldest) },
    },
    select: { salesforceId: true, salesforceModstamp: true },
  });
  if (newer.length === 0) return new Map();
  const linkStamps = new Map(newer.map((link) => [link.salesforceId, link.salesforceModstamp!]));
  const overtaken = new Map<PlannedUpdate, Date>();
  for (const update of stamped) {
    const applied = linkStamps.get(update.salesforceId);
    if (applied && applied.getTime() > update.salesforceModstamp!.getTime()) {
      overtaken.set(update, applied);
    }
  }
  return overtaken;
}
