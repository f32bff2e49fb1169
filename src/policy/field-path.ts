/** One step into a YAML document: a map key or a list index. */
export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** `['budget', 'monthly']` → `budget.monthly`; `[1, 'owners', 0]` → `[1].owners[0]`. */
export function formatField(path: readonly PathSegment[]): string {
  let field = '';
  for (const segment of path) {
    if (typeof segment === 'number') field += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) field += field === '' ? segment : `.${segment}`;
    else field += `[${JSON.stringify(segment)}]`;
  }
  return field;
}
