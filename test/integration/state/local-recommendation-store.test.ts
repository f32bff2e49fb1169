import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Recommendation } from '../../../src/core/report.js';
import { LocalStateStore } from '../../../src/state/local-state-store.js';

const AT = new Date('2026-11-25T12:00:00Z');

function recommendation(id: string): Recommendation {
  return {
    id,
    poc: 'chatbot-poc',
    reason: 'expired',
    resources: [
      {
        arn: `arn:aws:s3:::${id}`,
        type: 's3:bucket',
        region: 'us-east-1',
        account: '111122223333',
        window: { start: '2026-10-26', end: '2026-11-25', days: 30 },
        evidence: 'no requests',
        monthlyCost: 1_234_567_890_123_456_789n,
        costSource: 'billing-export',
        holdsData: true,
      },
    ],
    estimatedMonthlySavings: 1_234_567_890_123_456_789n,
  };
}

async function freshStore(): Promise<LocalStateStore> {
  return new LocalStateStore(join(await mkdtemp(join(tmpdir(), 'pocketwatch-recstore-')), 'state.json'));
}

describe('LocalStateStore recommendations section', () => {
  it('reads state files without the section, and keeps other sections intact', async () => {
    const store = await freshStore();
    await writeFile(
      store.location,
      JSON.stringify({
        version: 2,
        deliveries: { x: { channel: 'sns', deliveredAt: AT.toISOString() } },
        costCache: {},
      }),
    );
    expect(await store.listRecommendations()).toEqual([]);
    expect(await store.getRecommendation('a')).toBeUndefined();
    await store.recordProposals([recommendation('a')], AT);
    expect(await store.deliveredAlertIds(['x'])).toEqual(new Set(['x']));
    const file = JSON.parse(await readFile(store.location, 'utf8'));
    expect(Object.keys(file.recommendations)).toEqual(['a']);
    expect(file.recommendations.a.recommendation.estimatedMonthlySavings).toBe('1.234567890123456789');
  });

  it('skips a damaged entry instead of failing', async () => {
    const store = await freshStore();
    await writeFile(
      store.location,
      JSON.stringify({ version: 2, deliveries: {}, costCache: {}, recommendations: { bad: { id: 'bad' } } }),
    );
    expect(await store.listRecommendations()).toEqual([]);
  });
});
