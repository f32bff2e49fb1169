import { formatField, type PathSegment } from './field-path.js';
import type { PolicyIssue } from './policy-issue.js';
import type { Anchor, YamlLocator } from './yaml-locator.js';

/** A problem in one YAML value, before it is placed in a file. */
export interface Finding {
  /** The value concerned, e.g. ['budget', 'monthly']; a missing key's own path. */
  path: PathSegment[];
  /** Unknown and duplicate keys point at the key, bad values at the value, missing keys at their map. */
  anchor: Anchor;
  message: string;
  suggestion?: string;
}

/** Places a finding about the value at `prefix` (a list item's index, or nothing) in its file. */
export function findingToIssue(
  file: string,
  locator: YamlLocator,
  finding: Finding,
  prefix: readonly PathSegment[] = [],
): PolicyIssue {
  const path = [...prefix, ...finding.path];
  const issue: PolicyIssue = {
    file,
    ...locator.position(path, finding.anchor),
    field: formatField(path),
    message: finding.message,
  };
  if (finding.suggestion !== undefined) issue.suggestion = finding.suggestion;
  return issue;
}

/** `first` plus those of `more` about a field that `first` does not already cover: one error per field. */
export function mergeFindings(first: readonly Finding[], more: readonly Finding[]): Finding[] {
  const fields = new Set(first.map((finding) => formatField(finding.path)));
  return [...first, ...more.filter((finding) => !fields.has(formatField(finding.path)))];
}

/** Drops warnings about a value that already has an error (on itself or inside it): fix that first. */
export function withoutErrored(warnings: readonly Finding[], errors: readonly Finding[]): Finding[] {
  const errored = errors.map((finding) => formatField(finding.path));
  return warnings.filter((warning) => {
    const field = formatField(warning.path);
    return !errored.some(
      (error) => error === field || error.startsWith(`${field}.`) || error.startsWith(`${field}[`),
    );
  });
}
