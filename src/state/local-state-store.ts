import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { type Delivery, type StateStore, StateStoreError } from './state-store.js';

interface StateFile {
  version: 1;
  deliveries: Record<string, { channel: string; deliveredAt: string }>;
}

const EMPTY: StateFile = { version: 1, deliveries: {} };
const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 10_000;

/** `--state`, else POCKETWATCH_STATE, else the XDG state directory. */
export function defaultStatePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.POCKETWATCH_STATE) return env.POCKETWATCH_STATE;
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'pocketwatch', 'state.json');
}

/**
 * The embedded state store: one JSON file, no server. Writes go to a temporary file that is flushed
 * and renamed over the old one, so a crash mid-write leaves either the old or the new state, never a
 * torn file. A lock file serialises concurrent runs on one machine. A file that cannot be read is an
 * error, never silently reset: an empty state would re-send every alert.
 */
export class LocalStateStore implements StateStore {
  constructor(readonly location: string) {}

  async deliveredAlertIds(alertIds: readonly string[]): Promise<Set<string>> {
    const state = await this.read();
    return new Set(alertIds.filter((id) => id in state.deliveries));
  }

  async recordDeliveries(deliveries: readonly Delivery[]): Promise<string[]> {
    if (deliveries.length === 0) return [];
    return this.update((state) => {
      const added: string[] = [];
      for (const delivery of deliveries) {
        if (delivery.alertId in state.deliveries) continue;
        state.deliveries[delivery.alertId] = { channel: delivery.channel, deliveredAt: delivery.deliveredAt };
        added.push(delivery.alertId);
      }
      return added;
    });
  }

  private async read(): Promise<StateFile> {
    let text: string;
    try {
      text = await readFile(this.location, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return structuredClone(EMPTY);
      throw new StateStoreError(`cannot read the state file: ${(error as Error).message}`, this.location);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new StateStoreError(
        `the state file is not valid JSON (${(error as Error).message}); fix or move it aside, and note that a new state re-sends every alert`,
        this.location,
      );
    }
    if (!isStateFile(parsed)) {
      throw new StateStoreError('the state file is not a pocketwatch state file (version 1)', this.location);
    }
    return parsed;
  }

  private async update<T>(change: (state: StateFile) => T): Promise<T> {
    await mkdir(dirname(this.location), { recursive: true });
    const release = await this.lock();
    try {
      const state = await this.read();
      const result = change(state);
      await this.writeAtomically(`${JSON.stringify(state, null, 1)}\n`);
      return result;
    } finally {
      await release();
    }
  }

  private async writeAtomically(text: string): Promise<void> {
    const temporary = `${this.location}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, this.location);
    // Persist the rename itself; not every platform allows opening a directory, hence the catch.
    const directory = await open(dirname(this.location), 'r').catch(() => undefined);
    await directory?.sync().catch(() => undefined);
    await directory?.close();
  }

  private async lock(): Promise<() => Promise<void>> {
    const lockPath = `${this.location}.lock`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        const handle = await open(lockPath, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        return () => rm(lockPath, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new StateStoreError(`cannot take the lock: ${(error as Error).message}`, this.location);
        }
        if (await isStale(lockPath)) {
          await rm(lockPath, { force: true });
          continue;
        }
        if (Date.now() > deadline) {
          throw new StateStoreError(
            `another run holds ${lockPath}; remove it if no run is active`,
            this.location,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }
}

/** A lock is stale when its holder has died (a crash mid-run) or it is older than any real update. */
async function isStale(lockPath: string): Promise<boolean> {
  const [info, holder] = await Promise.all([
    stat(lockPath).catch(() => undefined),
    readFile(lockPath, 'utf8').catch(() => ''),
  ]);
  if (!info) return false;
  if (Date.now() - info.mtimeMs > LOCK_STALE_MS) return true;
  const pid = Number.parseInt(holder, 10);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function isStateFile(value: unknown): value is StateFile {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<StateFile>;
  return candidate.version === 1 && typeof candidate.deliveries === 'object' && candidate.deliveries !== null;
}
