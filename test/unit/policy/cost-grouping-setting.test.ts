import { describe, expect, it } from 'vitest';
import { load } from './policy-dir.js';

const POLICY = 'poc: a\nowners: [x]\n';

describe('settings.costGrouping', () => {
  it.each(['service', 'account'] as const)('reads costGrouping: %s', async (value) => {
    const result = await load({ 'settings.yaml': `costGrouping: ${value}\n`, 'a.yaml': POLICY });
    expect(result.errors).toEqual([]);
    expect(result.policySet?.settings.costGrouping).toBe(value);
  });

  it('rejects another grouping at its place', async () => {
    const result = await load({ 'settings.yaml': 'tagKey: poc\ncostGrouping: region\n', 'a.yaml': POLICY });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ line: 2, field: 'costGrouping' });
  });
});
