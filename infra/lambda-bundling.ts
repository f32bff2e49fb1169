import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import { DEPLOYED_POLICY_SET_FILE } from '../src/lambda/deployed-policies.js';
import { pureSchemaKeys } from './pure-schema-keys.js';

/** The repository root: entries and the lock file are found from here. */
export const PROJECT_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * How every function is bundled, in one place: the CDK construct (through its local bundling) and
 * the benchmark both call `bundleFunction`, so what is measured is what is deployed.
 *
 * - ESM for Node.js 22 on arm64, minified, with a source map (without sources, to keep it small).
 * - The AWS SDK is bundled, not taken from the runtime: the versions are the ones pinned and tested
 *   here, and tree-shaking keeps each function's share of it small (with `pureSchemaKeys`).
 * - ESM bundles of CommonJS packages still call `require` for Node built-ins: the banner gives them one.
 */
export const LAMBDA_BUNDLE = {
  target: 'node22',
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
} as const;

/**
 * Every handler under functions/ and whether its bundle carries the policies (all do: the approval
 * page shows the currency and what each PoC's teardown keeps); the construct and the benchmark read this.
 */
export const FUNCTION_BUNDLES = {
  'governance-run': { policies: true },
  'approval-endpoint': { policies: true },
  'teardown-worker': { policies: true },
  'member-scan': { policies: true },
} as const satisfies Record<string, { policies: boolean }>;

export type FunctionHandler = keyof typeof FUNCTION_BUNDLES;

/** The esbuild options of a function's bundle; `outfile` is the bundle's index.mjs. */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: LAMBDA_BUNDLE.target,
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    mainFields: ['module', 'main'],
    banner: { js: LAMBDA_BUNDLE.banner },
    plugins: [pureSchemaKeys],
    logLevel: 'warning',
  };
}

export function functionEntry(handler: FunctionHandler): string {
  return join(PROJECT_ROOT, 'functions', `${handler}.ts`);
}

/**
 * Bundles one function into `outdir`: index.mjs (+ its source map) and a package.json that makes the
 * folder an ES module package.
 */
export async function bundleFunction(entry: string, outdir: string): Promise<void> {
  mkdirSync(outdir, { recursive: true });
  await build(esbuildOptions(entry, join(outdir, 'index.mjs')));
  writeFileSync(
    join(outdir, 'package.json'),
    '{"name":"pocketwatch-function","private":true,"type":"module"}\n',
  );
}

/** Ships the validated policy set with a bundle (src/lambda/deployed-policies.ts reads it). */
export function shipPolicySet(outdir: string, encodedPolicySet: string): void {
  writeFileSync(join(outdir, DEPLOYED_POLICY_SET_FILE), encodedPolicySet);
}
