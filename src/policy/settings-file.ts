import { checkSettings } from './checks.js';
import { toSettings } from './convert.js';
import { defaultSettings } from './defaults.js';
import { findingToIssue, mergeFindings, withoutErrored } from './finding.js';
import { isRecord } from './guards.js';
import type { Settings } from './model.js';
import type { PolicyIssue } from './policy-issue.js';
import { schemaFindings } from './schema-errors.js';
import { policySchemas } from './schemas.js';
import { readYamlFile, type YamlFile } from './yaml-file.js';

export interface SettingsFileResult {
  /** The file's settings over the defaults; just the defaults when the file has errors. */
  settings: Settings;
  errors: PolicyIssue[];
  warnings: PolicyIssue[];
}

/** Reads settings.yaml. */
export async function readSettingsFile(file: string): Promise<SettingsFileResult> {
  return settingsFromYaml(await readYamlFile(file));
}

/** The settings of a parsed settings file, with every problem found in it. */
export function settingsFromYaml(yaml: YamlFile): SettingsFileResult {
  const { file } = yaml;
  const result: SettingsFileResult = {
    settings: defaultSettings(),
    errors: [...yaml.errors],
    warnings: [...yaml.warnings],
  };
  if (!yaml.parsed) return result;
  const { data, locator } = yaml;
  const position = locator.position([], 'value');

  if (data === null || data === undefined) {
    result.warnings.push({
      file,
      ...position,
      field: '',
      message: 'file is empty; the default settings apply',
    });
    return result;
  }
  if (!isRecord(data)) {
    const found = Array.isArray(data) ? 'a list' : 'a single value';
    result.errors.push({
      file,
      ...position,
      field: '',
      message: `settings must be a map of keys (tagKey:, currency:, ...), not ${found}`,
    });
    return result;
  }

  const validate = policySchemas().settings;
  const valid = validate(data);
  const schemaErrors = valid ? [] : schemaFindings(validate.errors, data);
  const checks = checkSettings(data, result.settings.defaults);
  const errors = mergeFindings(schemaErrors, checks.errors);
  result.errors.push(...errors.map((finding) => findingToIssue(file, locator, finding)));
  result.warnings.push(
    ...withoutErrored(checks.warnings, errors).map((finding) => findingToIssue(file, locator, finding)),
  );
  if (valid && errors.length === 0) {
    result.settings = toSettings(data, result.settings, { file, ...position });
  }
  return result;
}
