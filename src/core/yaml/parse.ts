import type { Node as ParserNode, CollectionTag, Scalar, ScalarTag } from 'yaml';
import type * as YamlLibrary from 'yaml';
import { msg, type Message } from '../message';
import type { Span } from '../text/lineIndex';
import type { ScalarStyle, YamlNode, YamlPair } from './ast';
import { fastParseYaml } from './fastParse';

/** A YAML syntax problem at its exact place. `code` is the parser's own code (e.g. `DUPLICATE_KEY`). */
export interface YamlProblem {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: Message;
  readonly span: Span;
}

export interface ParsedYaml {
  /** The first document's root, or null for an empty document. */
  readonly root: YamlNode | null;
  readonly problems: readonly YamlProblem[];
  /** Anchor name -> node, for alias resolution. Later anchors with the same name win at their position. */
  readonly anchors: ReadonlyMap<string, YamlNode>;
  readonly documentCount: number;
}

/**
 * Compose's own merge tags. They cannot be expressed in JSON Schema; we keep them on the node as `tag`
 * and let the merge logic act on them, instead of reporting them as unknown tags.
 */
const composeTags: (ScalarTag | CollectionTag)[] = ['!reset', '!override'].flatMap((tag): (ScalarTag | CollectionTag)[] => [
  { tag, identify: () => false, resolve: (value: string) => value },
  { tag, collection: 'map', identify: () => false, resolve: (map) => map },
  { tag, collection: 'seq', identify: () => false, resolve: (seq) => seq },
]);

function toSpan(range: readonly [number, number, number] | null | undefined, fallback: Span): Span {
  return range ? { start: range[0], end: range[1] } : fallback;
}

let library: typeof YamlLibrary | undefined;

/**
 * `yaml` is loaded on first use: well-formed files take the fast path and never need it, and evaluating it
 * is a noticeable part of the CLI's start.
 */
function yamlLibrary(): typeof YamlLibrary {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  library ??= require('yaml') as typeof YamlLibrary;
  return library;
}

function scalarStyle(type: Scalar['type']): ScalarStyle {
  switch (type) {
    case 'QUOTE_SINGLE':
      return 'single';
    case 'QUOTE_DOUBLE':
      return 'double';
    case 'BLOCK_LITERAL':
      return 'block-literal';
    case 'BLOCK_FOLDED':
      return 'block-folded';
    default:
      return 'plain';
  }
}

function scalarValue(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  return value instanceof Date ? value.toISOString() : JSON.stringify(value);
}

/**
 * Parses YAML text into our tree and its syntax problems. Never throws: a broken file still yields
 * whatever tree the parser could recover, so the rest of it can be checked.
 *
 * Well-formed files take the fast path (fastParse.ts builds the same tree several times faster); anything
 * it does not fully understand, and every broken file, goes through `yaml`, whose diagnostics we report.
 */
export function parseYaml(text: string): ParsedYaml {
  return fastParseYaml(text) ?? parseYamlWithLibrary(text);
}

/** The `yaml` library's reading of the text: full YAML 1.2, precise errors and recovery. */
export function parseYamlWithLibrary(text: string): ParsedYaml {
  const { isAlias, isMap, isPair, isScalar, isSeq, parseDocument } = yamlLibrary();
  const doc = parseDocument(text, {
    keepSourceTokens: false,
    merge: false,
    prettyErrors: false,
    strict: true,
    uniqueKeys: true,
    customTags: composeTags,
  });
  const anchors = new Map<string, YamlNode>();
  const unknownAliases: YamlNode[] = [];
  const whole: Span = { start: 0, end: text.length };

  const convert = (node: unknown, fallback: Span): YamlNode | null => {
    if (node === null || node === undefined) return null;
    const parserNode = node as ParserNode;
    const span = toSpan(parserNode.range, fallback);
    const tag = parserNode.tag && parserNode.tag.startsWith('!') && !parserNode.tag.startsWith('!!') ? parserNode.tag : undefined;
    let result: YamlNode;
    if (isAlias(node)) {
      result = { kind: 'alias', name: node.source, span };
      if (!anchors.has(node.source)) unknownAliases.push(result);
    } else if (isScalar(node)) {
      result = { kind: 'scalar', value: scalarValue(node.value), style: scalarStyle(node.type), span, ...(tag ? { tag } : {}) };
    } else if (isMap(node)) {
      const items: YamlPair[] = [];
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const key = convert(item.key, span) ?? { kind: 'scalar' as const, value: null, style: 'plain' as const, span };
        const value = convert(item.value, { start: key.span.end, end: key.span.end });
        items.push({ key, value, span: { start: key.span.start, end: value ? value.span.end : key.span.end } });
      }
      result = { kind: 'map', items, flow: node.flow === true, span, ...(tag ? { tag } : {}) };
    } else if (isSeq(node)) {
      const items: YamlNode[] = [];
      for (const item of node.items) {
        const converted = convert(item, span);
        if (converted) items.push(converted);
        else items.push({ kind: 'scalar', value: null, style: 'plain', span });
      }
      result = { kind: 'seq', items, flow: node.flow === true, span, ...(tag ? { tag } : {}) };
    } else {
      return null;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor && !isAlias(node)) {
      result = { ...result, anchor };
      anchors.set(anchor, result);
    }
    return result;
  };

  const root = convert(doc.contents, whole);
  const problems: YamlProblem[] = [];
  for (const [list, severity] of [
    [doc.errors, 'error'],
    [doc.warnings, 'warning'],
  ] as const) {
    for (const problem of list) {
      const [start, end] = problem.pos;
      // The parser reports some problems at a zero-width position; widen to one character so it is visible.
      let span = { start: Math.min(start, text.length), end: Math.min(Math.max(end, start + 1), text.length) };
      if (problem.code === 'MISSING_CHAR' && /quote/i.test(problem.message)) span = openingQuoteSpan(text, start) ?? span;
      problems.push({ severity, code: problem.code, message: describeProblem(problem.code, problem.message), span });
    }
  }
  for (const alias of unknownAliases) {
    if (alias.kind !== 'alias') continue;
    problems.push({ severity: 'error', code: 'UNKNOWN_ALIAS', message: msg('Unknown alias *{0}: no anchor &{0} is defined before it.', alias.name), span: alias.span });
  }
  let documentCount = 1;
  if (doc.errors.length === 0 && /^---/m.test(text)) documentCount = countDocuments(text);
  return { root, problems, anchors, documentCount };
}

/** Plain words for the parser's most common codes; the parser's own sentence otherwise. */
function describeProblem(code: string, parserMessage: string): Message {
  const firstLine = parserMessage.split('\n')[0] ?? parserMessage;
  switch (code) {
    case 'DUPLICATE_KEY':
      return msg('Duplicate key: each key may appear only once in a mapping.');
    case 'TAB_AS_INDENT':
      return msg('Tabs cannot be used for indentation in YAML; use spaces.');
    case 'BAD_INDENT':
      return msg('Bad indentation: {0}', firstLine);
    case 'MISSING_CHAR':
      if (/quote/i.test(firstLine)) return msg('This quoted string is never closed: add the closing quote.');
      return msg('Missing character: {0}', firstLine);
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      return msg('A key cannot span several lines; check the indentation or a missing colon.');
    default:
      return msg('YAML syntax error: {0}', firstLine);
  }
}

/**
 * The parser reports an unclosed quote where the text ends, which is rarely where the mistake is.
 * Point at the opening quote instead: the last quote character before that position, to its line's end.
 */
function openingQuoteSpan(text: string, reportedAt: number): Span | undefined {
  const quote = Math.max(text.lastIndexOf('"', reportedAt - 1), text.lastIndexOf("'", reportedAt - 1));
  if (quote < 0) return undefined;
  const lineEnd = text.indexOf('\n', quote);
  return { start: quote, end: lineEnd < 0 ? text.length : lineEnd };
}

function countDocuments(text: string): number {
  let count = 0;
  for (const line of text.split(/\r?\n/)) if (line.startsWith('---')) count++;
  return Math.max(1, count);
}
