import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  daysFromCivil,
  daysFromIso,
  INVALID_DAY,
  isoFromDays,
  parseUtcDay,
} from '../../../src/sources/focus-timestamp.js';

function day(text: string): string | null {
  const buf = Buffer.from(text, 'latin1');
  const days = parseUtcDay(buf, 0, buf.length);
  return days === INVALID_DAY ? null : isoFromDays(days);
}

describe('parseUtcDay', () => {
  it('reads the timestamp styles real exports use', () => {
    for (const text of [
      '2024-09-18T22:00:00Z',
      '2024-09-18 22:00:00',
      '2024-09-18T22:00:00.000Z',
      '2024-09-18T22:00:00.123456789Z',
      '2024-09-18 22:00:00.5',
      '2024-09-18T22:00:00+00:00',
      '2024-09-18T22:00:00-00:00',
      '2024-09-18T22:00Z',
      '2024-09-18t22:00:00z',
      '2024-09-18',
    ]) {
      expect(day(text), text).toBe('2024-09-18');
    }
  });

  it('converts a non-UTC offset to the UTC day', () => {
    expect(day('2024-09-18T22:00:00-03:00')).toBe('2024-09-19');
    expect(day('2024-09-18T20:59:59-03:00')).toBe('2024-09-18');
    expect(day('2024-09-18T01:00:00+02:00')).toBe('2024-09-17');
    expect(day('2024-09-18T02:00:00+0200')).toBe('2024-09-18');
    expect(day('2024-01-01T05:00:00+09')).toBe('2023-12-31');
    expect(day('2024-02-28T23:30:00.000-01:00')).toBe('2024-02-29');
    expect(day('2023-02-28T23:30:00-01:00')).toBe('2023-03-01');
    expect(day('2024-12-31T23:00:00-05:30')).toBe('2025-01-01');
  });

  it('rejects what is not a timestamp', () => {
    for (const text of [
      '',
      'NULL',
      '2024-9-18',
      '2024-13-01',
      '2024-02-30',
      '2023-02-29',
      '2024-09-18X22:00:00',
      '2024-09-18T25:00:00Z',
      '2024-09-18T22:00:00Q',
      '2024-09-18T22:00:00+2',
      '2024-09-18T22:00:00.Z',
      '18/09/2024',
      '2024-09-18T22:00:00Z trailing',
    ]) {
      expect(day(text), text).toBeNull();
    }
  });

  it('agrees with Date for every day (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -100_000, max: 200_000 }), (n) => {
        const iso = new Date(n * 86_400_000).toISOString().slice(0, 10);
        if (!/^\d{4}-/.test(iso)) return;
        const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
        expect(daysFromCivil(y, m, d)).toBe(n);
        expect(daysFromIso(iso)).toBe(n);
        expect(isoFromDays(n)).toBe(iso);
      }),
    );
  });
});
