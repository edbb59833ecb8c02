/**
 * Failures an org is told to produce, each counted down as it is used and all resettable:
 * row locks on writes, server errors and latency on requests, and a clock offset.
 */

export interface FaultSnapshot {
  lockNextWrites: number;
  failNextRequests: number;
  failStatus: number;
  delayNextRequests: number;
  delayMs: number;
  clockOffsetMs: number;
}

export class OrgFaults {
  private state: FaultSnapshot = OrgFaults.none();

  static none(): FaultSnapshot {
    return {
      lockNextWrites: 0,
      failNextRequests: 0,
      failStatus: 503,
      delayNextRequests: 0,
      delayMs: 0,
      clockOffsetMs: 0,
    };
  }

  snapshot(): FaultSnapshot {
    return { ...this.state };
  }

  /** `UNABLE_TO_LOCK_ROW` on the next `count` record writes. */
  lockRows(count: number): void {
    this.state.lockNextWrites = count;
  }

  /** The next `count` API requests answer `status` (a 5xx). */
  failRequests(count: number, status = 503): void {
    this.state.failNextRequests = count;
    this.state.failStatus = status;
  }

  /** The next `count` API requests wait `ms` before being handled. */
  delayRequests(count: number, ms: number): void {
    this.state.delayNextRequests = count;
    this.state.delayMs = ms;
  }

  setClockOffset(ms: number): void {
    this.state.clockOffsetMs = ms;
  }

  get clockOffsetMs(): number {
    return this.state.clockOffsetMs;
  }

  takeLock(): boolean {
    if (this.state.lockNextWrites <= 0) return false;
    this.state.lockNextWrites--;
    return true;
  }

  takeFailure(): number | undefined {
    if (this.state.failNextRequests <= 0) return undefined;
    this.state.failNextRequests--;
    return this.state.failStatus;
  }

  takeDelay(): number {
    if (this.state.delayNextRequests <= 0) return 0;
    this.state.delayNextRequests--;
    return this.state.delayMs;
  }

  reset(): void {
    this.state = OrgFaults.none();
  }
}
