/** Faults the event bus can be told to show, per org, so clients' recovery paths get exercised. */
export class EventBusFaults {
  private readonly refuseUntil = new Map<string, number>();
  private readonly stallUntil = new Map<string, number>();
  private readonly dropListeners = new Set<(orgId: string) => void>();
  private readonly resumeListeners = new Set<(orgId: string) => void>();

  /** New Subscribe calls of the org fail with UNAVAILABLE for `seconds`. */
  refuseSubscriptions(orgId: string, seconds: number): void {
    this.refuseUntil.set(orgId, Date.now() + seconds * 1000);
  }

  refusesSubscriptions(orgId: string): boolean {
    return (this.refuseUntil.get(orgId) ?? 0) > Date.now();
  }

  /** Holds back delivery to the org's subscribers for `seconds` (until resumed when omitted). */
  stall(orgId: string, seconds?: number): void {
    this.stallUntil.set(orgId, seconds === undefined ? Infinity : Date.now() + seconds * 1000);
    if (seconds !== undefined) {
      setTimeout(() => this.notifyResume(orgId), seconds * 1000 + 5).unref();
    }
  }

  resume(orgId: string): void {
    this.stallUntil.delete(orgId);
    this.notifyResume(orgId);
  }

  isStalled(orgId: string): boolean {
    return (this.stallUntil.get(orgId) ?? 0) > Date.now();
  }

  /** Ends every open stream of the org with UNAVAILABLE. */
  dropStreams(orgId: string): void {
    for (const listener of this.dropListeners) listener(orgId);
  }

  onDrop(listener: (orgId: string) => void): () => void {
    this.dropListeners.add(listener);
    return () => this.dropListeners.delete(listener);
  }

  onResume(listener: (orgId: string) => void): () => void {
    this.resumeListeners.add(listener);
    return () => this.resumeListeners.delete(listener);
  }

  private notifyResume(orgId: string): void {
    for (const listener of this.resumeListeners) listener(orgId);
  }
}
