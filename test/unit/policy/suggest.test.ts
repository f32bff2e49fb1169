import { describe, expect, it } from 'vitest';
import { closestMatch } from '../../../src/policy/suggest.js';

const BUDGET_KEYS = ['monthly', 'dailyCap', 'total', 'thresholds'];

describe('closestMatch', () => {
  it.each([
    ['monthy', 'monthly'],
    ['montly', 'monthly'],
    ['Monthly', 'monthly'],
    ['dailycap', 'dailyCap'],
    ['daily_cap', 'dailyCap'],
    ['treshold', 'thresholds'],
    ['totl', 'total'],
  ])('suggests %s → %s', (word, expected) => {
    expect(closestMatch(word, BUDGET_KEYS)).toBe(expected);
  });

  it('allows more edits in long words: a third of the length', () => {
    // 3 edits in a 14-letter word.
    expect(closestMatch('expiryWarnDays', ['expiryWarningDays', 'expires'])).toBe('expiryWarningDays');
    // 3 edits in a 6-letter word make a different word.
    expect(closestMatch('target', ['budget'])).toBeUndefined();
    expect(closestMatch('bud', ['budget'])).toBeUndefined();
  });

  it('gives no suggestion when nothing is close', () => {
    expect(closestMatch('colour', BUDGET_KEYS)).toBeUndefined();
    expect(
      closestMatch('region', ['tagKey', 'currency', 'timeZone', 'costMetric', 'defaults']),
    ).toBeUndefined();
  });

  it('does not turn any short word into another', () => {
    expect(closestMatch('foo', ['poc'])).toBeUndefined();
    expect(closestMatch('to', ['poc'])).toBeUndefined();
    expect(closestMatch('x', ['poc'])).toBeUndefined();
    expect(closestMatch('ownr', ['owners'])).toBe('owners');
  });

  it('picks the first of equally close candidates', () => {
    expect(closestMatch('cat', ['bat', 'hat'])).toBe('bat');
  });

  it('handles no candidates', () => {
    expect(closestMatch('monthly', [])).toBeUndefined();
  });
});
