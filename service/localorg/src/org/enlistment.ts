import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transaction } from './transaction.ts';

/**
 * A transaction that writes of the current request join instead of committing their own:
 * `/composite` runs its subrequests inside one, committing or rolling back all of them.
 */
export interface Enlistment {
  orgId: string;
  tx: Transaction;
}

export const enlistment = new AsyncLocalStorage<Enlistment>();
