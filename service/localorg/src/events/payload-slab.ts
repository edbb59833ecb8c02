import type avro from 'avsc';

/**
 * Avro payloads of retained events, encoded side by side into shared slabs: each payload is a
 * Buffer over its own bytes of a slab instead of a Buffer of its own (avsc's `toBuffer` makes a
 * new zero-filled ArrayBuffer per call and copies into it). The bytes are the same; a million
 * retained events cost a million small views instead of a million separate allocations that the
 * garbage collector tracks one by one. Events expire oldest first, so a slab is let go once the
 * events written into it are.
 */

const SLAB_BYTES = 64 * 1024;

export class PayloadSlabs {
  private slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
  private used = 0;

  /** The value's Avro encoding; throws as `type.toBuffer` does on a value the type rejects. */
  encode(type: avro.Type, value: unknown): Buffer {
    let end = type.encode(value, this.slab, this.used);
    if (end < 0) {
      // Too little room left: `encode` answered the bytes missing (as a negative number).
      const needed = this.slab.length - this.used - end;
      this.slab = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, needed));
      this.used = 0;
      end = type.encode(value, this.slab, 0);
    }
    const payload = this.slab.subarray(this.used, end);
    this.used = end;
    return payload;
  }
}
