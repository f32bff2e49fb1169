import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { generateSampleCsv, SAMPLE_AS_OF, SAMPLE_FILE } from '../../scripts/generate-sample.js';
import { bundledPath } from '../../src/package-paths.js';
import { sampleManifest } from '../../src/sources/sample-source.js';

describe('the bundled sample', () => {
  it('is exactly what the deterministic generator writes', () => {
    const committed = gunzipSync(readFileSync(bundledPath('sample', SAMPLE_FILE))).toString('utf8');
    expect(committed === generateSampleCsv()).toBe(true);
  });

  it('has a manifest with its fixed as-of day', () => {
    expect(sampleManifest()).toMatchObject({ file: SAMPLE_FILE, asOf: SAMPLE_AS_OF });
  });
});
