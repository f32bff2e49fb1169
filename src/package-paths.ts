import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The installed package's root folder (where package.json, policies/ and sample/ live). Modules run
 * from src/ under the test runner and from dist/ when built, so walk up rather than assume a depth.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('pocketwatch: cannot find the package root');
    dir = parent;
  }
  cached = dir;
  return dir;
}

export function bundledPath(...segments: string[]): string {
  return join(packageRoot(), ...segments);
}
