import type { Span } from '../text/lineIndex';

/**
 * Where the cursor is in a YAML file, read from indentation the way a person reads it. Works on text that
 * does not parse yet (the user is in the middle of typing), which a YAML parser cannot promise.
 */
export interface YamlCursor {
  /** Keys from the root to the mapping or list the cursor is in; list items appear as `*`. */
  readonly path: readonly string[];
  /**
   * `key`: typing a key of the mapping at `path`; `value`: after `key:` on the same line (`path` ends with the key);
   * `item`: a list item of the list at `path` (block `- x` or flow `[a, x]`).
   */
  readonly kind: 'key' | 'value' | 'item';
  /** The word being typed and its span (replace it when completing). */
  readonly prefix: string;
  readonly prefixSpan: Span;
}

interface Line {
  readonly start: number;
  readonly text: string;
}

function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const match of text.matchAll(/\r\n|\r|\n/g)) {
    lines.push({ start, text: text.slice(start, match.index) });
    start = (match.index ?? 0) + match[0].length;
  }
  lines.push({ start, text: text.slice(start) });
  return lines;
}

function lineAt(lines: readonly Line[], offset: number): number {
  let low = 0;
  let high = lines.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lines[mid]!.start <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

const KEY_LINE = /^(\s*)(-\s+)?((?:"[^"]*"|'[^']*'|[^\s:#'"][^:#]*?)):(?=\s|$)/;
const stripQuotes = (key: string): string => key.replace(/^(["'])(.*)\1$/, '$2').trim();

/** Keys of the enclosing blocks of a line whose content starts at column `indent`, nearest last. */
function parentsOf(lines: readonly Line[], lineIndex: number, indent: number): string[] {
  const path: string[] = [];
  let current = indent;
  for (let i = lineIndex - 1; i >= 0 && current > 0; i--) {
    const text = lines[i]!.text;
    if (text.trim() === '' || /^\s*#/.test(text) || /^\s*(---|\.\.\.)\s*$/.test(text)) continue;
    const lineIndent = /^\s*/.exec(text)![0].length;
    const key = KEY_LINE.exec(text);
    const dash = /^(\s*)-(\s+|$)/.exec(text);
    if (key) {
      const keyColumn = key[1]!.length + (key[2]?.length ?? 0);
      if (keyColumn < current) {
        path.unshift(stripQuotes(key[3]!));
        current = keyColumn;
      }
      if (key[2] && lineIndent < current) {
        // `- key: value` opens a mapping inside a list item: we are in that item (as a sibling key or below one).
        path.unshift('*');
        current = lineIndent;
      }
    } else if (dash && lineIndent < current) {
      path.unshift('*');
      current = lineIndent;
    } else if (lineIndent < current) {
      current = lineIndent;
    }
  }
  return path;
}

/** Reads the YAML position at `offset`; see {@link YamlCursor}. */
export function yamlCursorAt(text: string, offset: number): YamlCursor {
  const lines = linesOf(text);
  const lineIndex = lineAt(lines, offset);
  const line = lines[lineIndex]!;
  const before = text.slice(line.start, Math.min(offset, line.start + line.text.length));
  const prefixMatch = /[^\s:,[\]{}"'$]*$/.exec(before)!;
  const prefix = prefixMatch[0];
  const prefixSpan = { start: line.start + prefixMatch.index, end: line.start + prefixMatch.index + prefix.length };
  const withPrefix = (path: string[], kind: YamlCursor['kind']): YamlCursor => ({ path, kind, prefix, prefixSpan });

  const key = KEY_LINE.exec(before);
  if (key) {
    // After `key:` on this line: a value, or an item of a flow list `[a, b`.
    const keyColumn = key[1]!.length + (key[2]?.length ?? 0);
    const base = key[2] ? [...parentsOf(lines, lineIndex, key[1]!.length), '*'] : parentsOf(lines, lineIndex, keyColumn);
    const path = [...base, stripQuotes(key[3]!)];
    const rest = before.slice(key[0].length);
    const openFlow = (rest.match(/\[/g)?.length ?? 0) > (rest.match(/]/g)?.length ?? 0);
    return withPrefix(path, openFlow ? 'item' : 'value');
  }
  const dash = /^(\s*)-(?:\s+|$)/.exec(before);
  if (dash) {
    // Several dashes (`- - x`) are rare in compose files; the first one decides.
    return withPrefix(parentsOf(lines, lineIndex, dash[1]!.length), 'item');
  }
  const indent = /^\s*/.exec(before)![0].length;
  return withPrefix(parentsOf(lines, lineIndex, indent), 'key');
}

/** The key under `offset` (on `key:`) with its path from the root, for hovers. */
export function yamlKeyAt(text: string, offset: number): { path: string[]; span: Span } | undefined {
  const lines = linesOf(text);
  const lineIndex = lineAt(lines, offset);
  const line = lines[lineIndex]!;
  const key = KEY_LINE.exec(line.text);
  if (!key) return undefined;
  const keyColumn = key[1]!.length + (key[2]?.length ?? 0);
  const span = { start: line.start + keyColumn, end: line.start + keyColumn + key[3]!.length };
  if (offset < span.start || offset > span.end) return undefined;
  const parents = key[2] ? [...parentsOf(lines, lineIndex, key[1]!.length), '*'] : parentsOf(lines, lineIndex, keyColumn);
  return { path: [...parents, stripQuotes(key[3]!)], span };
}

/** Names declared under a top-level section (`services`, `networks`, `volumes`), in order, read by indentation. */
export function declaredNames(text: string, section: string): { name: string; span: Span }[] {
  const lines = linesOf(text);
  const names: { name: string; span: Span }[] = [];
  const header = lines.findIndex((l) => new RegExp(`^${section}:\\s*(#.*)?$`).test(l.text));
  if (header < 0) return names;
  let childIndent: number | undefined;
  for (let i = header + 1; i < lines.length; i++) {
    const text = lines[i]!.text;
    if (text.trim() === '' || /^\s*#/.test(text)) continue;
    const indent = /^\s*/.exec(text)![0].length;
    if (indent === 0) break;
    childIndent ??= indent;
    if (indent !== childIndent) continue;
    const key = /^\s*("[^"]*"|'[^']*'|[^\s:#'"][^:#]*?):(?=\s|$)/.exec(text);
    if (key) names.push({ name: stripQuotes(key[1]!), span: { start: lines[i]!.start + indent, end: lines[i]!.start + indent + key[1]!.length } });
  }
  return names;
}

/**
 * The rule id under `offset` in a suppression comment (`# blueprint-disable-next-line rule-a, rule-b`), with its
 * span; undefined elsewhere (including the free-text reason after `--`).
 */
export function suppressedRuleAt(text: string, offset: number): { rule: string; span: Span } | undefined {
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  const newline = text.slice(lineStart).search(/[\r\n]/);
  const line = text.slice(lineStart, newline < 0 ? text.length : lineStart + newline);
  const directive = /#\s*blueprint-disable-(?:next-line|file)\b/.exec(line);
  if (!directive) return undefined;
  const idsStart = directive.index + directive[0].length;
  const reasonAt = line.indexOf('--', idsStart);
  const ids = line.slice(idsStart, reasonAt < 0 ? line.length : reasonAt);
  for (const match of ids.matchAll(/[A-Za-z0-9-]+/g)) {
    const start = lineStart + idsStart + (match.index ?? 0);
    const end = start + match[0].length;
    if (offset >= start && offset <= end) return { rule: match[0], span: { start, end } };
  }
  return undefined;
}

/**
 * Entries already written next to the cursor in the same block list or mapping (`- db`, `db:`), or in the same
 * flow list on the cursor's line (`[db, cache, |]`); the cursor's own line is left out.
 */
export function siblingEntries(text: string, offset: number): string[] {
  const lines = linesOf(text);
  const lineIndex = lineAt(lines, offset);
  const line = lines[lineIndex]!;
  const flow = /\[([^\]]*)\]?/.exec(line.text);
  if (flow && line.start + flow.index < offset) {
    const before = text.slice(line.start + flow.index + 1, offset);
    const after = flow[1]!.slice(before.length);
    return [...before.split(',').slice(0, -1), ...after.split(',').slice(1)].map((s) => stripQuotes(s.trim())).filter((s) => s !== '');
  }
  const indent = /^\s*/.exec(line.text)![0].length;
  const entry = (l: string): string | undefined => {
    const item = /^\s*-\s+("[^"]*"|'[^']*'|[^\s:#]+)\s*(#.*)?$/.exec(l);
    if (item) return stripQuotes(item[1]!);
    const key = /^\s*("[^"]*"|'[^']*'|[^\s:#'"][^:#]*?):(?=\s|$)/.exec(l);
    return key ? stripQuotes(key[1]!) : undefined;
  };
  const names: string[] = [];
  for (const step of [-1, 1]) {
    for (let i = lineIndex + step; i >= 0 && i < lines.length; i += step) {
      const l = lines[i]!.text;
      if (l.trim() === '' || /^\s*#/.test(l)) continue;
      const lineIndent = /^\s*/.exec(l)![0].length;
      if (lineIndent < indent) break;
      if (lineIndent > indent) continue;
      const name = entry(l);
      if (name === undefined) break;
      names.push(name);
    }
  }
  return names;
}
