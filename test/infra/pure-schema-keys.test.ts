import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction, PROJECT_ROOT } from '../../infra/lambda-bundling.js';
import { literalSchemaKeys } from '../../infra/pure-schema-keys.js';
import { ApiMeter } from '../../src/aws/api-meter.js';
import { Ec2StateReader } from '../../src/inventory/ec2-state.js';
import { useFakeAwsEnv } from '../support/fake-aws-env.js';
import { FakeAwsServer } from '../support/fake-aws-server.js';
import { FakeEc2 } from '../support/fake-ec2.js';

describe('literalSchemaKeys', () => {
  it('spells out computed keys that name a string constant of the module, and nothing else', () => {
    const source = [
      'const _xN = "xmlName";',
      'const _it = "item";',
      'const _q = "a\\"b";',
      'export var L = [1, n0, _L, 0, [() => X$, { [_xN]: _it }]];',
      'export var M = { [_q]: 1, [other]: 2, [_missing]: 3 };',
    ].join('\n');
    expect(literalSchemaKeys(source).split('\n').slice(3)).toEqual([
      'export var L = [1, n0, _L, 0, [() => X$, { "xmlName": _it }]];',
      'export var M = { "a\\"b": 1, [other]: 2, [_missing]: 3 };',
    ]);
  });
});

describe('a bundle built with the plugin', () => {
  const server = new FakeAwsServer();
  let restoreEnv: () => void;
  let outdir: string;
  let endpoint: string;

  beforeAll(async () => {
    new FakeEc2(server)
      .natGateway({
        id: 'nat-1',
        state: 'available',
        tags: { poc: 'alpha', team: 'x' },
        createTime: '2026-01-01T00:00:00.000Z',
      })
      .volume({ id: 'vol-1', state: 'available', tags: { poc: 'beta' } })
      .address({ allocationId: 'eipalloc-1', tags: { poc: 'alpha' } });
    endpoint = await server.start();
    restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL: endpoint });
    outdir = mkdtempSync(join(tmpdir(), 'pocketwatch-probe-'));
    await bundleFunction(join(PROJECT_ROOT, 'test', 'infra', 'fixtures', 'ec2-probe.ts'), outdir);
  });
  afterAll(async () => {
    restoreEnv();
    await server.stop();
    rmSync(outdir, { recursive: true, force: true });
  });

  it('reads EC2 responses exactly as the source does', async () => {
    const reader = new Ec2StateReader({ meter: new ApiMeter() }, { account: '111122223333' });
    const fromSource = [...(await reader.read('poc', ['us-east-1'])).values()];
    reader.destroy();
    expect(fromSource.length).toBeGreaterThan(0);

    // Asynchronous: the fake AWS endpoint answers from this process's event loop.
    const child = await promisify(execFile)(process.execPath, [join(outdir, 'index.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
      timeout: 30_000,
    });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual(fromSource);
  });
});
