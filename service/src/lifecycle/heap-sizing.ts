import { setFlagsFromString } from 'node:v8';

/**
 * How the service's V8 heap trades memory for speed (`PRYZM_HEAP`).
 *
 * A pull makes garbage faster than anything else the service does: a page's CSV rows, plans and
 * statement parameters, and the write-back's batches, live across awaits, are promoted to the
 * old generation, and V8's own sizing lets that generation grow to up to four times what the
 * last full collection left before it collects again (the growing factor V8 derives from the
 * collector's and the program's speeds, at most 4.0 on a machine with plenty of memory:
 * `MemoryController::GrowingFactor` and `kMinGrowingFactor = 1.1`, `kMaxGrowingFactor = 4.0` in
 * V8's heap-controller.cc and .h as Node vendors them,
 * https://github.com/nodejs/node/blob/v22.x/deps/v8/src/heap/heap-controller.cc).
 * A pull of 1,000,000 Accounts on SQLite peaked at 371 MB of heap in use, about 130 MB of it live.
 *
 * - `balanced` (the default) caps the young generation (`heapSizingNodeFlags`, below) and sets
 *   V8's `--heap-growing-percent` ("specifies heap growing factor
 *   as (1 + heap_growing_percent/100)", `node --v8-options`), which replaces that derived factor
 *   each time V8 sets the next full collection's limit: the old generation grows at most 50%
 *   past what is live (1.5). The same pull on a quiet machine, one run after the other: 680 MB
 *   peak RSS and 69.8 s with V8's sizing, 401 MB and 69.1 s with 50%, 351 MB but 92.7 s with
 *   10% (1.1, the smallest factor V8 itself would pick: a full collection every few megabytes
 *   promoted).
 * - `small` sets V8's `--optimize-for-size` ("Enables optimizations which favor memory size over
 *   execution speed"): V8 also compiles for size, and a pull runs about a third slower.
 * - `v8` leaves V8's own sizing: the most memory, and no faster in the runs above.
 *
 * Node allows setting V8 flags once the process runs and warns that a flag may then do nothing
 * or act unpredictably (https://nodejs.org/docs/latest-v22.x/api/v8.html#v8setflagsfromstringflags).
 * V8 reads both flags each time it sizes the heap after a collection, so setting them when the
 * service starts, before it opens anything, takes effect without a Node flag the operator has to
 * pass: test/lifecycle/heap-sizing.test.ts checks in a fresh Node process, through V8's own
 * `--trace-gc-verbose` lines, that the next limit is then set with 1.5. Only the young
 * generation's cap has to be on the command line that starts the process.
 */
export const HEAP_SIZINGS = ['balanced', 'small', 'v8'] as const;

export type HeapSizing = (typeof HEAP_SIZINGS)[number];

/** The sizing of a service whose `PRYZM_HEAP` is unset. */
export const DEFAULT_HEAP_SIZING: HeapSizing = 'balanced';

/** How far, in percent, `balanced` lets the old generation grow past what is live. */
export const BALANCED_HEAP_GROWING_PERCENT = 50;

/**
 * How large, in MB, `balanced` lets each of the young generation's two semi-spaces grow (V8's
 * `--max-semi-space-size`): 16 MB by default in Node 22 on 64 bits, a young generation of 32 MB
 * that a pull fills and keeps. At 4 MB a pull of 300,000 Accounts on SQLite peaked at 326 and
 * 332 MB instead of 355 and 362 MB, in 33.2 and 31.8 s against 41.2 and 32.0 s (two pairs, one
 * run after the other), and the booted service held 172 to 178 MB instead of 197 to 202 MB.
 */
export const BALANCED_SEMI_SPACE_MB = 4;

/**
 * The Node flags the sizing a `PRYZM_HEAP` value names (unset: the default) needs on the command
 * line that starts the service; none for a value that names no sizing, which the service's
 * configuration then refuses as it starts. V8 sizes the young generation once, when it creates
 * the heap: `--max-semi-space-size` set once the process runs changes nothing, unlike the old
 * generation's growth above. `npm start` (scripts/start.mjs) and the benchmarks start the service
 * with them; a process started without them keeps V8's young generation and is otherwise sized
 * the same.
 */
export function heapSizingNodeFlags(setting: string | undefined): string[] {
  const sizing = setting ?? DEFAULT_HEAP_SIZING;
  return sizing === 'balanced' ? [`--max-semi-space-size=${BALANCED_SEMI_SPACE_MB}`] : [];
}

/** The V8 flags a sizing sets once the service runs. */
export function heapSizingFlags(sizing: HeapSizing): string[] {
  switch (sizing) {
    case 'balanced':
      return [`--heap-growing-percent=${BALANCED_HEAP_GROWING_PERCENT}`];
    case 'small':
      return ['--optimize-for-size'];
    case 'v8':
      return [];
  }
}

export function applyHeapSizing(sizing: HeapSizing): void {
  for (const flag of heapSizingFlags(sizing)) setFlagsFromString(flag);
}
