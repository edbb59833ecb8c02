/**
 * Salesforce record ids: a 3-character key prefix, an instance/pod part and a base-62 counter
 * (15 case-sensitive characters), plus the 3-character case-insensitivity suffix of the
 * 18-character form.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 18-character form of a 15-character id (idempotent on 18-character ids). */
export function to18(id: string): string {
  if (id.length === 18) return id;
  let suffix = '';
  for (let block = 0; block < 3; block++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id.charCodeAt(block * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return id + suffix;
}

/** True for a syntactically valid 15- or 18-character id (suffix checked for 18). */
export function isValidId(value: string): boolean {
  if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(value)) return false;
  return value.length === 15 || to18(value.slice(0, 15)).toLowerCase() === value.toLowerCase();
}

/** The canonical 18-character form of a valid 15/18-character id, else undefined. */
export function normalizeId(value: string): string | undefined {
  return isValidId(value) ? to18(value.slice(0, 15)) : undefined;
}

export function base62(n: number, width: number): string {
  let out = '';
  let rest = Math.floor(n);
  while (rest > 0) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0');
}

/**
 * Hands out ids for one org: per key prefix a counter, so the same sequence of writes always
 * yields the same ids (deterministic seeding and tests rely on it).
 */
export class IdAllocator {
  private readonly counters = new Map<string, number>();

  /** `pod` is two characters that keep two orgs' ids apart, as instance ids do. */
  constructor(private readonly pod: string) {}

  next(keyPrefix: string): string {
    const n = (this.counters.get(keyPrefix) ?? 0) + 1;
    this.counters.set(keyPrefix, n);
    return to18(keyPrefix + this.pod + base62(n, 10));
  }

  /** Makes sure ids already used (loaded from a file) are never handed out again. */
  observe(id: string): void {
    const prefix = id.slice(0, 3);
    if (id.slice(3, 5) !== this.pod) return;
    const n = decodeBase62(id.slice(5, 15));
    if (n > (this.counters.get(prefix) ?? 0)) this.counters.set(prefix, n);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counters);
  }
}

function decodeBase62(s: string): number {
  let n = 0;
  for (const ch of s) n = n * 62 + BASE62.indexOf(ch);
  return n;
}
