/**
 * Benchmark: each Lambda function's bundle size and cold-start import time.
 *
 *   npm run bench:lambda                 # 9 imports per bundle
 *   npm run bench:lambda -- --runs 15
 *
 * Every handler in infra/lambda-bundling.ts's FUNCTION_BUNDLES is bundled exactly as the CDK
 * construct bundles it (bundleFunction, then the shipped policy set). Then a fresh `node` process imports the bundle, N times; the
 * median time from just before `import()` to just after is the cold-start import time (module
 * evaluation included: SDK clients are built at module level; process start is not). Node runs with
 * --enable-source-maps, as the functions do.
 *
 * Side by side, references:
 * - the same handler bundled without the pure-schema-keys plugin (the SDK's schemas kept whole),
 * - the same handler bundled without minification and tree-shaking, and
 * - a bare `import('@aws-sdk/client-dynamodb')` from node_modules (what an unbundled function loads
 *   for just one client).
 * And the first use of the policies (import plus reading the shipped policy set), which a function
 * with policies pays once per cold start on its first invocation.
 *
 * Targets (from the issue): under 1 MB (1,000,000 bytes) per bundle, under 300 ms to import. Exits 1
 * when a bundle misses either.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import {
  bundleFunction,
  esbuildOptions,
  FUNCTION_BUNDLES,
  type FunctionHandler,
  functionEntry,
  PROJECT_ROOT,
  shipPolicySet,
} from '../infra/lambda-bundling.js';
import { pureSchemaKeys } from '../infra/pure-schema-keys.js';
import { LAMBDA_ENV } from '../src/lambda/lambda-env.js';
import { loadPolicies } from '../src/policy/load-policies.js';
import { encodePolicySet } from '../src/policy/policy-set-json.js';

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
  const { policySet } = await loadPolicies(join(PROJECT_ROOT, 'policies'));
  if (!policySet) throw new Error('the bundled policies do not load');
  const policies = encodePolicySet(policySet);
  const rows: Row[] = [];
  const references: Row[] = [];
  for (const [handler, spec] of Object.entries(FUNCTION_BUNDLES) as Array<
    [FunctionHandler, { policies: boolean }]
  >) {
    const dir = join(OUT, handler);
    await bundleFunction(functionEntry(handler), dir);
    if (spec.policies) shipPolicySet(dir, policies);
    rows.push(measure(handler, join(dir, 'index.mjs'), { LAMBDA_TASK_ROOT: dir }));

    // What the SDK's schemas cost without the plugin that makes them tree-shakeable.
    const withoutPlugin = join(OUT, `${handler}.schemas-kept`);
    mkdirSync(withoutPlugin, { recursive: true });
    await build({ ...esbuildOptions(functionEntry(handler), join(withoutPlugin, 'index.mjs')), plugins: [] });
    writeFileSync(join(withoutPlugin, 'package.json'), '{"type":"module"}');
    references.push(measure(`${handler} (without ${pureSchemaKeys.name})`, join(withoutPlugin, 'index.mjs')));

    const plain = join(OUT, `${handler}.unminified`);
    mkdirSync(plain, { recursive: true });
    await build({
      ...esbuildOptions(functionEntry(handler), join(plain, 'index.mjs')),
      minify: false,
      treeShaking: false,
    });
    writeFileSync(join(plain, 'package.json'), '{"type":"module"}');
    references.push(measure(`${handler} (no minify, no tree-shaking)`, join(plain, 'index.mjs')));
  }

  // The policies' first use: import plus reading the shipped policy set, bundled the same way.
  const policyEntry = join(OUT, 'policy-load-entry.ts');
  writeFileSync(
    policyEntry,
    "import { deployedPolicySet } from '../../../src/lambda/deployed-policies.js';\nawait deployedPolicySet();\n",
  );
  const policyDir = join(OUT, 'policy-load');
  await bundleFunction(policyEntry, policyDir);
  shipPolicySet(policyDir, policies);
  references.push(
    measure('import + read the shipped policy set', join(policyDir, 'index.mjs'), {
      LAMBDA_TASK_ROOT: policyDir,
    }),
  );

  const sdkProbe = join(OUT, 'bare-sdk-import.mjs');
  writeFileSync(sdkProbe, "await import('@aws-sdk/client-dynamodb');\n");
  references.push(measure('bare @aws-sdk/client-dynamodb from node_modules', sdkProbe));

  print(rows, references);
  const missed = rows.filter(
    (row) => median(row.importMs) >= IMPORT_TARGET_MS || row.bytes >= SIZE_TARGET_BYTES,
  );
  if (missed.length > 0) {
    process.stderr.write(`target missed: ${missed.map((row) => row.name).join(', ')}\n`);
    process.exitCode = 1;
  }
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
