import { join } from 'node:path';
import { defaultSettings } from './defaults.js';
import { listPolicyFiles, type PolicyFileNames } from './list-files.js';
import type { Policy, PolicySet, Settings } from './model.js';
import { type PolicyEntry, readPolicyFile } from './policy-file.js';
import type { PolicyIssue } from './policy-issue.js';
import { readSettingsFile } from './settings-file.js';
import { ioReason } from './yaml-file.js';

export type { PolicyIssue } from './policy-issue.js';

export interface PolicyLoadResult {
  /** Undefined whenever there is an error: a half-read policy folder would under-report spend. */
  policySet: PolicySet | undefined;
  errors: PolicyIssue[];
  warnings: PolicyIssue[];
}

/**
 * Reads every policy under `dir`: settings.yaml (or .yml) at the top, and any other *.yaml / *.yml
 * file, recursively, each holding one policy or a list of them. Bad input never throws; every problem
 * is reported, with its place, in one pass.
 */
export async function loadPolicies(dir: string): Promise<PolicyLoadResult> {
  let names: PolicyFileNames;
  try {
    names = await listPolicyFiles(dir);
  } catch (error) {
    const path =
      error instanceof Error && 'path' in error && typeof error.path === 'string' ? error.path : dir;
    const message = `cannot read policy folder: ${ioReason(error)}`;
    return {
      policySet: undefined,
      errors: [{ file: path, line: 0, column: 0, field: '', message }],
      warnings: [],
    };
  }

  const errors: PolicyIssue[] = [];
  const warnings: PolicyIssue[] = [];
  const settingsFiles = names.settings.map((name) => join(dir, name));
  const policyFiles = names.policies.map((name) => join(dir, name));

  let settings: Settings = defaultSettings();
  const [settingsFile, ...extraSettings] = settingsFiles;
  if (settingsFile !== undefined) {
    const read = await readSettingsFile(settingsFile);
    settings = read.settings;
    errors.push(...read.errors);
    warnings.push(...read.warnings);
  }
  for (const extra of extraSettings) {
    const message = `a second settings file; only ${settingsFile} is read, so merge the two`;
    errors.push({ file: extra, line: 1, column: 1, field: '', message });
  }
  if (policyFiles.length === 0) {
    warnings.push({
      file: dir,
      line: 0,
      column: 0,
      field: '',
      message: 'no policy files (*.yaml, *.yml) found',
    });
  }

  const entries: PolicyEntry[] = [];
  for (const file of policyFiles) {
    const read = await readPolicyFile(file, settings);
    entries.push(...read.entries);
    errors.push(...read.errors);
    warnings.push(...read.warnings);
  }
  errors.push(...duplicatePocs(entries));

  const files = [...settingsFiles, ...policyFiles];
  const order = new Map(files.map((file, index) => [file, index]));
  sortIssues(errors, order);
  sortIssues(warnings, order);
  if (errors.length > 0) return { policySet: undefined, errors, warnings };

  const policies = entries
    .map((entry) => entry.policy)
    .filter((policy): policy is Policy => policy !== undefined);
  return { policySet: { settings, policies, files }, errors, warnings };
}

/** A PoC defined twice would count its spend against two budgets; the second definition is the error. */
function duplicatePocs(entries: readonly PolicyEntry[]): PolicyIssue[] {
  const first = new Map<string, PolicyEntry>();
  const issues: PolicyIssue[] = [];
  for (const entry of entries) {
    const earlier = first.get(entry.poc);
    if (!earlier) {
      first.set(entry.poc, entry);
      continue;
    }
    const where = `${earlier.pocAt.file}:${earlier.pocAt.line}`;
    issues.push({ ...entry.pocAt, message: `PoC "${entry.poc}" is already defined at ${where}` });
  }
  return issues;
}

/** File order as read (folder-level issues first), then line and column. */
function sortIssues(issues: PolicyIssue[], order: ReadonlyMap<string, number>): void {
  const rank = (issue: PolicyIssue): number => order.get(issue.file) ?? -1;
  issues.sort((a, b) => rank(a) - rank(b) || a.line - b.line || a.column - b.column);
}
