import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';
import { loadPolicies, type PolicyLoadResult } from '../../../src/policy/load-policies.js';

/**
 * Strips the common indentation and the first newline of an inline YAML block, so a test can show
 * the file exactly as written, and line numbers in assertions count from its first line.
 */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, '');
  const lines = text.split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)?.[0].length ?? 0);
  const indent = Math.min(...indents);
  return lines
    .map((line) => line.slice(indent))
    .join('\n')
    .replace(/[ ]+$/, '');
}

/** Writes `files` (relative path → content) to a fresh temporary folder, removed after the test. */
export async function policyDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pocketwatch-policies-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

/** Loads a temporary folder holding `files`; `at(name)` is the path issues name for a file. */
export async function load(
  files: Record<string, string>,
): Promise<PolicyLoadResult & { dir: string; at: (name: string) => string }> {
  const dir = await policyDir(files);
  const result = await loadPolicies(dir);
  return { ...result, dir, at: (name) => join(dir, name) };
}
