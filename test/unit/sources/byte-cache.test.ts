import { describe, expect, it } from 'vitest';
import { ByteCache } from '../../../src/sources/byte-cache.js';

function cacheOf(maxEntries?: number, maxBytes?: number, repeats = false) {
  const resolved: string[] = [];
  const ids = new Map<string, number>();
  const cache = new ByteCache(
    (buf, start, end) => {
      const text = Buffer.from(buf.subarray(start, end)).toString('utf8');
      resolved.push(text);
      if (!ids.has(text)) ids.set(text, ids.size);
      return ids.get(text) as number;
    },
    { maxEntries, maxBytes, repeats },
  );
  const get = (text: string) => {
    const buf = Buffer.from(`##${text}##`);
    return cache.get(buf, 2, buf.length - 2);
  };
  return { cache, get, resolved };
}

describe('ByteCache', () => {
  it('resolves each distinct value once', () => {
    const { get, resolved, cache } = cacheOf();
    const values = Array.from({ length: 5000 }, (_, i) => `value-${i % 700}`);
    const first = values.map(get);
    const second = values.map(get);
    expect(second).toEqual(first);
    expect(resolved.length).toBe(700);
    expect(cache.size).toBe(700);
    expect(get('')).toBe(get(''));
  });

  it('tells apart values with equal length and shared prefixes', () => {
    const { get } = cacheOf();
    expect(get('ab')).not.toBe(get('ba'));
    expect(get('{"user:poc":"a1"}')).not.toBe(get('{"user:poc":"a2"}'));
  });

  it('starts over when full, so memory stays bounded', () => {
    const { get, cache, resolved } = cacheOf(100);
    for (let i = 0; i < 1000; i++) get(`v${i}`);
    expect(cache.size).toBeLessThanOrEqual(100);
    expect(get('v999')).toBe(999);
    expect(resolved.length).toBe(1000);
  });

  it('checks the previous value first when values repeat', () => {
    const { get, resolved } = cacheOf(undefined, undefined, true);
    const values = ['AWS', 'AWS', 'Azure', 'AWS', 'AW', 'AWS', 'Azure', 'Azure'];
    const ids = values.map(get);
    expect(ids).toEqual([0, 0, 1, 0, 2, 0, 1, 1]);
    expect(resolved).toEqual(['AWS', 'Azure', 'AW']);
    const small = cacheOf(2, undefined, true);
    expect(['a', 'b', 'c', 'a', 'a'].map(small.get)).toEqual([0, 1, 2, 0, 0]);
  });

  it('also bounds the bytes of keys held', () => {
    const { get, cache } = cacheOf(1_000_000, 1000);
    for (let i = 0; i < 100; i++) get(`${'x'.repeat(50)}${i}`);
    expect(cache.size).toBeLessThan(25);
  });
});
