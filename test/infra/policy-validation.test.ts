import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { policiesWith } from './support/synth.js';

let policies: { dir: string; cleanup(): void };
let outdir: string;

beforeAll(() => {
  policies = policiesWith('deployment:\n  digestHour: 25\n');
  writeFileSync(
    join(policies.dir, 'broken.yaml'),
    'poc: broken\nowners: [dana@example.com]\nbudget:\n  monthy: 120\n',
  );
  outdir = mkdtempSync(join(tmpdir(), 'pocketwatch-cdk-'));
});
afterAll(() => {
  policies?.cleanup();
  rmSync(outdir, { recursive: true, force: true });
});

/** The CDK app as `cdk synth` runs it (cdk.json: `npx tsx infra/app.ts`), with the CLI's context variables. */
function synthesizeApp(policiesDir: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
    encoding: 'utf8',
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ policiesDir }), CDK_OUTDIR: outdir },
    timeout: 60_000,
  });
}

describe('an invalid policy', () => {
  it('stops synthesis with the located errors `pocketwatch validate` prints', async () => {
    const synth = synthesizeApp(policies.dir);
    const validate = await runCli('validate', policies.dir);
    const errors = validate.stdout.split('\n').filter((line) => line.startsWith('error: '));
    expect(errors).toEqual([
      expect.stringMatching(/settings\.yaml:\d+:\d+ deployment\.digestHour: /),
      expect.stringMatching(
        /broken\.yaml:4:3 budget\.monthy: unknown key "monthy" \(did you mean "monthly"\?\)/,
      ),
    ]);
    expect(synth.status).toBe(1);
    for (const error of errors) expect(synth.stderr).toContain(error);
    expect(synth.stderr).toContain('2 errors in');
    expect(existsSync(join(outdir, 'manifest.json'))).toBe(false);
  });
});
