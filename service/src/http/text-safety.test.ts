import { describe, expect, it } from 'vitest';
import { unsafeTextAt } from './text-safety.ts';

describe('unsafeTextAt', () => {
  it('should find a NUL byte or a lone surrogate in keys and values, anywhere', () => {
    expect(unsafeTextAt({ values: { name: 'Acme\u0000' } })).toBe('values.name');
    expect(unsafeTextAt({ list: ['ok', 'bad\uD800'] })).toBe('list[1]');
    expect(unsafeTextAt({ ['k\uDC00']: 1 })).toBe('k\uDC00');
  });

  it('should accept real text, emoji (surrogate pairs) included', () => {
    expect(unsafeTextAt({ name: 'Zoë 😀 株式会社', n: 1, b: true, z: null })).toBeUndefined();
  });
});
