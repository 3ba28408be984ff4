import type { TextEdit } from '../findings';
import type { Span } from '../text/lineIndex';
import type { YamlMap, YamlNode, YamlPair } from '../yaml/ast';

/**
 * Minimal, formatting-preserving text edits on YAML: new lines are inserted at computed offsets with the
 * indentation the file already uses; nothing else in the file is re-printed, so comments, quotes, blank
 * lines and key order stay as the user wrote them.
 */

/** A block of YAML lines: `[depth, text]`, depth counted in indentation steps below the insertion point. */
export type YamlLines = readonly (readonly [number, string])[];

/** Column (0-based) of an offset within its line. */
export function columnOf(text: string, offset: number): number {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return offset - lineStart;
}

/** The line's leading whitespace for the line holding `offset`. */
export function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}

let lastUnit: { text: string; unit: number } | undefined;

/** The file's indentation step: the smallest positive indent increase between consecutive content lines (2 if none). */
export function indentUnit(text: string): number {
  // Every fix of a file asks; the answer depends only on the text (remembered for the last one).
  if (lastUnit?.text === text) return lastUnit.unit;
  const unit = computeIndentUnit(text);
  lastUnit = { text, unit };
  return unit;
}

function computeIndentUnit(text: string): number {
  let previous = 0;
  let best = Number.POSITIVE_INFINITY;
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    const content = line.trimStart();
    // A `- item` line does not define a mapping step of its own.
    if (indent > previous && !content.startsWith('- ')) best = Math.min(best, indent - previous);
    previous = indent;
  }
  return Number.isFinite(best) && best > 0 && best <= 8 ? best : 2;
}

let lastBreak: { text: string; eol: string } | undefined;

/**
 * The file's line break (`\r\n` when it has one anywhere). Remembered for the last text: every fix of a file
 * asks, and looking for a `\r\n` a file lacks reads all of it (a fix per service of a 1,000-service file read
 * the whole file a thousand times).
 */
export function lineBreak(text: string): string {
  if (lastBreak?.text === text) return lastBreak.eol;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  lastBreak = { text, eol };
  return eol;
}

/** The offset of the end of the line that holds `offset` (before its line break). */
export function endOfLine(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  if (newline < 0) return text.length;
  return text[newline - 1] === '\r' ? newline - 1 : newline;
}

/** The last offset that belongs to a node's content (skips a trailing line break the parser may include). */
function contentEnd(text: string, span: Span): number {
  let end = span.end;
  while (end > span.start && /\s/.test(text[end - 1] ?? '')) end--;
  return end;
}

function render(lines: YamlLines, baseIndent: string, unit: number, eol: string): string {
  // Parts joined once (a flat string, no intermediate line strings): a fix per service of a large file renders thousands of these.
  const prefix = eol + baseIndent;
  const parts = new Array<string>(lines.length * 3);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    parts[3 * i] = prefix;
    parts[3 * i + 1] = spaces(unit * line[0]);
    parts[3 * i + 2] = line[1];
  }
  return parts.join('');
}

const SPACES: string[] = [];

/** `' '.repeat(count)`, remembered for the few counts an indentation uses. */
function spaces(count: number): string {
  if (count < 0 || count > 64 || !Number.isInteger(count)) return ' '.repeat(count);
  return (SPACES[count] ??= ' '.repeat(count));
}

/**
 * Inserts lines as new entries at the end of a block mapping, indented like its existing keys. Returns
 * undefined for flow mappings (`{...}`), which we do not rewrite.
 */
export function appendToMap(text: string, map: YamlMap, lines: YamlLines): TextEdit | undefined {
  if (map.flow) return undefined;
  const first = map.items[0];
  if (!first) return undefined;
  const indent = ' '.repeat(columnOf(text, first.key.span.start));
  const last = map.items[map.items.length - 1] as YamlPair;
  const at = endOfLine(text, Math.max(last.span.start, contentEnd(text, last.span) - 1));
  return { span: { start: at, end: at }, newText: render(lines, indent, indentUnit(text), lineBreak(text)) };
}

/**
 * Gives a key that has no value (`web:` or `web: ` or `web: {}` / `web: null`) a block mapping of lines,
 * one indentation step below the key.
 */
export function fillEmptyValue(text: string, key: YamlNode, value: YamlNode | null, lines: YamlLines): TextEdit | undefined {
  const unit = indentUnit(text);
  const indent = ' '.repeat(columnOf(text, key.span.start) + unit);
  const eol = lineBreak(text);
  if (value && !(value.kind === 'map' && value.items.length === 0) && !(value.kind === 'scalar' && value.value === null)) return undefined;
  // Replace from the end of the key's colon to the end of the value (or the line) with the block.
  const colon = text.indexOf(':', key.span.end);
  if (colon < 0) return undefined;
  const end = value && value.span.end > value.span.start ? contentEnd(text, value.span) : colon + 1;
  return { span: { start: colon + 1, end }, newText: render(lines, indent, unit, eol) };
}

/** Adds entries to a map node: appended when it has entries, filled in when it is empty. */
export function addToMap(text: string, key: YamlNode, value: YamlNode | null, lines: YamlLines): TextEdit | undefined {
  if (value?.kind === 'map' && value.items.length > 0) return appendToMap(text, value, lines);
  return fillEmptyValue(text, key, value, lines);
}

/** Removes a whole top-level or nested pair, with its line break and any comment lines directly above it that belong to it. */
export function removePair(text: string, pair: YamlPair): TextEdit {
  const lineStart = text.lastIndexOf('\n', pair.key.span.start - 1) + 1;
  const end = endOfLine(text, contentEnd(text, pair.span));
  const after = text[end] === '\r' ? end + 2 : text[end] === '\n' ? end + 1 : end;
  return { span: { start: lineStart, end: after }, newText: '' };
}

/** Replaces the text of a span. */
export function replaceSpan(span: Span, newText: string): TextEdit {
  return { span, newText };
}

/** Quotes a value for YAML when a plain scalar would change its meaning. */
export function yamlString(value: string): string {
  return /^[\w./-]+$/.test(value) && !/^(true|false|yes|no|on|off|null|~|\d[\d.]*)$/i.test(value) ? value : JSON.stringify(value);
}
