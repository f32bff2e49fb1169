import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStateStore } from '../../../src/state/local-state-store.js';

const T0 = new Date('2026-11-25T12:00:00Z');
const T0_SECONDS = T0.getTime() / 1000;

async function freshPath(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'pocketwatch-used-')), 'state.json');
}

describe('LocalStateStore usedTokens section', () => {
  it('reads state files without the section and writes it only once a link is spent', async () => {
    const path = await freshPath();
    await writeFile(
      path,
      JSON.stringify({
        version: 2,
        deliveries: { x: { channel: 'sns', deliveredAt: T0.toISOString() } },
        costCache: {},
      }),
    );
    const store = new LocalStateStore(path, { now: () => T0 });
    expect(await store.wasUsed('n1')).toBe(false);
    await store.recordDeliveries([{ alertId: 'y', channel: 'sns', deliveredAt: T0.toISOString() }]);
    expect(JSON.parse(await readFile(path, 'utf8'))).not.toHaveProperty('usedTokens');

    expect(await store.markUsed('n1', T0_SECONDS + 60)).toBe(true);
    const file = JSON.parse(await readFile(path, 'utf8'));
    expect(file.usedTokens).toEqual({ n1: T0_SECONDS + 60 });
    expect(Object.keys(file.deliveries).sort()).toEqual(['x', 'y']);
  });

  it('drops entries past their expiry whenever it writes, by its own clock', async () => {
    const path = await freshPath();
    let now = T0;
    const store = new LocalStateStore(path, { now: () => now });
    expect(await store.markUsed('short', T0_SECONDS + 10)).toBe(true);
    expect(await store.markUsed('long', T0_SECONDS + 1000)).toBe(true);
    now = new Date(T0.getTime() + 10_000);
    // Reading changes nothing: the expired entry is still in the file, but no longer counts.
    expect(await store.wasUsed('short')).toBe(false);
    expect(Object.keys(JSON.parse(await readFile(path, 'utf8')).usedTokens).sort()).toEqual([
      'long',
      'short',
    ]);
    await store.recordDeliveries([{ alertId: 'a', channel: 'sns', deliveredAt: now.toISOString() }]);
    expect(JSON.parse(await readFile(path, 'utf8')).usedTokens).toEqual({ long: T0_SECONDS + 1000 });
    expect(await store.wasUsed('long')).toBe(true);
    expect(await store.markUsed('long', T0_SECONDS + 1000)).toBe(false);
  });

  it('skips malformed entries instead of failing, and refuses to record a nonce without an expiry', async () => {
    const path = await freshPath();
    await writeFile(
      path,
      JSON.stringify({
        version: 2,
        deliveries: {},
        costCache: {},
        usedTokens: { good: T0_SECONDS + 60, text: 'soon', fraction: 1.5 },
      }),
    );
    const store = new LocalStateStore(path, { now: () => T0 });
    expect(await store.wasUsed('good')).toBe(true);
    expect(await store.wasUsed('text')).toBe(false);
    expect(await store.markUsed('text', T0_SECONDS + 60)).toBe(true);
    await expect(store.markUsed('', T0_SECONDS + 60)).rejects.toThrow(/nonce/);
    await expect(store.markUsed('x', Number.NaN)).rejects.toThrow(/expiry/);
  });
});
