import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  alertDeliveryKey,
  DEFAULT_DELIVERY_LEASE_MS,
  DeliveryLedger,
  recommendationDeliveryKey,
} from '../../../src/delivery/delivery-ledger.js';
import { LocalStateStore } from '../../../src/state/local-state-store.js';

const NOW = new Date('2026-11-19T06:00:00Z');

async function tempStore(): Promise<{ path: string; store: LocalStateStore }> {
  const path = join(await mkdtemp(join(tmpdir(), 'pocketwatch-ledger-')), 'state.json');
  return { path, store: new LocalStateStore(path) };
}

function ledger(store: LocalStateStore, runId: string, now = NOW, leaseMs?: number): DeliveryLedger {
  return new DeliveryLedger(store, { runId, channel: 'sns', now, ...(leaseMs ? { leaseMs } : {}) });
}

describe('delivery keys', () => {
  it('are the alert id, and recommendation:<id>', () => {
    expect(alertDeliveryKey({ id: 'poc:over-budget:2026-11:100' })).toBe('poc:over-budget:2026-11:100');
    expect(recommendationDeliveryKey({ id: 'abc' })).toBe('recommendation:abc');
  });
});

describe('DeliveryLedger', () => {
  it('claims, completes and records who sent what', async () => {
    const { path, store } = await tempStore();
    const run = ledger(store, 'run-1');
    expect(await run.undelivered(['a', 'b'])).toEqual(['a', 'b']);
    expect(await run.claim('a')).toBe(true);
    expect(await run.complete('a', 'message-1')).toBe(true);
    expect(await run.undelivered(['a', 'b'])).toEqual(['b']);
    expect(JSON.parse(await readFile(path, 'utf8')).deliveries.a).toEqual({
      channel: 'sns',
      deliveredAt: NOW.toISOString(),
      messageId: 'message-1',
      run: 'run-1',
    });
  });

  it('gives a key to one of two runs claiming it at once', async () => {
    const { path } = await tempStore();
    const [first, second] = await Promise.all([
      ledger(new LocalStateStore(path), 'run-1').claim('a'),
      ledger(new LocalStateStore(path), 'run-2').claim('a'),
    ]);
    expect([first, second].sort()).toEqual([false, true]);
  });

  it("hands a released key to the next run, and a crashed run's key once its lease is over", async () => {
    const { store } = await tempStore();
    const failed = ledger(store, 'failed');
    expect(await failed.claim('a')).toBe(true);
    await failed.release('a');
    expect(await ledger(store, 'next').claim('a')).toBe(true);

    const crashed = ledger(store, 'crashed', NOW, 5_000);
    expect(await crashed.claim('b')).toBe(true);
    expect(await ledger(store, 'soon', new Date(NOW.getTime() + 4_999)).claim('b')).toBe(false);
    expect(await ledger(store, 'later', new Date(NOW.getTime() + 5_000)).claim('b')).toBe(true);
  });

  it('holds a claim for 30 minutes by default, longer than a Lambda can run', () => {
    expect(DEFAULT_DELIVERY_LEASE_MS).toBe(30 * 60 * 1000);
    expect(ledger({} as LocalStateStore, 'r').leaseMs).toBe(DEFAULT_DELIVERY_LEASE_MS);
  });
});
