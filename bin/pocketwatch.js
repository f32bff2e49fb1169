#!/usr/bin/env node
// The command's entry point; the TypeScript sources are compiled to dist/ by `npm run build`
// (which `npm ci` and `npm start` run).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('pocketwatch: dist/ is missing; run `npm run build` first.');
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
