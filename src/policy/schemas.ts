import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { isIsoDate } from '../core/calendar.js';
import { bundledPath } from '../package-paths.js';
import type { RawPolicy, RawSettings } from './raw-types.js';

export interface PolicySchemas {
  /** Validates one policy map (a file holds one, or a list of them). */
  policy: ValidateFunction<RawPolicy>;
  settings: ValidateFunction<RawSettings>;
}

const POLICY_SCHEMA = 'policy.schema.json';
const SETTINGS_SCHEMA = 'settings.schema.json';

let compiled: PolicySchemas | undefined;

/** The two schemas, read from the package's policies/ folder and compiled once. */
export function policySchemas(): PolicySchemas {
  compiled ??= compileSchemas();
  return compiled;
}

/** The folder holding the bundled schemas: `policies/` at the package root. */
export function schemaDir(): string {
  return bundledPath('policies');
}

function compileSchemas(): PolicySchemas {
  const dir = schemaDir();
  const read = (name: string): object => JSON.parse(readFileSync(join(dir, name), 'utf8'));
  // verbose: errors carry the failing value and schema, which the messages and suggestions need.
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
  // ajv-formats is CommonJS; under NodeNext its default export arrives as `.default`.
  addFormatsModule.default(ajv, ['uri']);
  // One definition of a calendar date for the whole program.
  ajv.addFormat('date', isIsoDate);
  // Annotation read by editors (VS Code, yaml-language-server) and by our messages; no validation.
  ajv.addKeyword({ keyword: 'patternErrorMessage', schemaType: 'string' });
  ajv.addSchema(read(POLICY_SCHEMA), POLICY_SCHEMA);
  const policy = ajv.getSchema<RawPolicy>(`${POLICY_SCHEMA}#/definitions/policy`);
  if (!policy) throw new Error(`pocketwatch: ${POLICY_SCHEMA} has no definitions/policy`);
  const settings = ajv.compile<RawSettings>(read(SETTINGS_SCHEMA));
  return { policy, settings };
}
