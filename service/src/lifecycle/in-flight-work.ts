/**
 * Work that must finish before the process exits (sync batches, job checkpoints). Shutdown waits
 * for everything registered here, so a SIGTERM never cuts a batch between its data and its
 * checkpoint.
 */
export class InFlightWork {
  private readonly pending = new Set<Promise<unknown>>();
  private closed = false;

  /** Runs `work` unless shutdown has begun; resolves with its result. */
  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The service is shutting down'));
    const promise = work();
    this.pending.add(promise);
    const forget = () => this.pending.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Refuses new work and waits for what is running. */
  async drain(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.pending]);
  }
}
