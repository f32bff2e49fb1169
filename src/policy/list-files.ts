import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface PolicyFileNames {
  /** settings.yaml / settings.yml at the top of the folder; normally zero or one. */
  settings: string[];
  /** Every other *.yaml / *.yml file, recursively, as paths relative to the folder, sorted. */
  policies: string[];
}

const YAML_FILE = /\.ya?ml$/i;
const SETTINGS_FILE = /^settings\.ya?ml$/;

/**
 * Lists the YAML files under `dir`. Throws when `dir` itself cannot be read.
 *
 * Hidden entries (.git, editor backups) are skipped. Symbolic links to files are followed; links to
 * folders are not, so a link loop cannot hang the run.
 */
export async function listPolicyFiles(dir: string): Promise<PolicyFileNames> {
  const names: PolicyFileNames = { settings: [], policies: [] };
  const top = await readdir(dir, { withFileTypes: true });
  await collect(dir, '', top, names, true);
  // Code-point order, so the order never depends on the machine's locale.
  names.settings.sort(byCodePoint);
  names.policies.sort(byCodePoint);
  return names;
}

async function collect(
  dir: string,
  prefix: string,
  entries: Dirent[],
  names: PolicyFileNames,
  top: boolean,
): Promise<void> {
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      const children = await readdir(join(dir, relative), { withFileTypes: true });
      await collect(dir, relative, children, names, false);
      continue;
    }
    if (!YAML_FILE.test(entry.name)) continue;
    if (entry.isSymbolicLink() && !(await isFile(join(dir, relative)))) continue;
    if (!entry.isFile() && !entry.isSymbolicLink()) continue;
    if (top && SETTINGS_FILE.test(entry.name)) names.settings.push(relative);
    else names.policies.push(relative);
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
