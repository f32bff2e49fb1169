import type { Money } from '../core/money.js';
import type { AmountParts } from './exact-amount.js';

const BIG_1E9 = 10n ** 9n;
const BIG_1E18 = 10n ** 18n;
/**
 * Each fast-path addition moves a part sum by less than 10^9, so doubles stay exact integers for
 * 2^53 / 10^9 ≈ 9 million additions; fold into the BigInt well before that.
 */
const FLUSH_AFTER = 8_000_000;

/**
 * Exact sums per (day, poc id, service id, account id) group, keyed by small integers so a row costs
 * one hash probe and three double additions, not a string key and a BigInt.
 */
export class DailyAggregator {
  private days: Int32Array = new Int32Array(1024);
  private pocs: Int32Array = new Int32Array(1024);
  private services: Int32Array = new Int32Array(1024);
  private accounts: Int32Array = new Int32Array(1024);
  private wholes: Float64Array = new Float64Array(1024);
  private highs: Float64Array = new Float64Array(1024);
  private lows: Float64Array = new Float64Array(1024);
  private additions: Int32Array = new Int32Array(1024);
  private exact: Money[] = [];
  /** Open-addressing slots holding group index + 1 (0 = empty). */
  private table: Int32Array = new Int32Array(2048);
  private mask = 2047;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The group index for a key, created (with a zero sum) when new. */
  group(day: number, poc: number, service: number, account: number): number {
    const hash = hashKey(day, poc, service, account);
    const table = this.table;
    const mask = this.mask;
    let slot = hash & mask;
    for (;;) {
      const entry = table[slot] as number;
      if (entry === 0) break;
      const g = entry - 1;
      if (
        this.days[g] === day &&
        this.pocs[g] === poc &&
        this.services[g] === service &&
        this.accounts[g] === account
      ) {
        return g;
      }
      slot = (slot + 1) & mask;
    }
    return this.create(day, poc, service, account, slot);
  }

  /** Adds a fast-path amount to group g. */
  addParts(g: number, parts: AmountParts): void {
    const wholes = this.wholes;
    const highs = this.highs;
    const lows = this.lows;
    if (parts.negative) {
      wholes[g] = (wholes[g] as number) - parts.whole;
      highs[g] = (highs[g] as number) - parts.high;
      lows[g] = (lows[g] as number) - parts.low;
    } else {
      wholes[g] = (wholes[g] as number) + parts.whole;
      highs[g] = (highs[g] as number) + parts.high;
      lows[g] = (lows[g] as number) + parts.low;
    }
    const additions = (this.additions[g] as number) + 1;
    this.additions[g] = additions;
    if (additions >= FLUSH_AFTER) this.flush(g);
  }

  /** Adds an exact amount (the slow path) to group g. */
  addMoney(g: number, amount: Money): void {
    this.exact[g] = (this.exact[g] as Money) + amount;
  }

  /** Key parts of group g (0 <= g < size). */
  day(g: number): number {
    return this.days[g] as number;
  }

  poc(g: number): number {
    return this.pocs[g] as number;
  }

  service(g: number): number {
    return this.services[g] as number;
  }

  account(g: number): number {
    return this.accounts[g] as number;
  }

  /** The exact total of group g. */
  total(g: number): Money {
    this.flush(g);
    return this.exact[g] as Money;
  }

  private flush(g: number): void {
    const whole = this.wholes[g] as number;
    const high = this.highs[g] as number;
    const low = this.lows[g] as number;
    if (whole !== 0 || high !== 0 || low !== 0) {
      this.exact[g] =
        (this.exact[g] as Money) + BigInt(whole) * BIG_1E18 + BigInt(high) * BIG_1E9 + BigInt(low);
      this.wholes[g] = 0;
      this.highs[g] = 0;
      this.lows[g] = 0;
    }
    this.additions[g] = 0;
  }

  private create(day: number, poc: number, service: number, account: number, slot: number): number {
    const g = this.count++;
    if (g === this.days.length) this.grow();
    this.days[g] = day;
    this.pocs[g] = poc;
    this.services[g] = service;
    this.accounts[g] = account;
    this.wholes[g] = 0;
    this.highs[g] = 0;
    this.lows[g] = 0;
    this.additions[g] = 0;
    this.exact.push(0n);
    if (this.count * 2 > this.table.length) this.rehash(this.table.length * 2);
    else this.table[slot] = g + 1;
    return g;
  }

  private grow(): void {
    const size = this.days.length * 2;
    const int = (old: Int32Array): Int32Array => {
      const next = new Int32Array(size);
      next.set(old);
      return next;
    };
    const float = (old: Float64Array): Float64Array => {
      const next = new Float64Array(size);
      next.set(old);
      return next;
    };
    this.days = int(this.days);
    this.pocs = int(this.pocs);
    this.services = int(this.services);
    this.accounts = int(this.accounts);
    this.additions = int(this.additions);
    this.wholes = float(this.wholes);
    this.highs = float(this.highs);
    this.lows = float(this.lows);
  }

  private rehash(size: number): void {
    this.table = new Int32Array(size);
    this.mask = size - 1;
    for (let g = 0; g < this.count; g++) {
      const hash = hashKey(
        this.days[g] as number,
        this.pocs[g] as number,
        this.services[g] as number,
        this.accounts[g] as number,
      );
      let slot = hash & this.mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & this.mask;
      this.table[slot] = g + 1;
    }
  }
}

function hashKey(day: number, poc: number, service: number, account: number): number {
  let h = Math.imul(day, 0x9e3779b1);
  h = Math.imul(h ^ poc, 0x85ebca77);
  h = Math.imul(h ^ service, 0xc2b2ae3d);
  h = Math.imul(h ^ account, 0x27d4eb2f);
  return h ^ (h >>> 15);
}
