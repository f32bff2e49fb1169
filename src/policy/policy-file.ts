import { checkPolicy } from './checks.js';
import { toPolicy } from './convert.js';
import type { PathSegment } from './field-path.js';
import { findingToIssue, mergeFindings, withoutErrored } from './finding.js';
import { isRecord } from './guards.js';
import type { Policy, Settings } from './model.js';
import type { PolicyIssue } from './policy-issue.js';
import { describeValue, schemaFindings } from './schema-errors.js';
import { policySchemas } from './schemas.js';
import { readYamlFile, type YamlFile } from './yaml-file.js';

/** One policy map found in a file, valid or not. */
export interface PolicyEntry {
  poc: string;
  /** Where the `poc` value is written, for duplicate reports. */
  pocAt: PolicyIssue;
  /** Undefined when the entry has errors. */
  policy: Policy | undefined;
}

export interface PolicyFileResult {
  entries: PolicyEntry[];
  errors: PolicyIssue[];
  warnings: PolicyIssue[];
}

/** Reads a policy file: one policy map, or a list of them. */
export async function readPolicyFile(file: string, settings: Settings): Promise<PolicyFileResult> {
  return policiesFromYaml(await readYamlFile(file), settings);
}

/** The policies of a parsed policy file, with every problem found in it. */
export function policiesFromYaml(yaml: YamlFile, settings: Settings): PolicyFileResult {
  const { file } = yaml;
  const result: PolicyFileResult = { entries: [], errors: [...yaml.errors], warnings: [...yaml.warnings] };
  if (!yaml.parsed) return result;
  const { data, locator } = yaml;
  const fileLevel = (message: string): PolicyIssue => ({
    file,
    ...locator.position([], 'value'),
    field: '',
    message,
  });

  let items: { value: unknown; prefix: PathSegment[] }[];
  if (data === null || data === undefined) {
    result.warnings.push(fileLevel('file is empty; it defines no PoC'));
    return result;
  }
  if (Array.isArray(data)) {
    if (data.length === 0) result.warnings.push(fileLevel('file holds an empty list; it defines no PoC'));
    items = data.map((value, index) => ({ value, prefix: [index] }));
  } else if (isRecord(data)) {
    items = [{ value: data, prefix: [] }];
  } else {
    // Validating the top level here, not with anyOf in the schema, keeps Ajv from reporting both branches.
    result.errors.push(
      fileLevel(`must hold a policy map (poc:, owners:, ...) or a list of them, not ${describeValue(data)}`),
    );
    return result;
  }

  const validate = policySchemas().policy;
  for (const { value, prefix } of items) {
    const valid = validate(value);
    const schemaErrors = valid ? [] : schemaFindings(validate.errors, value);
    const checks = checkPolicy(value, settings.defaults);
    const errors = mergeFindings(schemaErrors, checks.errors);
    result.errors.push(...errors.map((finding) => findingToIssue(file, locator, finding, prefix)));
    result.warnings.push(
      ...withoutErrored(checks.warnings, errors).map((finding) =>
        findingToIssue(file, locator, finding, prefix),
      ),
    );

    // An invalid poc already has its error; comparing it for duplicates would only add noise.
    const pocError = errors.some((finding) => finding.path.length === 1 && finding.path[0] === 'poc');
    if (!isRecord(value) || typeof value.poc !== 'string' || pocError) continue;
    const location = { file, ...locator.position(prefix, 'value') };
    const ok = valid && errors.length === 0;
    result.entries.push({
      poc: value.poc,
      pocAt: findingToIssue(file, locator, { path: ['poc'], anchor: 'value', message: '' }, prefix),
      policy: ok ? toPolicy(value, settings, location) : undefined,
    });
  }
  return result;
}
