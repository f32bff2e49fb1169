import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RESOURCE_COSTS,
  defaultSettings,
  resourceCostsEnabled,
} from '../../../src/policy/defaults.js';
import { load, yaml } from './policy-dir.js';

const POLICY = 'poc: a\nowners: [x]\n';

function settingsSchema(): { properties: Record<string, Record<string, unknown>> } {
  return JSON.parse(readFileSync(new URL('../../../policies/settings.schema.json', import.meta.url), 'utf8'));
}

describe('settings.resourceCosts', () => {
  it('is a documented boolean whose schema default is the loader default (off)', () => {
    const property = settingsSchema().properties.resourceCosts;
    expect(property).toMatchObject({ type: 'boolean', default: DEFAULT_RESOURCE_COSTS });
    expect(property?.title).toEqual(expect.any(String));
    expect(property?.description).toMatch(/\$0\.01/);
    expect(DEFAULT_RESOURCE_COSTS).toBe(false);
    expect(resourceCostsEnabled(defaultSettings())).toBe(false);
  });

  it('is left out of the settings when the file does not set it', async () => {
    const result = await load({ 'settings.yaml': 'tagKey: poc\n', 'a.yaml': POLICY });
    expect(result.errors).toEqual([]);
    expect(result.policySet?.settings.resourceCosts).toBeUndefined();
    expect(resourceCostsEnabled(result.policySet?.settings ?? defaultSettings())).toBe(false);
  });

  it.each([true, false])('reads resourceCosts: %s', async (value) => {
    const result = await load({ 'settings.yaml': `resourceCosts: ${value}\n`, 'a.yaml': POLICY });
    expect(result.errors).toEqual([]);
    expect(result.policySet?.settings.resourceCosts).toBe(value);
    expect(resourceCostsEnabled(result.policySet?.settings ?? defaultSettings())).toBe(value);
  });

  it('rejects a value that is not true or false, at its place', async () => {
    const result = await load({
      'settings.yaml': yaml`
        tagKey: poc
        resourceCosts: "yes"
      `,
      'a.yaml': POLICY,
    });
    expect(result.errors).toEqual([
      expect.objectContaining({
        line: 2,
        field: 'resourceCosts',
        message: expect.stringMatching(/true or false/),
      }),
    ]);
    expect(result.policySet).toBeUndefined();
  });

  it('suggests the key when it is misspelt', async () => {
    const result = await load({ 'settings.yaml': 'resourceCost: true\n', 'a.yaml': POLICY });
    expect(result.errors).toEqual([
      expect.objectContaining({ message: 'unknown key "resourceCost"', suggestion: 'resourceCosts' }),
    ]);
  });
});
