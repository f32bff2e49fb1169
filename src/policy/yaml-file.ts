import { readFile } from 'node:fs/promises';
import { type Document, isAlias, isMap, isNode, isSeq, LineCounter, parseDocument } from 'yaml';
import { errorMessage } from '../core/error-message.js';
import { formatField, type PathSegment } from './field-path.js';
import type { PolicyIssue } from './policy-issue.js';
import { keyText, YamlLocator } from './yaml-locator.js';

export interface YamlFile {
  file: string;
  doc: Document;
  locator: YamlLocator;
  /** The document as plain data; undefined when the file is empty or could not be parsed. */
  data: unknown;
  /** False when the file could not be read or is not valid YAML, so its content must not be checked. */
  parsed: boolean;
  errors: PolicyIssue[];
  warnings: PolicyIssue[];
}

/** Reads and parses one YAML file, reporting I/O and syntax errors and duplicate keys as issues. */
export async function readYamlFile(file: string): Promise<YamlFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const result = parseYaml(file, '');
    result.parsed = false;
    result.errors.push({
      file,
      line: 0,
      column: 0,
      field: '',
      message: `cannot read file: ${ioReason(error)}`,
    });
    return result;
  }
  return parseYaml(file, text);
}

/** Parses YAML text that came from `file`. */
export function parseYaml(file: string, text: string): YamlFile {
  const lineCounter = new LineCounter();
  // Duplicate keys are reported by structureIssues() below, which knows the key's path.
  // logLevel 'error': the yaml package would print its warnings to the console; they are reported below.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, logLevel: 'error' });
  const locator = new YamlLocator(doc, lineCounter);
  const errors: PolicyIssue[] = [];
  const warnings: PolicyIssue[] = [];
  const result: YamlFile = { file, doc, locator, data: undefined, parsed: false, errors, warnings };

  for (const warning of doc.warnings) {
    warnings.push({ file, ...locator.at(warning.pos[0]), field: '', message: `YAML: ${warning.message}` });
  }
  if (doc.errors.length > 0) {
    // One syntax problem often yields several errors on the same line; the first is the useful one.
    const lines = new Set<number>();
    for (const error of doc.errors) {
      const position = locator.at(error.pos[0]);
      if (lines.has(position.line)) continue;
      lines.add(position.line);
      errors.push({ file, ...position, field: '', message: syntaxMessage(error.code, error.message) });
    }
    return result;
  }

  const structural = structureIssues(file, doc, locator, doc.contents, []);
  errors.push(...structural);
  try {
    result.data = doc.toJS();
  } catch (error) {
    // An alias bomb surfaces only when the value is built; an unknown alias, already reported, too.
    if (structural.length === 0) {
      const message = errorMessage(error);
      errors.push({ file, line: 1, column: 1, field: '', message: `YAML: ${message}` });
    }
    return result;
  }
  result.parsed = true;
  return result;
}

function syntaxMessage(code: string, message: string): string {
  if (code === 'MULTIPLE_DOCS') {
    return 'YAML syntax error: a policy file holds one YAML document; list several PoCs with "- poc: ..." instead of separating them with ---';
  }
  return `YAML syntax error: ${message}`;
}

/** Duplicate keys and aliases without an anchor, which the parser itself lets through. */
function structureIssues(
  file: string,
  doc: Document,
  locator: YamlLocator,
  node: unknown,
  path: PathSegment[],
): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  if (isAlias(node) && node.resolve(doc) === undefined) {
    const message = `unknown alias *${node.source}: no &${node.source} anchor before it`;
    issues.push({ file, ...locator.at(rangeStart(node)), field: formatField(path), message });
  } else if (isMap(node)) {
    const firstLine = new Map<string, number>();
    for (const pair of node.items) {
      const key = keyText(pair.key);
      const keyStart = rangeStart(pair.key);
      const seen = firstLine.get(key);
      if (seen === undefined) {
        firstLine.set(key, locator.at(keyStart).line);
      } else {
        issues.push({
          file,
          ...locator.at(keyStart),
          field: formatField([...path, key]),
          message: `duplicate key "${key}" (first set on line ${seen})`,
        });
      }
      issues.push(...structureIssues(file, doc, locator, pair.value, [...path, key]));
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      issues.push(...structureIssues(file, doc, locator, item, [...path, index]));
    });
  }
  return issues;
}

function rangeStart(node: unknown): number {
  return isNode(node) ? (node.range?.[0] ?? 0) : 0;
}

/** "ENOENT: no such file or directory, open 'x'" → "no such file or directory". */
export function ioReason(error: unknown): string {
  if (error instanceof Error && 'code' in error) {
    const code = String(error.code);
    const known: Record<string, string> = {
      ENOENT: 'no such file or directory',
      EACCES: 'permission denied',
      ENOTDIR: 'not a directory',
      EISDIR: 'is a directory',
    };
    return known[code] ?? error.message;
  }
  return errorMessage(error);
}
