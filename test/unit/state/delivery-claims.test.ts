import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStateStore } from '../../../src/state/local-state-store.js';
import { StateStoreError } from '../../../src/state/state-store.js';

const T0 = new Date('2026-11-19T06:00:00Z');
const LEASE = 60_000;
const at = (ms: number) => new Date(T0.getTime() + ms);
const claim = (owner: string, now = T0, leaseMs = LEASE) => ({ owner, leaseMs, now });
const done = (owner: string, messageId = 'm-1') => ({
  owner,
  channel: 'sns',
  deliveredAt: T0.toISOString(),
  messageId,
});

async function tempPath(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'pocketwatch-claims-')), 'state.json');
}

describe('LocalStateStore delivery claims', () => {
  it('lets one run claim a key, and nobody else while its lease is live', async () => {
    const store = new LocalStateStore(await tempPath());
    expect(await store.claimDelivery('a', claim('run-1'))).toBe(true);
    expect(await store.claimDelivery('a', claim('run-2', at(1000)))).toBe(false);
    // Not even the same run id (a Lambda retry reuses its request id).
    expect(await store.claimDelivery('a', claim('run-1', at(1000)))).toBe(false);
    expect(await store.claimDelivery('b', claim('run-2'))).toBe(true);
  });

  it('lets another run take over a claim once its lease has run out (a crashed run)', async () => {
    const store = new LocalStateStore(await tempPath());
    expect(await store.claimDelivery('a', claim('crashed'))).toBe(true);
    expect(await store.claimDelivery('a', claim('next', at(LEASE - 1)))).toBe(false);
    expect(await store.claimDelivery('a', claim('next', at(LEASE)))).toBe(true);
    // The new holder's lease counts from its own claim.
    expect(await store.claimDelivery('a', claim('third', at(LEASE + 1)))).toBe(false);
  });

  it('marks a completed key delivered: never claimable again, seen by deliveredAlertIds', async () => {
    const path = await tempPath();
    const store = new LocalStateStore(path);
    expect(await store.claimDelivery('a', claim('run-1'))).toBe(true);
    expect(await store.completeDelivery('a', done('run-1', 'msg-a'))).toBe(true);
    expect(await store.deliveredAlertIds(['a', 'b'])).toEqual(new Set(['a']));
    expect(await store.claimDelivery('a', claim('run-2', at(10 * LEASE)))).toBe(false);
    // The first completion is the one kept.
    expect(await store.completeDelivery('a', done('run-2', 'msg-b'))).toBe(false);
    const saved = JSON.parse(await readFile(path, 'utf8'));
    expect(saved.deliveries.a).toEqual({
      channel: 'sns',
      deliveredAt: '2026-11-19T06:00:00.000Z',
      messageId: 'msg-a',
      run: 'run-1',
    });
    // No claim left behind: the file looks like any version 2 file.
    expect(saved.claims).toBeUndefined();
    expect(saved.version).toBe(2);
  });

  it('treats a delivery recorded the old way (recordDeliveries) as delivered', async () => {
    const store = new LocalStateStore(await tempPath());
    await store.recordDeliveries([{ alertId: 'a', channel: 'sns', deliveredAt: T0.toISOString() }]);
    expect(await store.claimDelivery('a', claim('run-1'))).toBe(false);
  });

  it('releases only the claim of its owner', async () => {
    const store = new LocalStateStore(await tempPath());
    expect(await store.claimDelivery('a', claim('run-1'))).toBe(true);
    await store.releaseClaim('a', 'run-2');
    expect(await store.claimDelivery('a', claim('run-2', at(1)))).toBe(false);
    await store.releaseClaim('a', 'run-1');
    expect(await store.claimDelivery('a', claim('run-2', at(2)))).toBe(true);
    expect(await store.deliveredAlertIds(['a'])).toEqual(new Set());
  });

  it('writes nothing when a claim is refused or there is nothing to release', async () => {
    const path = await tempPath();
    const store = new LocalStateStore(path);
    await store.releaseClaim('nothing', 'run-1');
    expect(await readdir(join(path, '..'))).toEqual([]);
    await store.claimDelivery('a', claim('run-1'));
    const before = await readFile(path, 'utf8');
    expect(await store.claimDelivery('a', claim('run-2', at(1)))).toBe(false);
    await store.releaseClaim('a', 'someone-else');
    expect(await readFile(path, 'utf8')).toBe(before);
    expect(JSON.parse(before).claims.a).toEqual({
      owner: 'run-1',
      claimedAt: '2026-11-19T06:00:00.000Z',
      expiresAt: '2026-11-19T06:01:00.000Z',
    });
  });

  it('drops the expired claims of crashed runs when it writes', async () => {
    const path = await tempPath();
    const store = new LocalStateStore(path);
    await store.claimDelivery('old', claim('crashed'));
    await store.claimDelivery('new', claim('run-2', at(2 * LEASE)));
    expect(Object.keys(JSON.parse(await readFile(path, 'utf8')).claims)).toEqual(['new']);
  });

  it('gives exactly one of many concurrent claimers the key', async () => {
    const path = await tempPath();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => new LocalStateStore(path).claimDelivery('a', claim(`run-${i}`))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const owner = JSON.parse(await readFile(path, 'utf8')).claims.a.owner;
    expect(owner).toBe(`run-${results.indexOf(true)}`);
  });

  it('gives exactly one of two processes the key', async () => {
    const path = await tempPath();
    const module = new URL('../../../src/state/local-state-store.ts', import.meta.url).pathname;
    const claimIn = (owner: string) =>
      new Promise<string>((resolve, reject) => {
        const script = `
          import { LocalStateStore } from ${JSON.stringify(module)};
          const store = new LocalStateStore(${JSON.stringify(path)});
          const won = await store.claimDelivery('a', { owner: ${JSON.stringify(owner)}, leaseMs: 60000, now: new Date() });
          process.stdout.write(String(won));
        `;
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
        });
        child.once('error', reject);
        child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
      });
    const results = await Promise.all([claimIn('process-1'), claimIn('process-2')]);
    expect(results.sort()).toEqual(['false', 'true']);
  });

  it('loads a version 2 file without claims, keeps what it had, and stays version 2', async () => {
    const path = await tempPath();
    const original = {
      version: 2,
      deliveries: { old: { channel: 'sns', deliveredAt: '2026-11-01T06:00:00Z' } },
      costCache: { key: { currency: 'USD', days: { '2026-10-01': [] } } },
      activity: { 'arn:aws:lambda:us-east-1:1:function:f': { day: '2026-11-02', threshold: 0 } },
    };
    await writeFile(path, JSON.stringify(original));
    const store = new LocalStateStore(path);
    expect(await store.claimDelivery('old', claim('run-1'))).toBe(false);
    expect(await store.claimDelivery('new', claim('run-1'))).toBe(true);
    const saved = JSON.parse(await readFile(path, 'utf8'));
    expect(saved.version).toBe(2);
    expect(saved.deliveries).toEqual(original.deliveries);
    expect(saved.costCache).toEqual(original.costCache);
    expect(saved.activity).toEqual(original.activity);
    expect(Object.keys(saved.claims)).toEqual(['new']);
    // A version 1 file (deliveries only) loads too.
    await writeFile(path, JSON.stringify({ version: 1, deliveries: { v1: original.deliveries.old } }));
    expect(await store.claimDelivery('v1', claim('run-1'))).toBe(false);
  });

  it('ignores a damaged claim instead of failing the run', async () => {
    const path = await tempPath();
    await writeFile(
      path,
      JSON.stringify({ version: 2, deliveries: {}, claims: { a: { owner: 1 }, b: 'x' } }),
    );
    expect(await new LocalStateStore(path).claimDelivery('a', claim('run-1'))).toBe(true);
  });

  it('refuses a claim without a lease', async () => {
    const store = new LocalStateStore(await tempPath());
    await expect(store.claimDelivery('a', claim('run-1', T0, 0))).rejects.toThrow(StateStoreError);
    await expect(store.claimDelivery('a', claim('run-1', new Date(Number.NaN)))).rejects.toThrow(
      StateStoreError,
    );
  });
});
