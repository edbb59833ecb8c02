import type { PrismaClient } from '../database.ts';
import type { TransactionClient } from './transaction.ts';

/**
 * Records Outbound Message notifications already applied, so one Salesforce sends again (it
 * retries until it reads an Ack, and may send a notification more than once) is acknowledged
 * without being applied twice; and the hash of each connection's endpoint secret.
 */
export class OutboundMessageRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async secretHash(connectionId: string): Promise<string | null> {
    const row = await this.prisma.connection.findUnique({
      where: { id: connectionId },
      select: { outboundMessageSecretHash: true },
    });
    return row?.outboundMessageSecretHash ?? null;
  }

  async setSecretHash(connectionId: string, hash: string): Promise<void> {
    await this.prisma.connection.update({
      where: { id: connectionId },
      data: { outboundMessageSecretHash: hash },
    });
  }

  /** Which of the notification ids were applied before. */
  async applied(connectionId: string, notificationIds: readonly string[]): Promise<Set<string>> {
    const rows = await this.prisma.outboundNotification.findMany({
      where: { connectionId, notificationId: { in: [...notificationIds] } },
      select: { notificationId: true },
    });
    return new Set(rows.map((row) => row.notificationId));
  }

  /** Marks notifications applied outside a record write (nothing of theirs to apply). */
  async markApplied(connectionId: string, notificationIds: readonly string[]): Promise<void> {
    await this.prisma.$transaction((tx) =>
      markNotificationsApplied(tx, connectionId, notificationIds),
    );
  }
}

/**
 * Marks notifications applied inside the transaction that commits their records: a unique
 * violation (another request applied the same notification meanwhile) rolls it all back and
 * Salesforce's retry then finds it applied.
 */
export async function markNotificationsApplied(
  tx: TransactionClient,
  connectionId: string,
  notificationIds: readonly string[],
): Promise<void> {
  for (const notificationId of notificationIds) {
    await tx.outboundNotification.create({ data: { connectionId, notificationId } });
  }
}
