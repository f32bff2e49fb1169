/** A small HTML tag scanner for tests: enough to check structure and attributes of our own output. */

export interface Tag {
  name: string;
  closing: boolean;
  selfClosing: boolean;
  attributes: Map<string, string>;
  raw: string;
}

const TAG =
  /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/g;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const VOID = new Set(['meta', 'link', 'br', 'hr', 'img', 'input', 'col', 'source', 'wbr', 'area', 'base']);

/** The page without its doctype, comments and <style> content. */
function body(html: string): string {
  return html
    .replace(/^<!doctype html>/i, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/(<style>)[\s\S]*?(<\/style>)/g, '$1$2');
}

export function scanTags(html: string): Tag[] {
  const tags: Tag[] = [];
  for (const match of body(html).matchAll(TAG)) {
    const [raw, slash = '', name = '', attrs = '', self = ''] = match;
    const attributes = new Map<string, string>();
    for (const a of attrs.matchAll(ATTRIBUTE)) {
      attributes.set((a[1] ?? '').toLowerCase(), a[2] ?? a[3] ?? a[4] ?? '');
    }
    tags.push({
      name: name.toLowerCase(),
      closing: slash === '/',
      selfClosing: self === '/',
      attributes,
      raw,
    });
  }
  return tags;
}

/** Text left once every tag is removed: any "<" in it means markup the scanner could not read. */
export function textOutsideTags(html: string): string {
  return body(html).replace(TAG, '');
}

/** Problems with the nesting of tags (empty when every element is closed in order). */
export function nestingProblems(html: string): string[] {
  const stack: string[] = [];
  const problems: string[] = [];
  for (const tag of scanTags(html)) {
    if (VOID.has(tag.name) || tag.selfClosing) continue;
    if (!tag.closing) {
      stack.push(tag.name);
      continue;
    }
    const open = stack.pop();
    if (open !== tag.name) problems.push(`</${tag.name}> closes <${open ?? 'nothing'}>`);
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(' > ')}`);
  return problems;
}

/** Decodes the entities our escaper produces. */
export function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
