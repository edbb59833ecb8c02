import type { PrismaClient } from '../database.ts';

/** The client handed to an interactive transaction's callback. */
export type TransactionClient = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** Prisma's unique-constraint violation, on either provider. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 'P2002';
}
