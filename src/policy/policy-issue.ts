/**
 * A problem found in a policy folder, pointing at the file, line and column to fix.
 *
 * `line` and `column` are 1-based; both are 0 when the problem has no place in a file (a folder that
 * cannot be read). `field` is a dotted path such as `budget.monthly`, `[1].budget.monthly` in a file
 * that holds a list, or '' when the problem concerns the whole file.
 */
export interface PolicyIssue {
  file: string;
  line: number;
  column: number;
  field: string;
  message: string;
  /** The closest valid name, for "did you mean" hints. */
  suggestion?: string;
}

/** `policies/a.yaml:4:3 budget.monthy: unknown key "monthy" (did you mean "monthly"?)` */
export function formatPolicyIssue(issue: PolicyIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  const field = issue.field === '' ? '' : ` ${issue.field}:`;
  const hint = issue.suggestion === undefined ? '' : ` (did you mean "${issue.suggestion}"?)`;
  return `${where}${field} ${issue.message}${hint}`;
}
