import type { RecordChange } from '../core/contracts.ts';

/** Raised for a record that cannot be written; `status` is the REST status of a lone request. */
export class DmlError extends Error {
  constructor(
    readonly errors: { message: string; errorCode: string; fields?: string[] }[],
    readonly status = 400,
  ) {
    super(errors.map((e) => `${e.errorCode}: ${e.message}`).join('; '));
  }
}

/**
 * The changes of one DML transaction and how to undo them: `allOrNone` requests and
 * failures part-way through roll back by replaying the undo log in reverse.
 */
export class Transaction {
  readonly changes: RecordChange[] = [];
  private readonly undoLog: { change: RecordChange; undo: () => void }[] = [];

  constructor(
    readonly userId: string,
    readonly changeOrigin: string,
  ) {}

  record(change: RecordChange, undo: () => void): void {
    this.changes.push(change);
    this.undoLog.push({ change, undo });
  }

  /** Position to roll back to, for a group of writes that must succeed together. */
  savepoint(): number {
    return this.undoLog.length;
  }

  rollbackTo(savepoint: number): void {
    while (this.undoLog.length > savepoint) {
      const entry = this.undoLog.pop();
      entry?.undo();
      this.changes.pop();
    }
  }

  rollback(): void {
    this.rollbackTo(0);
  }
}
