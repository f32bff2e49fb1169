import { type Document, isAlias, isMap, isNode, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { PathSegment } from './field-path.js';

export interface Position {
  line: number;
  column: number;
}

/** What a position should point at: a map key, its value, or the map that holds the key. */
export type Anchor = 'key' | 'value' | 'parent';

interface Walked {
  /** The deepest node reached; undefined only for an empty document. */
  node: Node | undefined;
  /** The key under which `node` sits, when it sits in a map. */
  key: Node | undefined;
  /** How many path segments were found. */
  depth: number;
}

/** Maps a path into a parsed YAML document (as JSON Schema reports it) to a 1-based line and column. */
export class YamlLocator {
  constructor(
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
  ) {}

  /** Line and column of a character offset in the source. */
  at(offset: number): Position {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line: Math.max(line, 1), column: Math.max(col, 1) };
  }

  /** Where the node of `path` starts; falls back to the deepest part of the path that exists. */
  position(path: readonly PathSegment[], anchor: Anchor): Position {
    const target = anchor === 'parent' ? path.slice(0, -1) : path;
    const walked = this.walk(target);
    const complete = walked.depth === target.length;
    const preferValue = complete && anchor === 'value' && !isEmptyScalar(walked.node);
    const node = preferValue ? walked.node : (walked.key ?? walked.node);
    return this.at(node?.range?.[0] ?? 0);
  }

  private walk(path: readonly PathSegment[]): Walked {
    let node = this.resolve(this.doc.contents);
    let key: Node | undefined;
    let depth = 0;
    for (const segment of path) {
      if (isMap(node)) {
        // The last duplicate wins in the parsed value, so point at the last one too.
        const pair = node.items.findLast((item) => keyText(item.key) === String(segment));
        if (!pair) break;
        key = isNode(pair.key) ? pair.key : undefined;
        const value = this.resolve(pair.value);
        // `key:` with nothing after it may have no value node at all.
        node = value ?? key;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = this.resolve(node.items[segment]);
        if (!item) break;
        key = undefined;
        node = item;
      } else {
        break;
      }
      depth += 1;
    }
    return { node, key, depth };
  }

  private resolve(value: unknown): Node | undefined {
    if (isAlias(value)) return this.resolve(value.resolve(this.doc));
    return isNode(value) ? value : undefined;
  }
}

/** A map key as the parsed value names it. */
export function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

/** `key:` with nothing after it: point at the key, not at the empty spot after the colon. */
function isEmptyScalar(node: Node | undefined): boolean {
  return isScalar(node) && node.value === null && node.range != null && node.range[0] === node.range[1];
}
