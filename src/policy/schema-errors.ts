import type { ErrorObject } from 'ajv';
import { formatField, type PathSegment } from './field-path.js';
import type { Finding } from './finding.js';
import { isRecord } from './guards.js';
import { closestMatch } from './suggest.js';

/**
 * Turns Ajv's errors for one validated value into plain sentences, one per problem.
 *
 * With allErrors Ajv can report a value twice (`2.5` for an integer ≥ 3 fails both `type` and
 * `minimum`) and a misspelt required key twice (unknown `monthy`, missing `monthly`); only the more
 * telling error of each pair is kept.
 */
export function schemaFindings(errors: readonly ErrorObject[] | null | undefined, data: unknown): Finding[] {
  const ranked: { finding: Finding; rank: number; missing?: string }[] = [];
  for (const error of errors ?? []) {
    const path = instancePath(error.instancePath, data);
    const translated = translate(error, path);
    ranked.push({
      ...translated,
      ...(error.keyword === 'required' ? { missing: formatField(translated.finding.path) } : {}),
    });
  }

  // "did you mean monthly" already says that monthly is missing.
  const suggested = new Set<string>();
  for (const { finding } of ranked) {
    if (finding.anchor === 'key' && finding.suggestion !== undefined) {
      suggested.add(formatField([...finding.path.slice(0, -1), finding.suggestion]));
    }
  }

  const byField = new Map<string, { finding: Finding; rank: number }>();
  for (const entry of ranked) {
    if (entry.missing !== undefined && suggested.has(entry.missing)) continue;
    const field = formatField(entry.finding.path);
    const kept = byField.get(field);
    if (!kept || entry.rank < kept.rank) byField.set(field, entry);
  }
  return [...byField.values()].map((entry) => entry.finding);
}

/** JSON Pointer (`/budget/thresholds/0`) → path segments, with list indexes as numbers. */
export function instancePath(pointer: string, data: unknown): PathSegment[] {
  const path: PathSegment[] = [];
  if (pointer === '') return path;
  let current = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current)) {
      const index = Number(key);
      path.push(index);
      current = current[index];
    } else {
      path.push(key);
      current = isRecord(current) ? current[key] : undefined;
    }
  }
  return path;
}

function translate(error: ErrorObject, path: PathSegment[]): { finding: Finding; rank: number } {
  const params: Record<string, unknown> = error.params;
  const schema: unknown = error.parentSchema;
  const value: unknown = error.data;
  const at = (message: string): { finding: Finding; rank: number } => ({
    finding: { path, anchor: 'value', message },
    rank: 1,
  });

  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys(recordProp(schema, 'properties'));
      const finding: Finding = { path: [...path, key], anchor: 'key', message: `unknown key "${key}"` };
      const suggestion = closestMatch(key, allowed);
      if (suggestion !== undefined) finding.suggestion = suggestion;
      return { finding, rank: 1 };
    }
    case 'required': {
      const key = String(params.missingProperty);
      return {
        finding: { path: [...path, key], anchor: 'parent', message: `missing required key "${key}"` },
        rank: 1,
      };
    }
    case 'type':
      return {
        finding: { path, anchor: 'value', message: typeMessage(String(params.type), value, schema) },
        rank: 0,
      };
    case 'format':
      return at(formatMessage(String(params.format), value));
    case 'minimum':
      return at(
        params.limit === 0
          ? `must not be negative (it is ${value})`
          : `must be at least ${params.limit} (it is ${value})`,
      );
    case 'exclusiveMinimum':
      return at(`must be greater than ${params.limit} (it is ${value})`);
    case 'maximum':
      return at(`must be at most ${params.limit} (it is ${value})`);
    case 'exclusiveMaximum':
      return at(`must be less than ${params.limit} (it is ${value})`);
    case 'minLength':
      return at(
        params.limit === 1 ? 'must not be empty' : `must be at least ${params.limit} characters long`,
      );
    case 'maxLength':
      return at(
        `must be at most ${params.limit} characters long (it has ${typeof value === 'string' ? [...value].length : '?'})`,
      );
    case 'pattern': {
      const message = prop(schema, 'patternErrorMessage');
      return at(
        typeof message === 'string' ? message : `does not match the expected format ${params.pattern}`,
      );
    }
    case 'minItems':
      return at(
        params.limit === 1 ? 'must list at least one entry' : `must list at least ${params.limit} entries`,
      );
    case 'uniqueItems': {
      // Ajv names the two equal items; point at the later one.
      const index = Math.max(Number(params.i), Number(params.j));
      const item = Array.isArray(value) ? value[index] : undefined;
      return {
        finding: { path: [...path, index], anchor: 'value', message: `${show(item)} is listed twice` },
        rank: 1,
      };
    }
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues.map(String) : [];
      const finding: Finding = {
        path,
        anchor: 'value',
        message: `must be one of ${allowed.join(', ')}, not ${show(value)}`,
      };
      const suggestion = typeof value === 'string' ? closestMatch(value, allowed) : undefined;
      if (suggestion !== undefined) finding.suggestion = suggestion;
      return { finding, rank: 1 };
    }
    default:
      return at(error.message ?? `is invalid (${error.keyword})`);
  }
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  integer: 'a whole number',
  string: 'text',
  array: 'a list',
  object: 'a map of keys',
  boolean: 'true or false',
};

function typeMessage(type: string, value: unknown, schema: unknown): string {
  if (prop(schema, 'format') === 'date') {
    if (value instanceof Date) {
      // YAML 1.1 (a `%YAML 1.1` line) or an explicit !!timestamp tag turns dates into timestamps.
      return 'must be a plain YYYY-MM-DD date, but YAML read it as a timestamp (remove any !!timestamp tag or %YAML 1.1 line)';
    }
    return `must be a date written YYYY-MM-DD, not ${describeValue(value)}`;
  }
  const expected = TYPE_NAMES[type] ?? type;
  if (value === null || value === undefined) return `must be ${expected}, but it is empty`;
  return `must be ${expected}, not ${describeValue(value)}${typeHint(type, value, schema)}`;
}

/** A concrete way out for the usual slips: quoted numbers, currency symbols, a lone owner. */
function typeHint(type: string, value: unknown, schema: unknown): string {
  if ((type === 'number' || type === 'integer') && typeof value === 'string') {
    if (value.trim() !== '' && Number.isFinite(Number(value))) return ' (remove the quotes)';
    const digits = value.replace(/[^\d.-]/g, '');
    if (digits !== '' && Number.isFinite(Number(digits))) {
      return ` (write just ${digits}, without a currency or separators)`;
    }
  }
  if (type === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
    return ` (put it in quotes: "${value}")`;
  }
  if (type === 'array' && (typeof value === 'string' || typeof value === 'number')) {
    return ` (write [${value}])`;
  }
  const required = prop(schema, 'required');
  if (type === 'object' && typeof value === 'number' && Array.isArray(required) && required.length === 1) {
    // `budget: 120` for `budget: {monthly: 120}`.
    return ` (did you mean {${required[0]}: ${value}}?)`;
  }
  return '';
}

function formatMessage(format: string, value: unknown): string {
  if (format === 'date') {
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
      return `${show(value)} is not a real date`;
    }
    return `must be a date written YYYY-MM-DD, not ${show(value)}`;
  }
  if (format === 'uri') return `must be a full URL such as https://example.com/page, not ${show(value)}`;
  return `must be a valid ${format}, not ${show(value)}`;
}

/** "the number 3", "the text "$120"", "a list", "a timestamp". */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (value instanceof Date) return 'a timestamp';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `the text ${show(value)}`;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'not-a-number (.nan)';
    if (!Number.isFinite(value)) return 'infinity (.inf)';
    return `the number ${value}`;
  }
  return String(value);
}

function show(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  }
  // A YAML map may hold a key such as "toString", which String() would try to call.
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) return describeValue(value);
  return String(value);
}

function prop(schema: unknown, name: string): unknown {
  return isRecord(schema) ? schema[name] : undefined;
}

function recordProp(schema: unknown, name: string): Record<string, unknown> {
  const value = prop(schema, name);
  return isRecord(value) ? value : {};
}
