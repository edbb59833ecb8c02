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

  /**
   * Refuses new work and waits for what is running, at most `timeoutMs`. Resolves true when
   * everything finished, false when time ran out: what is still running then is cut off with the
   * database, and its transaction rolls back with its checkpoint, so it is redone on the next start.
   */
  async drain(timeoutMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    this.closed = true;
    const finished = Promise.allSettled([...this.pending]).then(() => true);
    if (!Number.isFinite(timeoutMs)) return finished;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([finished, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}
