import { setFlagsFromString } from 'node:v8';

/**
 * How the service's V8 heap trades memory for speed (`PRYZM_HEAP`).
 *
 * A pull makes garbage faster than anything else the service does: a page's CSV rows, plans and
 * statement parameters, and the write-back's batches, live across awaits, are promoted to the
 * old generation, and V8's default sizing lets that generation grow to several times the live
 * heap before a full collection (a pull of 100,000 Accounts peaked at 210 to 290 MB of heap in
 * use, of which about 60 MB live, and 430 to 530 MB resident). `small` sets V8's
 * `--optimize-for-size` ("Enables optimizations which favor memory size over execution speed"),
 * which V8 reads when it decides how far the heap may grow before it collects, so the heap
 * stays near what is live (96 MB at the same pull's peak, 272 MB resident), without a Node flag
 * the operator has to pass. It costs speed: 300,000 Accounts on SQLite took 95.9 s (300 MB peak)
 * instead of 60.4 s (581 MB) one run after the other, so V8's own sizing stays the default.
 * Node allows setting V8 flags once the process runs and warns that a
 * flag may then do nothing or act unpredictably
 * (https://nodejs.org/docs/latest-v22.x/api/v8.html#v8setflagsfromstringflags): this one is set
 * before the service opens anything, and `default` leaves V8 as it is.
 */
export type HeapSizing = 'small' | 'default';

export function applyHeapSizing(sizing: HeapSizing): void {
  if (sizing === 'small') setFlagsFromString('--optimize-for-size');
}
