import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStateStore } from '../../../src/state/local-state-store.js';
import { describeStateStoreContract } from '../../support/state-store-contract.js';

describeStateStoreContract('LocalStateStore', async () => {
  const path = join(await mkdtemp(join(tmpdir(), 'pocketwatch-contract-')), 'state.json');
  return () => new LocalStateStore(path);
});
