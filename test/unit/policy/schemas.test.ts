import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { moneyToNumber } from '../../../src/core/money.js';
import { defaultSettings } from '../../../src/policy/defaults.js';
import { policySchemas, schemaDir } from '../../../src/policy/schemas.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function readSchema(name: string): Json {
  return JSON.parse(readFileSync(new URL(`../../../policies/${name}`, import.meta.url), 'utf8'));
}

/** The value at `keys` inside `node`, or undefined. */
function get(node: Json | undefined, ...keys: string[]): Json | undefined {
  let current = node;
  for (const key of keys) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** Calls `visit` for every object in the schema, with a path like `/definitions/policy/properties`. */
function walk(node: Json, path: string, visit: (node: { [key: string]: Json }, path: string) => void): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    node.forEach((child, index) => {
      walk(child, `${path}/${index}`, visit);
    });
    return;
  }
  visit(node, path);
  for (const [key, child] of Object.entries(node)) walk(child, `${path}/${key}`, visit);
}

/** Drops annotations, to compare two schemas' rules. */
function rules(node: Json | undefined): Json | undefined {
  const skip = new Set(['title', 'description', 'default']);
  return node === undefined
    ? undefined
    : JSON.parse(JSON.stringify(node, (key, value) => (skip.has(key) ? undefined : value)));
}

describe.each(['policy.schema.json', 'settings.schema.json'])('%s', (name) => {
  const schema = readSchema(name);

  it('is draft-07, so editors can use it', () => {
    expect(get(schema, '$schema')).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('closes every object with additionalProperties: false', () => {
    const open: string[] = [];
    walk(schema, '', (node, path) => {
      if (node.type === 'object' && node.additionalProperties !== false) open.push(path);
    });
    expect(open).toEqual([]);
  });

  it('gives every property, definition and list item a title and a description, for editor hovers', () => {
    const bare: string[] = [];
    let checked = 0;
    walk(schema, '', (node, path) => {
      const named = path.endsWith('/properties') || path.endsWith('/definitions');
      const entries = named ? Object.entries(node) : [];
      if (path.endsWith('/items') || path.endsWith('/anyOf/1')) entries.push(['', node]);
      for (const [key, child] of entries) {
        // A $ref takes its title and description from the definition, which is checked too.
        if (get(child, '$ref') !== undefined) continue;
        checked += 1;
        const where = key === '' ? path : `${path}/${key}`;
        if (typeof get(child, 'title') !== 'string' || typeof get(child, 'description') !== 'string')
          bare.push(where);
      }
    });
    expect(checked).toBeGreaterThan(12);
    expect(bare).toEqual([]);
  });
});

describe('policy.schema.json', () => {
  const schema = readSchema('policy.schema.json');

  it('accepts one policy or a list of them, for editors', () => {
    expect(get(schema, 'anyOf')).toEqual([
      { $ref: '#/definitions/policy' },
      expect.objectContaining({ type: 'array', items: { $ref: '#/definitions/policy' } }),
    ]);
  });

  it('requires poc and owners only', () => {
    expect(get(schema, 'definitions', 'policy', 'required')).toEqual(['poc', 'owners']);
    expect(get(schema, 'definitions', 'policy', 'properties', 'budget', 'required')).toEqual(['monthly']);
  });

  it('has the same anomaly and threshold rules as settings.schema.json', () => {
    const defaults = get(readSchema('settings.schema.json'), 'properties', 'defaults', 'properties');
    expect(rules(get(defaults, 'thresholds'))).toEqual(rules(get(schema, 'definitions', 'thresholds')));
    expect(rules(get(defaults, 'anomaly'))).toEqual(rules(get(schema, 'definitions', 'anomaly')));
  });
});

describe('settings.schema.json', () => {
  it('documents the defaults the loader applies', () => {
    const properties = get(readSchema('settings.schema.json'), 'properties');
    const defaults = get(properties, 'defaults', 'properties');
    const anomaly = get(defaults, 'anomaly', 'properties');
    const built = defaultSettings();
    expect({
      tagKey: get(properties, 'tagKey', 'default'),
      currency: get(properties, 'currency', 'default'),
      timeZone: get(properties, 'timeZone', 'default'),
      costMetric: get(properties, 'costMetric', 'default'),
      thresholds: get(defaults, 'thresholds', 'default'),
      expiryWarningDays: get(defaults, 'expiryWarningDays', 'default'),
      forecastTrailingDays: get(defaults, 'forecastTrailingDays', 'default'),
      anomaly: {
        baselineDays: get(anomaly, 'baselineDays', 'default'),
        minBaselineDays: get(anomaly, 'minBaselineDays', 'default'),
        factor: get(anomaly, 'factor', 'default'),
        minIncrease: get(anomaly, 'minIncrease', 'default'),
      },
    }).toEqual({
      tagKey: built.tagKey,
      currency: built.currency,
      timeZone: built.timeZone,
      costMetric: built.costMetric,
      thresholds: built.defaults.thresholds,
      expiryWarningDays: built.defaults.expiryWarningDays,
      forecastTrailingDays: built.defaults.forecastTrailingDays,
      anomaly: { ...built.defaults.anomaly, minIncrease: moneyToNumber(built.defaults.anomaly.minIncrease) },
    });
  });
});

describe('policySchemas', () => {
  it('finds the schemas in the package policies/ folder', () => {
    expect(schemaDir()).toBe(fileURLToPath(new URL('../../../policies', import.meta.url)));
  });

  it('compiles once', () => {
    expect(policySchemas()).toBe(policySchemas());
  });

  it('validates one policy map at a time', () => {
    const { policy } = policySchemas();
    expect(policy({ poc: 'a', owners: ['x'] })).toBe(true);
    expect(policy([{ poc: 'a', owners: ['x'] }])).toBe(false);
  });
});
