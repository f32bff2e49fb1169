import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import { DEPLOYED_POLICIES_FOLDER } from '../src/lambda/deployed-policies.js';

/** The repository root: entries, the lock file and the schemas are found from here. */
export const PROJECT_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** Where the schemas live in the repository and in a bundle (src/policy/schemas.ts reads them there). */
const SCHEMAS = ['policy.schema.json', 'settings.schema.json'];

/**
 * How every function is bundled, in one place: the CDK construct and the benchmark both build from
 * these values, so what is measured is what is deployed.
 *
 * - ESM for Node.js 22 on arm64, minified, with a source map (without sources, to keep it small).
 * - The AWS SDK is bundled, not taken from the runtime: the versions are the ones pinned and tested
 *   here, and tree-shaking keeps each function's share of it small.
 * - ESM bundles of CommonJS packages still call `require` for Node built-ins: the banner gives them one.
 */
export const LAMBDA_BUNDLE = {
  target: 'node22',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  externalModules: [] as string[],
} as const;

/**
 * Every handler under functions/ and whether its bundle carries the policies (the ones that evaluate
 * or re-check PoCs); the construct and the benchmark both read this.
 */
export const FUNCTION_BUNDLES = {
  'governance-run': { policies: true },
  'approval-endpoint': { policies: false },
  'teardown-worker': { policies: true },
  'member-scan': { policies: true },
} as const satisfies Record<string, { policies: boolean }>;

export type FunctionHandler = keyof typeof FUNCTION_BUNDLES;

/** Options for one function's bundle. */
export interface FunctionBundleOptions {
  /**
   * The validated policies folder to ship with the function (src/lambda/deployed-policies.ts loads it
   * at run time with the normal loader); functions that never read policies leave it out.
   */
  policiesDir?: string;
}

/** NodejsFunction's bundling for a function (local esbuild: no Docker needed). */
export function cdkBundling(options: FunctionBundleOptions = {}): BundlingOptions {
  return {
    format: OutputFormat.ESM,
    target: LAMBDA_BUNDLE.target,
    minify: LAMBDA_BUNDLE.minify,
    sourceMap: LAMBDA_BUNDLE.sourceMap,
    sourcesContent: LAMBDA_BUNDLE.sourcesContent,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    banner: LAMBDA_BUNDLE.banner,
    externalModules: [...LAMBDA_BUNDLE.externalModules],
    bundleAwsSDK: true,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir, outputDir) => afterBundlingCommands(inputDir, outputDir, options),
    },
  };
}

/** The same bundle through esbuild's API, for the benchmark; `outfile` is the bundle's index.mjs. */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: LAMBDA_BUNDLE.target,
    minify: LAMBDA_BUNDLE.minify,
    sourcemap: LAMBDA_BUNDLE.sourceMap,
    sourcesContent: LAMBDA_BUNDLE.sourcesContent,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    banner: { js: LAMBDA_BUNDLE.banner },
    external: [...LAMBDA_BUNDLE.externalModules],
    logLevel: 'warning',
  };
}

/**
 * Shell steps after esbuild: a package.json (the code finds its root by it, and the schemas below it),
 * the schemas, and the policies folder as validated at synth time.
 */
export function afterBundlingCommands(
  inputDir: string,
  outputDir: string,
  options: FunctionBundleOptions,
): string[] {
  const commands = [
    `echo '{"name":"pocketwatch-function","private":true,"type":"module"}' > "${outputDir}/package.json"`,
  ];
  if (options.policiesDir) {
    const schemas = SCHEMAS.map((name) => `"${join(inputDir, 'policies', name)}"`).join(' ');
    commands.push(
      `mkdir -p "${outputDir}/policies" "${outputDir}/${DEPLOYED_POLICIES_FOLDER}"`,
      `cp ${schemas} "${outputDir}/policies/"`,
      `cp -R "${options.policiesDir}/." "${outputDir}/${DEPLOYED_POLICIES_FOLDER}/"`,
    );
  }
  return commands;
}
