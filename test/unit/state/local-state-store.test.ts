import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultStatePath, LocalStateStore } from '../../../src/state/local-state-store.js';
import { StateStoreError } from '../../../src/state/state-store.js';

async function tempStore() {
  const dir = await mkdtemp(join(tmpdir(), 'pocketwatch-state-'));
  return {
    dir,
    path: join(dir, 'nested', 'state.json'),
    store: new LocalStateStore(join(dir, 'nested', 'state.json')),
  };
}

const delivery = (alertId: string) => ({ alertId, channel: 'sns', deliveredAt: '2026-11-19T06:00:00Z' });

describe('LocalStateStore', () => {
  it('starts empty without creating a file, and a run that delivers nothing writes nothing', async () => {
    const { dir, store } = await tempStore();
    expect(await store.deliveredAlertIds(['a'])).toEqual(new Set());
    expect(await store.recordDeliveries([])).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('remembers deliveries across instances and keeps the first', async () => {
    const { path, store } = await tempStore();
    expect(await store.recordDeliveries([delivery('a'), delivery('b')])).toEqual(['a', 'b']);
    const again = new LocalStateStore(path);
    expect(await again.recordDeliveries([{ ...delivery('a'), channel: 'slack' }, delivery('c')])).toEqual([
      'c',
    ]);
    expect(await again.deliveredAlertIds(['a', 'b', 'c', 'd'])).toEqual(new Set(['a', 'b', 'c']));
    const saved = JSON.parse(await readFile(path, 'utf8'));
    expect(saved.deliveries.a.channel).toBe('sns');
  });

  it('serialises concurrent writers without losing a record', async () => {
    const { path } = await tempStore();
    const writers = Array.from({ length: 20 }, (_, i) =>
      new LocalStateStore(path).recordDeliveries([delivery(`id-${i}`)]),
    );
    await Promise.all(writers);
    const ids = Array.from({ length: 20 }, (_, i) => `id-${i}`);
    expect((await new LocalStateStore(path).deliveredAlertIds(ids)).size).toBe(20);
  });

  it('leaves no temporary files behind', async () => {
    const { dir, store } = await tempStore();
    await store.recordDeliveries([delivery('a')]);
    expect(await readdir(join(dir, 'nested'))).toEqual(['state.json']);
  });

  it('refuses a corrupt file instead of starting over', async () => {
    const { path, store } = await tempStore();
    await store.recordDeliveries([delivery('a')]);
    await writeFile(path, '{"version":1,"deliv');
    await expect(store.deliveredAlertIds(['a'])).rejects.toThrow(StateStoreError);
    await expect(store.deliveredAlertIds(['a'])).rejects.toThrow(/not valid JSON/);
  });

  it('finds its default path from the environment', () => {
    expect(defaultStatePath({ POCKETWATCH_STATE: '/x/s.json' })).toBe('/x/s.json');
    expect(defaultStatePath({ XDG_STATE_HOME: '/xdg' })).toBe('/xdg/pocketwatch/state.json');
  });
});

describe('LocalStateStore after a crash', () => {
  it('keeps a readable file and recovers the lock when a writer is killed mid-update', async () => {
    const { spawn } = await import('node:child_process');
    const { path } = await tempStore();
    const script = `
      import { LocalStateStore } from ${JSON.stringify(new URL('../../../src/state/local-state-store.ts', import.meta.url).pathname)};
      const store = new LocalStateStore(${JSON.stringify(path)});
      for (let i = 0; ; i++) await store.recordDeliveries([{ alertId: 'crash-' + i, channel: 'sns', deliveredAt: 'x' }]);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: 'ignore',
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const store = new LocalStateStore(path);
    const before = await store.deliveredAlertIds(Array.from({ length: 100_000 }, (_, i) => `crash-${i}`));
    expect(before.size).toBeGreaterThan(0);
    expect(await store.recordDeliveries([delivery('after-crash')])).toEqual(['after-crash']);
  });
});
