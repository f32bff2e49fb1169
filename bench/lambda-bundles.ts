/**
 * Benchmark: each Lambda function's bundle size and cold-start import time.
 *
 *   npm run bench:lambda                 # 9 imports per bundle
 *   npm run bench:lambda -- --runs 15
 *
 * Every handler in infra/lambda-bundling.ts's FUNCTION_BUNDLES is bundled exactly as the CDK
 * construct bundles it: the same esbuild options (esbuildOptions) and the same after-bundling steps
 * (package.json, schemas, policies). Then a fresh `node` process imports the bundle, N times; the
 * median time from just before `import()` to just after is the cold-start import time (module
 * evaluation included: SDK clients are built at module level; process start is not). Node runs with
 * --enable-source-maps, as the functions do.
 *
 * Side by side, references:
 * - the same handler bundled without minification and tree-shaking, and
 * - a bare `import('@aws-sdk/client-dynamodb')` from node_modules (what an unbundled function loads
 *   for just one client).
 * And the first use of the policies (import plus loading the shipped policies: YAML and schema
 * compilation), which a function with policies pays once per cold start on its first invocation.
 *
 * Targets (from the issue): under 1 MB per bundle, under 300 ms to import. Exits 1 when an import
 * misses its target. Sizes are reported against theirs (see BENCHMARKS.md for why two bundles are
 * above 1 MB on purpose).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import {
  afterBundlingCommands,
  esbuildOptions,
  FUNCTION_BUNDLES,
  type FunctionHandler,
  PROJECT_ROOT,
} from '../infra/lambda-bundling.js';
import { LAMBDA_ENV } from '../src/lambda/lambda-env.js';

const OUT = join(PROJECT_ROOT, 'bench', 'out', 'lambda');
const SIZE_TARGET_BYTES = 1_000_000;
const IMPORT_TARGET_MS = 300;
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 9;

/** What the stacks set: module-level wiring reads these, so the import evaluates as in Lambda. */
const LAMBDA_LIKE_ENV: Record<string, string> = {
  [LAMBDA_ENV.tableName]: 'pocketwatch-state',
  [LAMBDA_ENV.alertTopicArn]: 'arn:aws:sns:us-east-1:111122223333:alerts',
  [LAMBDA_ENV.digestTopicArn]: 'arn:aws:sns:us-east-1:111122223333:digest',
  [LAMBDA_ENV.approvalKeysSecretArn]: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:keys',
  [LAMBDA_ENV.teardownQueueUrl]: 'https://sqs.us-east-1.amazonaws.com/111122223333/teardown',
  [LAMBDA_ENV.memberRoleName]: 'pocketwatch-member-scan',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  NODE_NO_WARNINGS: '1',
};

interface Row {
  name: string;
  bytes: number;
  gzipBytes: number;
  importMs: number[];
}

async function main(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  const rows: Row[] = [];
  const references: Row[] = [];
  for (const [handler, spec] of Object.entries(FUNCTION_BUNDLES) as Array<
    [FunctionHandler, { policies: boolean }]
  >) {
    const dir = join(OUT, handler);
    await bundle(join(PROJECT_ROOT, 'functions', `${handler}.ts`), dir, spec.policies);
    rows.push(measure(handler, join(dir, 'index.mjs')));

    const plain = join(OUT, `${handler}.unminified`);
    mkdirSync(plain, { recursive: true });
    await build({
      ...esbuildOptions(join(PROJECT_ROOT, 'functions', `${handler}.ts`), join(plain, 'index.mjs')),
      minify: false,
      treeShaking: false,
    });
    writeFileSync(join(plain, 'package.json'), '{"type":"module"}');
    references.push(measure(`${handler} (no minify, no tree-shaking)`, join(plain, 'index.mjs')));
  }

  // The policies' first use: import plus loading them, bundled the same way.
  const policyEntry = join(OUT, 'policy-load-entry.ts');
  writeFileSync(
    policyEntry,
    "import { deployedPolicySet } from '../../../src/lambda/deployed-policies.js';\nawait deployedPolicySet();\n",
  );
  const policyDir = join(OUT, 'policy-load');
  await bundle(policyEntry, policyDir, true);
  references.push(
    measure('import + load the shipped policies', join(policyDir, 'index.mjs'), {
      LAMBDA_TASK_ROOT: policyDir,
    }),
  );

  const sdkProbe = join(OUT, 'bare-sdk-import.mjs');
  writeFileSync(sdkProbe, "await import('@aws-sdk/client-dynamodb');\n");
  references.push(measure('bare @aws-sdk/client-dynamodb from node_modules', sdkProbe));

  print(rows, references);
  const slow = rows.filter((row) => median(row.importMs) >= IMPORT_TARGET_MS);
  if (slow.length > 0) {
    process.stderr.write(`import target missed: ${slow.map((row) => row.name).join(', ')}\n`);
    process.exitCode = 1;
  }
}

/** esbuild with the construct's options, then the construct's after-bundling commands. */
async function bundle(entry: string, dir: string, policies: boolean): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await build(esbuildOptions(entry, join(dir, 'index.mjs')));
  const commands = afterBundlingCommands(
    PROJECT_ROOT,
    dir,
    policies ? { policiesDir: join(PROJECT_ROOT, 'policies') } : {},
  );
  execFileSync('bash', ['-c', commands.join(' && ')], { cwd: PROJECT_ROOT });
}

function measure(name: string, file: string, env: Record<string, string> = {}): Row {
  const driver = `const t=performance.now();await import(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t));`;
  const importMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    const child = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', driver], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', ...LAMBDA_LIKE_ENV, ...env },
    });
    if (child.status !== 0) throw new Error(`importing ${name} failed:\n${child.stderr}`);
    importMs.push(Number(child.stdout));
  }
  const source = readFileSync(file);
  return { name, bytes: statSync(file).size, gzipBytes: gzipSync(source).length, importMs };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function print(rows: readonly Row[], references: readonly Row[]): void {
  const kb = (bytes: number) => (bytes < 1000 ? '—' : `${(bytes / 1000).toFixed(0)} kB`);
  const line = (row: Row, targets: boolean) => {
    const ms = median(row.importMs);
    const size = `${kb(row.bytes)}${targets ? (row.bytes < SIZE_TARGET_BYTES ? ' ✓' : ' ✗') : ''}`;
    const time = `${ms.toFixed(0)} ms${targets ? (ms < IMPORT_TARGET_MS ? ' ✓' : ' ✗') : ''}`;
    const spread = `${Math.min(...row.importMs).toFixed(0)}–${Math.max(...row.importMs).toFixed(0)} ms`;
    return `| ${row.name} | ${size} | ${kb(row.gzipBytes)} | ${time} | ${spread} |`;
  };
  const header = '| bundle | size | gzip | import (median) | range |\n|---|---:|---:|---:|---:|';
  process.stdout.write(
    [
      `Node ${process.version}, ${runs} imports each, --enable-source-maps; targets < 1 MB and < ${IMPORT_TARGET_MS} ms`,
      '',
      header,
      ...rows.map((row) => line(row, true)),
      '',
      'References:',
      '',
      header,
      ...references.map((row) => line(row, false)),
      '',
    ].join('\n'),
  );
}

await main();
