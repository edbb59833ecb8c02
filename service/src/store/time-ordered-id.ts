import { randomFillSync } from 'node:crypto';

/**
 * UUID version 7 (RFC 9562, section 5.7: https://www.rfc-editor.org/rfc/rfc9562#section-5.7):
 * 48 bits of Unix time in milliseconds, then random bits, so ids sort by creation time. The
 * rows a pull creates by the million (records, links, per-record results) take these ids: a new
 * key lands at the right end of each B-tree that holds it (primary keys, `Link.recordId`, the
 * results' `recordId`) on SQLite and PostgreSQL alike, instead of on a random page of an index
 * larger than the cache.
 *
 * Ids made in the same millisecond stay in the order they were made (RFC 9562, section 6.2,
 * method 1: a counter in the 12 `rand_a` bits and the top 30 bits of `rand_b`, started at a
 * random value below half its range every millisecond and incremented by one; the last 32 bits
 * stay random). A clock that steps back keeps the last time seen, so ids never go backwards
 * within a process. The version and variant bits make them valid to any UUID check
 * (`z.string().uuid()` accepts versions 1 to 8).
 */

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
/** The counter's width: 12 bits of rand_a and the top 30 bits of rand_b. */
const COUNTER_BITS = 42;
const COUNTER_LIMIT = 2 ** COUNTER_BITS;

/** Random bytes drawn a few kilobytes at a time (one system call per 1,024 ids, not per id). */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
function randomBytes(count: number): number {
  if (poolAt + count > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const at = poolAt;
  poolAt += count;
  return at;
}

let lastMs = -1;
let counter = 0;
let prefixMs = -1;
let prefix = '';

export function timeOrderedId(now: number = Date.now()): string {
  let ms = Math.max(now, lastMs);
  if (ms !== lastMs) {
    const at = randomBytes(6);
    // Below half the range, so a millisecond can hold 2^41 more ids before it overflows.
    counter = pool.readUIntBE(at, 6) % (COUNTER_LIMIT / 2);
  } else {
    counter += 1;
    if (counter >= COUNTER_LIMIT) {
      // 2^41 ids within one millisecond: borrow the next one (still increasing).
      ms += 1;
      counter = pool.readUIntBE(randomBytes(6), 6) % (COUNTER_LIMIT / 2);
    }
  }
  lastMs = ms;
  const tail = randomBytes(4);
  const high = Math.floor(counter / 2 ** 30); // 12 bits: rand_a
  const low = counter % 2 ** 30; // 30 bits: the top of rand_b, under the variant
  if (ms !== prefixMs) {
    // The time's 48 bits, `xxxxxxxx-xxxx-`, written once per millisecond: a page's thousands
    // of ids share a few dozen of them.
    prefixMs = ms;
    prefix =
      HEX[Math.floor(ms / 2 ** 40) & 0xff]! +
      HEX[Math.floor(ms / 2 ** 32) & 0xff]! +
      HEX[(ms >>> 24) & 0xff]! +
      HEX[(ms >>> 16) & 0xff]! +
      '-' +
      HEX[(ms >>> 8) & 0xff]! +
      HEX[ms & 0xff]! +
      '-';
  }
  return (
    prefix +
    HEX[0x70 | (high >>> 8)]! +
    HEX[high & 0xff]! +
    '-' +
    HEX[0x80 | (low >>> 24)]! +
    HEX[(low >>> 16) & 0xff]! +
    '-' +
    HEX[(low >>> 8) & 0xff]! +
    HEX[low & 0xff]! +
    HEX[pool[tail]!]! +
    HEX[pool[tail + 1]!]! +
    HEX[pool[tail + 2]!]! +
    HEX[pool[tail + 3]!]!
  );
}
