/**
 * Bundles one function: `node --import tsx infra/bundle-function.ts ENTRY OUTDIR`. The construct's
 * local bundling runs this in a child process, since CDK asks for bundles synchronously and esbuild
 * plugins need its asynchronous API.
 */
import { bundleFunction } from './lambda-bundling.js';

const [entry, outdir] = process.argv.slice(2);
if (!entry || !outdir) {
  process.stderr.write('usage: bundle-function.ts ENTRY OUTDIR\n');
  process.exit(2);
}
await bundleFunction(entry, outdir);
