/**
 * A bounded cache from raw byte strings (CSV field bytes) to small integers.
 *
 * Billing exports repeat the same service names, account ids and tag sets millions of times. Looking
 * the raw bytes up here costs a hash over the bytes and one comparison, and allocates nothing;
 * only a miss decodes the bytes (through `resolve`). When more than `maxEntries` distinct values or
 * `maxBytes` of keys have been seen, the cache starts over, so memory stays bounded on exports where
 * a value (a tag set with per-resource names, say) rarely repeats.
 */
export class ByteCache {
  private keys: Uint8Array;
  private keysView: DataView;
  private lastBuf: Uint8Array | undefined;
  private lastView: DataView = new DataView(new ArrayBuffer(0));
  private keyStart: Int32Array;
  private keyLength: Int32Array;
  private hashes: Int32Array;
  private values: Int32Array;
  /** Open-addressing slots holding entry index + 1 (0 = empty). */
  private table: Int32Array;
  private mask: number;
  private count = 0;
  private used = 0;
  /** Entry of the previous lookup, when `repeats` is set; -1 otherwise. */
  private last = -1;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly repeats: boolean;

  /**
   * @param options.repeats the same value usually comes row after row (a provider, a currency):
   *   check the previous value first, skipping the hash.
   */
  constructor(
    private readonly resolve: (buf: Uint8Array, start: number, end: number) => number,
    options: { maxEntries?: number; maxBytes?: number; repeats?: boolean } = {},
  ) {
    this.maxEntries = options.maxEntries ?? 65_536;
    this.maxBytes = options.maxBytes ?? 16 << 20;
    this.repeats = options.repeats ?? false;
    this.keys = new Uint8Array(4096);
    this.keysView = new DataView(this.keys.buffer);
    this.keyStart = new Int32Array(64);
    this.keyLength = new Int32Array(64);
    this.hashes = new Int32Array(64);
    this.values = new Int32Array(64);
    this.table = new Int32Array(128);
    this.mask = 127;
  }

  /** Distinct keys currently held (for tests). */
  get size(): number {
    return this.count;
  }

  /** The value for buf[start, end), resolving and remembering it on a miss. */
  get(buf: Uint8Array, start: number, end: number): number {
    const length = end - start;
    const last = this.last;
    if (last >= 0 && this.keyLength[last] === length) {
      let at = this.keyStart[last] as number;
      let j = start;
      while (j < end && this.keys[at] === buf[j]) {
        at++;
        j++;
      }
      if (j === end) return this.values[last] as number;
    }
    const view = this.viewOf(buf);
    const wordsEnd = start + (length & ~3);
    // Hash and compare four bytes at a time through DataViews (unaligned reads are fine there).
    let hash = length;
    let i = start;
    for (; i < wordsEnd; i += 4) hash = mix(hash, view.getInt32(i, true));
    let tail = 0;
    for (; i < end; i++) tail = (tail << 8) | (buf[i] as number);
    hash = finish(mix(hash, tail));
    const keysView = this.keysView;
    const keys = this.keys;
    const table = this.table;
    const mask = this.mask;
    let slot = hash & mask;
    for (;;) {
      const entry = table[slot] as number;
      if (entry === 0) break;
      const index = entry - 1;
      if (this.hashes[index] === hash && this.keyLength[index] === length) {
        let at = this.keyStart[index] as number;
        let j = start;
        while (j < wordsEnd && keysView.getInt32(at, true) === view.getInt32(j, true)) {
          at += 4;
          j += 4;
        }
        if (j >= wordsEnd) {
          while (j < end && keys[at] === buf[j]) {
            at++;
            j++;
          }
          if (j === end) {
            if (this.repeats) this.last = index;
            return this.values[index] as number;
          }
        }
      }
      slot = (slot + 1) & mask;
    }
    const value = this.resolve(buf, start, end);
    if (this.count >= this.maxEntries || this.used + length > this.maxBytes) {
      this.clear();
      this.insert(buf, start, end, hash, value);
    } else {
      this.insert(buf, start, end, hash, value, slot);
    }
    return value;
  }

  clear(): void {
    this.table.fill(0);
    this.count = 0;
    this.used = 0;
    this.last = -1;
  }

  private insert(
    buf: Uint8Array,
    start: number,
    end: number,
    hash: number,
    value: number,
    freeSlot = -1,
  ): void {
    const length = end - start;
    if (this.count === this.keyStart.length) this.growEntries();
    if (this.used + length > this.keys.length) {
      const bigger = new Uint8Array(Math.max(this.keys.length * 2, this.used + length));
      bigger.set(this.keys.subarray(0, this.used));
      this.keys = bigger;
      this.keysView = new DataView(bigger.buffer);
    }
    this.keys.set(buf.subarray(start, end), this.used);
    const index = this.count++;
    if (this.repeats) this.last = index;
    this.keyStart[index] = this.used;
    this.keyLength[index] = length;
    this.hashes[index] = hash;
    this.values[index] = value;
    this.used += length;
    if (this.count * 2 > this.table.length) {
      this.rehash(this.table.length * 2);
      return;
    }
    let slot = freeSlot;
    if (slot < 0) {
      slot = hash & this.mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & this.mask;
    }
    this.table[slot] = index + 1;
  }

  private viewOf(buf: Uint8Array): DataView {
    if (buf !== this.lastBuf) {
      this.lastBuf = buf;
      this.lastView = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    return this.lastView;
  }

  private growEntries(): void {
    const size = this.keyStart.length * 2;
    const grow = (old: Int32Array): Int32Array => {
      const next = new Int32Array(size);
      next.set(old);
      return next;
    };
    this.keyStart = grow(this.keyStart);
    this.keyLength = grow(this.keyLength);
    this.hashes = grow(this.hashes);
    this.values = grow(this.values);
  }

  private rehash(size: number): void {
    this.table = new Int32Array(size);
    this.mask = size - 1;
    for (let index = 0; index < this.count; index++) {
      let slot = (this.hashes[index] as number) & this.mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & this.mask;
      this.table[slot] = index + 1;
    }
  }
}

/** One MurmurHash3 step. */
function mix(hash: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  let h = hash ^ k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's final avalanche, so the low bits used for slots depend on every input bit. */
function finish(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
