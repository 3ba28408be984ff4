import type { Span } from '../text/lineIndex';
import type { ScalarStyle, YamlAlias, YamlMap, YamlNode, YamlPair, YamlScalar, YamlSeq } from './ast';
import { NamedEntries } from './namedEntries';
import type { ParsedYaml } from './parse';

/**
 * A focused YAML parser for the well-formed block YAML compose files are written in: block and flow
 * collections, plain, quoted and block scalars, comments, anchors, aliases and Compose's `!reset` and
 * `!override` tags. It builds the same tree (values, styles and spans) as the `yaml` library does, several
 * times faster: `yaml`'s Document composer costs ten times a bare parse, and the check runs on every keystroke.
 *
 * It gives up (returns undefined) on anything it does not fully understand, and on every error, duplicate
 * key or unknown alias: `parseYaml` then parses with `yaml`, which reports the problem at its exact place.
 * So an answer from here is always a valid document, and a broken one always gets `yaml`'s diagnostics.
 * test/unit/yamlFastParse.test.ts compares both parsers' trees over the corpus and generated files.
 */
export function fastParseYaml(text: string): ParsedYaml | undefined {
  try {
    return new FastParser(text).parse();
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

/** Thrown (one preallocated instance, so giving up costs no stack capture) when the fast path steps aside. */
const GIVE_UP = new Error('not for the fast path');
function giveUp(): never {
  throw GIVE_UP;
}

/*
 * The fast path's nodes keep their offsets in two fields and make `span` when asked: one object per node
 * (and per pair) instead of two. The tree of a large file lives through the whole check, and every object
 * in it is copied by the young-generation collector, so this is most of what the tree costs.
 */

/** What every fast-path node holds: its offsets, with `span` made when read. */
abstract class OffsetNode {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {}
  get span(): Span {
    return { start: this.start, end: this.end };
  }
}

/**
 * A node that can stand for itself in a base file's config tree (see BaseFileScalar, BaseFileCollection):
 * it is its own origin, in file 0.
 */
abstract class BaseFileNode extends OffsetNode {
  get file(): 0 {
    return 0;
  }
  get node(): this {
    return this;
  }
  get origin(): this {
    return this;
  }
}

class ScalarNode extends BaseFileNode implements YamlScalar {
  declare readonly kind: 'scalar';
  declare tag?: string;
  declare anchor?: string;
  constructor(
    public value: string | number | boolean | null,
    readonly style: ScalarStyle,
    start: number,
    end: number,
  ) {
    super(start, end);
  }
}

/**
 * A scalar that can stand for itself in a config tree when its file is the family's base file (index 0):
 * there a scalar is `{kind, value, origin: {file, node}}`, and this node is all of that. The config tree
 * then holds no copy of it, which matters because the tree lives through the whole check and the
 * young-generation collector copies every object in it (see toConfigTree).
 */
export interface BaseFileScalar extends YamlScalar {
  readonly file: 0;
  readonly node: BaseFileScalar;
  readonly origin: BaseFileScalar;
}

/** True for the fast path's scalars, which are BaseFileScalars. */
export function isBaseFileScalar(node: YamlNode): node is BaseFileScalar {
  return node instanceof ScalarNode;
}

class AliasNode extends OffsetNode implements YamlAlias {
  declare readonly kind: 'alias';
  declare tag?: string;
  declare anchor?: string;
  constructor(
    readonly name: string,
    start: number,
    end: number,
  ) {
    super(start, end);
  }
}

class SeqNode extends BaseFileNode implements YamlSeq {
  declare readonly kind: 'seq';
  declare tag?: string;
  declare anchor?: string;
  constructor(
    readonly items: readonly FastNode[],
    readonly flow: boolean,
    start: number,
    end: number,
  ) {
    super(start, end);
  }
}

class MapNode extends BaseFileNode implements YamlMap {
  declare readonly kind: 'map';
  declare tag?: string;
  declare anchor?: string;
  /** The pairs read by key text, made when first asked for (see `entries`). */
  private view: NamedEntries<PairNode> | undefined = undefined;
  constructor(
    readonly items: readonly PairNode[],
    readonly flow: boolean,
    start: number,
    end: number,
  ) {
    super(start, end);
  }
  /** The pairs by key text: a config map's entries. Nothing writes through it (the pairs are the parse tree's). */
  get entries(): ReadonlyMap<string, PairNode> {
    // The parser never makes a mapping with a repeated key (it gives up), so the names are unique.
    return (this.view ??= new NamedEntries(this.items as PairNode[]));
  }
}

/** Single-line scalar styles by code (PairNode keeps a key's style code folded into its start). */
const LINE_SCALAR_STYLES: readonly ScalarStyle[] = ['plain', 'single', 'double'];
const PLAIN = 0;
const SINGLE = 1;
const DOUBLE = 2;
/** Room for the style codes in PairNode's start-and-style number: start * KEY_STYLE_RADIX + code. */
const KEY_STYLE_RADIX = 4;

/**
 * A single-line scalar the parser has read, before it knows whether it is a key (kept in its pair, no node)
 * or a value (a ScalarNode): the parser's one scratch copy, overwritten by the next scalar it reads.
 */
interface ScannedScalar {
  value: string | number | boolean | null;
  style: number;
  start: number;
  end: number;
}

/**
 * A pair holds its key's value, offsets and style itself, and makes the key's node only when asked for
 * (then keeps it, so it is always the same node): most readers need the key's text, and a node per key was
 * a third of the objects in a parse tree that lives through the whole check (see the note above OffsetNode).
 */
class PairNode implements YamlPair {
  private keyNode: ScalarNode | undefined = undefined;
  readonly keyValue: string | number | boolean | null;
  /** The key's start times KEY_STYLE_RADIX, plus its style's index in LINE_SCALAR_STYLES. */
  private readonly keyStartAndStyle: number;
  private readonly keyEnd: number;
  /** The key as read (see ScannedScalar): its value, style code and offsets. */
  constructor(keyValue: string | number | boolean | null, keyStyle: number, keyStart: number, keyEnd: number, readonly value: FastNode) {
    this.keyValue = keyValue;
    this.keyStartAndStyle = keyStart * KEY_STYLE_RADIX + keyStyle;
    this.keyEnd = keyEnd;
  }
  get key(): ScalarNode {
    return (this.keyNode ??= new ScalarNode(this.keyValue, this.keyStyle, this.keyStart, this.keyEnd));
  }
  get keyStyle(): ScalarStyle {
    return LINE_SCALAR_STYLES[this.keyStartAndStyle % KEY_STYLE_RADIX]!;
  }
  private get keyStart(): number {
    return Math.floor(this.keyStartAndStyle / KEY_STYLE_RADIX);
  }
  get span(): Span {
    return { start: this.keyStart, end: this.value.end };
  }
  // What a base file's pair needs to be a config-tree entry (see BaseFileCollection): its key's text, and
  // the place its key was written. The pair is that place itself (file 0, the key's node), so the key's
  // node is made only when someone reads where the key is.
  get name(): string {
    const key = this.keyValue;
    return typeof key === 'string' ? key : String(key);
  }
  get keyOrigin(): PairNode {
    return this;
  }
  get file(): 0 {
    return 0;
  }
  get node(): ScalarNode {
    return this.key;
  }
}

/** A base file's fast-path pair: the place its key was written, as an origin (file 0, the key's node). */
export interface BaseFilePair extends YamlPair {
  readonly file: 0;
  readonly node: YamlNode;
}

/** True for the fast path's pairs (see BaseFilePair). */
export function isBaseFilePair(pair: YamlPair): pair is BaseFilePair {
  return pair instanceof PairNode;
}

/**
 * The fast path's sequences and mappings, which can stand for themselves in a base file's config tree
 * when nothing below them changes there (no alias, merge key or normalised form): a sequence is then a
 * config sequence, a mapping a config map whose entries are its pairs, a pair an entry. The config tree
 * then holds no copy of them (see toConfigTree), as it holds none of a base file's scalars (BaseFileScalar).
 */
export type BaseFileCollection = SeqNode | MapNode;

/** True for the fast path's sequences and mappings (see BaseFileCollection). */
export function isBaseFileCollection(node: YamlNode): node is BaseFileCollection {
  return node instanceof MapNode || node instanceof SeqNode;
}

type FastNode = ScalarNode | AliasNode | SeqNode | MapNode;

// `kind` is the same for every node of a class: it lives on the prototype (reads cost the same, and each
// node is one field smaller; Node's V8 uses 8-byte fields).
for (const [node, kind] of [
  [ScalarNode, 'scalar'],
  [AliasNode, 'alias'],
  [SeqNode, 'seq'],
  [MapNode, 'map'],
] as const) {
  Object.defineProperty(node.prototype, 'kind', { value: kind, enumerable: true });
}

/**
 * The pairs or items of the block collections being parsed, innermost last: a collection pushes its
 * children and takes them off at its end, copied into an array of their exact size (a growing array
 * keeps room for 17). The storage is kept between collections: setting an array's `length` lower frees
 * or trims its store, and the next push allocates a new one (at every top-level sequence, before).
 */
class CollectionStack<T> {
  private readonly slots: T[] = [];
  private top = 0;

  get size(): number {
    return this.top;
  }

  at(index: number): T {
    return this.slots[index]!;
  }

  push(value: T): void {
    this.slots[this.top++] = value;
  }

  /** Takes off everything above `base`, in order. */
  popFrom(base: number): T[] {
    const taken = new Array<T>(this.top - base);
    for (let i = base; i < this.top; i++) taken[i - base] = this.slots[i]!;
    this.top = base;
    return taken;
  }
}

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const COMMA = 44;

interface Props {
  anchor?: string;
  tag?: string;
  /** Where the properties end, for an empty node that carries them. */
  end: number;
}

class FastParser {
  private readonly anchors = new Map<string, YamlNode>();
  /** Pairs and items of the block collections being parsed, innermost last (see blockMapping). */
  private readonly pairStack = new CollectionStack<PairNode>();
  private readonly itemStack = new CollectionStack<FastNode>();
  /** The last single-line scalar read (see ScannedScalar); keys are read into it and never become nodes. */
  private readonly scanned: ScannedScalar = { value: null, style: PLAIN, start: 0, end: 0 };
  private readonly length: number;
  /** Start of the line after the last one a node consumed. */
  private pos = 0;
  /**
   * Where the last finished block collection ends once the comments `yaml` gives it are counted (its
   * "range[2]"): a parent collection's span ends there when that collection is its last value.
   */
  private extent = 0;
  /** Comment lines after a finished collection that `yaml` hands to the parent (see finishCollection). */
  private pending: { readonly indents: readonly number[]; readonly end: number } | undefined;

  constructor(private readonly text: string) {
    this.length = text.length;
  }

  parse(): ParsedYaml {
    let start = this.text.charCodeAt(0) === 0xfeff ? 1 : 0;
    // A leading document marker on its own line (with an optional comment) is fine; anything more is not ours.
    if (this.text.startsWith('---', start)) {
      const after = this.text.charCodeAt(start + 3);
      if (after === LF || after === CR || Number.isNaN(after)) start = this.lineEnd(start + 3);
      else if (after === SPACE || after === TAB) start = this.finishLine(start + 3);
      else giveUp();
    }
    const first = this.nextContentLine(start);
    let root: FastNode | null = null;
    if (first >= 0) {
      if (this.lineIndent !== 0) giveUp();
      root = this.blockNode(first, -1, true, false);
      if (this.nextContentLine(this.pos) >= 0) giveUp();
    }
    return { root, problems: [], anchors: this.anchors, documentCount: 1 };
  }

  // ---- lines -------------------------------------------------------------------------------------------

  /** The start of the next line after the line break at or after `pos` (or the text's end). */
  private lineEnd(pos: number): number {
    const text = this.text;
    for (let i = pos; i < this.length; i++) {
      const c = text.charCodeAt(i);
      if (c === LF) return i + 1;
      if (c === CR) {
        if (text.charCodeAt(i + 1) !== LF) giveUp();
        return i + 2;
      }
    }
    return this.length;
  }

  /** After a node on a line: only spaces and a comment may follow. Returns the next line's start. */
  private finishLine(pos: number): number {
    const text = this.text;
    let i = pos;
    while (i < this.length) {
      const c = text.charCodeAt(i);
      if (c === SPACE || c === TAB) i++;
      else break;
    }
    if (i >= this.length) return this.length;
    const c = text.charCodeAt(i);
    if (c === HASH) {
      if (i === pos && i > 0) giveUp(); // "#" right after a node is not a comment
      return this.lineEnd(i);
    }
    if (c === LF || c === CR) return this.lineEnd(i);
    return giveUp();
  }

  /** The indentation of the line nextContentLine found last (kept in a field: no object per line). */
  private lineIndent = 0;

  /**
   * The next line with content from `pos` (a line start), skipping blank and comment lines: where its content
   * starts, or -1 at the end of the text. Its indentation is left in `lineIndent`.
   */
  private nextContentLine(pos: number): number {
    const text = this.text;
    let lineStart = pos;
    while (lineStart < this.length) {
      let i = lineStart;
      while (text.charCodeAt(i) === SPACE) i++;
      const c = text.charCodeAt(i);
      if (i >= this.length) return -1;
      if (c === LF || c === CR || c === HASH) {
        lineStart = this.lineEnd(i);
        continue;
      }
      if (c === TAB) {
        // Tabs may end a blank line, never indent content.
        let j = i;
        while (text.charCodeAt(j) === TAB || text.charCodeAt(j) === SPACE) j++;
        const d = text.charCodeAt(j);
        if (j >= this.length || d === LF || d === CR) {
          lineStart = this.lineEnd(j);
          continue;
        }
        giveUp();
      }
      if (i - lineStart === 0 && (c === DASH || c === 46 /* . */) && (text.startsWith('---', i) || text.startsWith('...', i))) {
        const after = text.charCodeAt(i + 3);
        if (Number.isNaN(after) || after === SPACE || after === LF || after === CR || after === TAB) giveUp();
      }
      if (c === 37 /* % */ && i === lineStart) giveUp();
      this.lineIndent = i - lineStart;
      return i;
    }
    return -1;
  }

  /**
   * The column of `pos`. Only line feeds end lines here: a carriage return not followed by one makes the
   * parser give up when it reaches it, and it reaches every character before anything after it.
   */
  private columnOf(pos: number): number {
    return pos - (this.text.lastIndexOf('\n', pos - 1) + 1);
  }

  private isBlankAfter(i: number): boolean {
    const c = this.text.charCodeAt(i);
    return i >= this.length || c === SPACE || c === LF || c === CR || c === TAB;
  }

  // ---- block nodes ---------------------------------------------------------------------------------------

  /**
   * A node whose content starts at `pos`, inside a block collection indented `parentIndent`.
   * `mayBeMapping`: a `key: value` here starts a block mapping (a line's start or a sequence entry).
   * `inline`: the node follows a mapping key on the same line, where a block sequence cannot start.
   */
  private blockNode(pos: number, parentIndent: number, mayBeMapping: boolean, inline: boolean): FastNode {
    const text = this.text;
    const props = this.props(pos);
    const at = props ? this.skipSpaces(props.end) : pos;
    if (props) {
      const c = text.charCodeAt(at);
      if (at >= this.length || c === LF || c === CR || c === HASH) {
        // Properties alone on their line: the node is on the following lines, or empty.
        return this.nodeBelow(this.finishLine(props.end), parentIndent, props, false);
      }
      mayBeMapping = false; // "&a key: value" anchors the key, which we leave to `yaml`
    }
    const c = text.charCodeAt(at);
    let node: FastNode;
    if (c === DASH && this.isBlankAfter(at + 1)) {
      if (inline || props) giveUp();
      node = this.blockSequence(at, this.columnOf(at));
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      node = c === 91 ? this.flowSequence(at, parentIndent) : this.flowMapping(at, parentIndent);
      this.afterInlineNode(node.end);
    } else if (c === 42 /* * */) {
      if (props) giveUp();
      node = this.alias(at);
      this.afterInlineNode(node.end);
    } else if (c === 124 /* | */ || c === 62 /* > */) {
      node = this.blockScalar(at, parentIndent);
    } else {
      this.scanScalarInBlock(at);
      const after = this.skipSpaces(this.scanned.end);
      if (text.charCodeAt(after) === COLON && this.isBlankAfter(after + 1)) {
        if (!mayBeMapping) giveUp();
        return this.blockMapping(after, this.columnOf(at));
      }
      node = this.scannedNode();
      this.pos = this.finishLine(node.end);
    }
    return this.withProps(node, props);
  }

  /** After a flow collection or alias used as a value: nothing but a comment may follow on its line. */
  private afterInlineNode(end: number): void {
    const after = this.skipSpaces(end);
    if (this.text.charCodeAt(after) === COLON) giveUp(); // a collection or alias as a key
    this.pos = this.finishLine(end);
  }

  /** The value after `key:` or `-` whose text may be on the same line or the following ones. */
  private valueAfterIndicator(afterIndicator: number, indent: number, inSequence: boolean): FastNode {
    const text = this.text;
    const at = this.skipSpaces(afterIndicator);
    const c = text.charCodeAt(at);
    if (at >= this.length || c === LF || c === CR || c === HASH) {
      if (c === HASH && at === afterIndicator) giveUp();
      return this.nodeBelow(this.finishLine(afterIndicator), indent, undefined, !inSequence, afterIndicator);
    }
    if (c === TAB) giveUp();
    return this.blockNode(at, indent, inSequence, !inSequence);
  }

  /**
   * The node on the lines after an indicator (or after properties alone on their line): more indented
   * than `indent`, or a block sequence at the same indentation as a mapping's key. Empty otherwise.
   */
  private nodeBelow(lineStart: number, indent: number, props: Props | undefined, sequenceAtSameIndent: boolean, emptyAt?: number): FastNode {
    const next = this.nextContentLine(lineStart);
    const nextIndent = this.lineIndent;
    const text = this.text;
    if (next >= 0 && (nextIndent > indent || (sequenceAtSameIndent && nextIndent === indent && text.charCodeAt(next) === DASH && this.isBlankAfter(next + 1)))) {
      const node = this.blockNode(next, indent, true, false);
      return this.withProps(node, props);
    }
    this.pos = lineStart;
    // `yaml` puts an empty value at the next token after the indicator or properties: a comment or the line break.
    const position = this.skipSpaces(props ? props.end : (emptyAt ?? lineStart));
    const empty = new ScalarNode(props?.tag ? '' : null, 'plain', position, position);
    return this.withProps(empty, props);
  }

  private withProps(node: FastNode, props: Props | undefined): FastNode {
    if (!props) return node;
    if (props.tag && node.kind === 'alias') giveUp();
    // The node was built for these properties and nothing refers to it yet: they are set on it in place.
    if (props.tag) {
      if (node.kind === 'scalar') node.value = this.rawScalar(node);
      node.tag = props.tag;
    }
    if (props.anchor !== undefined) {
      node.anchor = props.anchor;
      this.anchors.set(props.anchor, node);
    }
    return node;
  }

  /** A tagged scalar keeps its text: Compose's tags resolve to the string as written. */
  private rawScalar(node: ScalarNode): string {
    if (node.style !== 'plain') return typeof node.value === 'string' ? node.value : giveUp();
    return this.text.slice(node.start, node.end);
  }

  private props(pos: number): Props | undefined {
    const text = this.text;
    let c = text.charCodeAt(pos);
    if (c !== 38 /* & */ && c !== 33 /* ! */) return undefined;
    const props: Props = { end: pos };
    let at = pos;
    while (c === 38 || c === 33) {
      let end = at + 1;
      while (end < this.length && !this.isBlankAfter(end) && !isFlowIndicator(text.charCodeAt(end))) end++;
      const token = text.slice(at + 1, end);
      if (c === 38) {
        if (props.anchor !== undefined || token === '') giveUp();
        props.anchor = token;
      } else {
        if (props.tag !== undefined) giveUp();
        if (token !== 'reset' && token !== 'override') giveUp();
        props.tag = '!' + token;
      }
      props.end = end;
      if (!this.isBlankAfter(end)) giveUp();
      at = this.skipSpaces(end);
      c = text.charCodeAt(at);
    }
    return props;
  }

  private skipSpaces(pos: number): number {
    const text = this.text;
    let i = pos;
    while (text.charCodeAt(i) === SPACE) i++;
    return i;
  }

  /** A block mapping whose first key was just read (`scanned`), with its colon at `colon`. */
  private blockMapping(colon: number, column: number): MapNode {
    const text = this.text;
    // This mapping's pairs go on the shared stack (nested collections push and pop above them) and are
    // copied out at the end into an array of the right size: most mappings are small, and a growing array
    // would keep room for 17.
    const stack = this.pairStack;
    const base = stack.size;
    // Most mappings are small: compare keys directly and build a set only for long ones (a project's services).
    let seen: Set<string> | undefined;
    const scanned = this.scanned;
    const start = scanned.start;
    let colonAt = colon;
    for (;;) {
      // The key, copied out of the scratch scalar before the value is read into it.
      const keyValue = scanned.value;
      const keyStyle = scanned.style;
      const keyStart = scanned.start;
      const keyEnd = scanned.end;
      const name = typeof keyValue === 'string' ? keyValue : String(keyValue);
      if (seen) {
        if (seen.has(name)) giveUp();
        seen.add(name);
      } else {
        for (let i = base; i < stack.size; i++) if (stack.at(i).name === name) giveUp();
        if (stack.size - base >= 16) {
          seen = new Set([name]);
          for (let i = base; i < stack.size; i++) seen.add(stack.at(i).name);
        }
      }
      const value = this.valueAfterIndicator(colonAt + 1, column, false);
      stack.push(new PairNode(keyValue, keyStyle, keyStart, keyEnd, value));
      const valueEnd = this.valueExtent(value, column);
      const next = this.nextContentLine(this.pos);
      const nextIndent = this.lineIndent;
      if (next < 0 || nextIndent < column) {
        this.finishCollection(valueEnd, column, !isBlockCollection(value));
        return new MapNode(stack.popFrom(base), false, start, valueEnd);
      }
      this.pending = undefined;
      if (nextIndent > column) giveUp();
      const c = text.charCodeAt(next);
      if (c === DASH && this.isBlankAfter(next + 1)) giveUp();
      if (c === 63 /* ? */ && this.isBlankAfter(next + 1)) giveUp();
      this.scanKey(next);
      colonAt = this.skipSpaces(scanned.end);
      if (text.charCodeAt(colonAt) !== COLON || !this.isBlankAfter(colonAt + 1)) giveUp();
    }
  }

  /**
   * Where a collection's last value ends for `yaml`: a scalar, alias or flow collection with its line's
   * comment and line break, plus the comment lines after it indented deeper than the collection (yaml
   * attaches those to the value). A block scalar ends at its content; an empty value where it stands; a
   * block collection where its own finishCollection said.
   */
  private valueExtent(value: FastNode, column: number): number {
    if (isBlockCollection(value)) return this.extent;
    this.pending = undefined;
    if (value.kind === 'scalar' && value.end === value.start) {
      // An empty value followed by comment lines: where `yaml` places it is not worth guessing.
      if (this.collectComments(this.pos)) giveUp();
      this.trailingFrom = this.pos;
      // With a comment on its line, the value extends over that comment and the line break.
      return this.text.charCodeAt(value.end) === HASH ? this.pos : value.end;
    }
    if (value.kind === 'scalar' && (value.style === 'block-literal' || value.style === 'block-folded')) {
      this.trailingFrom = this.pos;
      return value.end;
    }
    // Attach deeper-indented comment lines (and the blank lines before each) to the value.
    const text = this.text;
    let extent = this.pos;
    let line = this.pos;
    while (line < this.length) {
      let i = line;
      while (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB) i++;
      const c = text.charCodeAt(i);
      if (i >= this.length || c === LF || c === CR) {
        line = this.lineEnd(i);
        continue;
      }
      if (c === HASH && i - line > column) {
        extent = this.lineEnd(i);
        line = extent;
        continue;
      }
      break;
    }
    this.trailingFrom = extent;
    return extent;
  }

  /** Where the comments after a collection's last leaf value start (set by valueExtent). */
  private trailingFrom = 0;

  /** Comment lines from `from` up to the next content line: their indentation and where the last one ends. */
  private collectComments(from: number): { indents: number[]; end: number } | undefined {
    const text = this.text;
    let indents: number[] | undefined; // most collections end with no comment: no array for them
    let end = from;
    let line = from;
    while (line < this.length) {
      let i = line;
      while (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB) i++;
      const c = text.charCodeAt(i);
      if (i >= this.length || c === LF || c === CR) {
        line = this.lineEnd(i);
        continue;
      }
      if (c !== HASH) break;
      (indents ??= []).push(i - line);
      end = this.lineEnd(i);
      line = end;
    }
    return indents ? { indents, end } : undefined;
  }

  /**
   * `yaml` keeps the comment lines after a block collection's last value inside that collection (they
   * extend its outer range, so a parent's span) unless the collection is at column 0 or every one of them
   * is indented less than it; then they move up to the parent, which applies the same test.
   */
  private finishCollection(spanEnd: number, column: number, lastIsLeaf: boolean): void {
    const comments = lastIsLeaf ? this.collectComments(this.trailingFrom) : this.pending;
    this.pending = undefined;
    this.extent = spanEnd;
    if (!comments) return;
    if (column === 0 || comments.indents.every((indent) => indent < column)) this.pending = comments;
    else this.extent = comments.end;
  }

  /** Reads a block mapping's next key into `scanned`. */
  private scanKey(pos: number): void {
    const c = this.text.charCodeAt(pos);
    if (c === 38 || c === 33 || c === 42 || c === 91 || c === 123 || c === 124 || c === 62) giveUp();
    this.scanScalarInBlock(pos);
  }

  private blockSequence(dash: number, column: number): SeqNode {
    const text = this.text;
    // Items go on the shared stack and are copied out at the end (see blockMapping).
    const stack = this.itemStack;
    const base = stack.size;
    let at = dash;
    for (;;) {
      const item = this.valueAfterIndicator(at + 1, column, true);
      stack.push(item);
      const itemEnd = this.valueExtent(item, column);
      const next = this.nextContentLine(this.pos);
      const nextIndent = this.lineIndent;
      if (next < 0 || nextIndent < column || text.charCodeAt(next) !== DASH || !this.isBlankAfter(next + 1)) {
        if (next >= 0 && nextIndent > column) giveUp();
        this.finishCollection(itemEnd, column, !isBlockCollection(item));
        return new SeqNode(stack.popFrom(base), false, dash, itemEnd);
      }
      this.pending = undefined;
      if (nextIndent > column) giveUp();
      at = next;
    }
  }

  // ---- scalars -------------------------------------------------------------------------------------------

  /** A node of the scalar just read into `scanned`. */
  private scannedNode(): ScalarNode {
    const scanned = this.scanned;
    return new ScalarNode(scanned.value, LINE_SCALAR_STYLES[scanned.style]!, scanned.start, scanned.end);
  }

  private scan(value: string | number | boolean | null, style: number, start: number, end: number): void {
    const scanned = this.scanned;
    scanned.value = value;
    scanned.style = style;
    scanned.start = start;
    scanned.end = end;
  }

  /** Reads a single-line scalar in block context into `scanned`: quoted, or plain up to `: `, ` #` or the line's end. */
  private scanScalarInBlock(pos: number): void {
    const text = this.text;
    const c = text.charCodeAt(pos);
    if (c === 34 /* " */) return this.scanDoubleQuoted(pos);
    if (c === 39 /* ' */) return this.scanSingleQuoted(pos);
    if (!this.canStartPlain(pos, false)) giveUp();
    let last = pos; // end of the last non-space character
    for (let i = pos; i < this.length; i++) {
      const d = text.charCodeAt(i);
      if (d === LF || d === CR) break;
      if (d === COLON && this.isBlankAfter(i + 1)) break;
      if (d === HASH && (text.charCodeAt(i - 1) === SPACE || text.charCodeAt(i - 1) === TAB)) break;
      if (d !== SPACE && d !== TAB) last = i + 1;
    }
    this.scan(resolvePlain(text.slice(pos, last)), PLAIN, pos, last);
  }

  private canStartPlain(pos: number, flow: boolean): boolean {
    const c = this.text.charCodeAt(pos);
    switch (c) {
      case 44: // ,
      case 91: // [
      case 93: // ]
      case 123: // {
      case 125: // }
      case 35: // #
      case 38: // &
      case 42: // *
      case 33: // !
      case 124: // |
      case 62: // >
      case 39: // '
      case 34: // "
      case 37: // %
      case 64: // @
      case 96: // `
        return false;
      case 45: // -
      case 63: // ?
      case COLON: {
        const next = this.text.charCodeAt(pos + 1);
        return !(this.isBlankAfter(pos + 1) || (flow && isFlowIndicator(next)));
      }
      default:
        return !Number.isNaN(c) && c !== LF && c !== CR && c !== SPACE && c !== TAB;
    }
  }

  private scanSingleQuoted(pos: number): void {
    const text = this.text;
    let value = '';
    let from = pos + 1;
    for (let i = pos + 1; i < this.length; i++) {
      const c = text.charCodeAt(i);
      if (c === LF || c === CR) giveUp(); // multi-line quoted scalars fold lines: leave them to `yaml`
      if (c === 39) {
        if (text.charCodeAt(i + 1) === 39) {
          value += text.slice(from, i + 1);
          i++;
          from = i + 1;
          continue;
        }
        value += text.slice(from, i);
        return this.scan(value, SINGLE, pos, i + 1);
      }
    }
    return giveUp();
  }

  private scanDoubleQuoted(pos: number): void {
    const text = this.text;
    let value = '';
    let from = pos + 1;
    for (let i = pos + 1; i < this.length; i++) {
      const c = text.charCodeAt(i);
      if (c === LF || c === CR) giveUp();
      if (c === 34) {
        value += text.slice(from, i);
        return this.scan(value, DOUBLE, pos, i + 1);
      }
      if (c === 92 /* \ */) {
        value += text.slice(from, i);
        const e = text[i + 1];
        let length = 2;
        switch (e) {
          case '"':
          case '\\':
          case '/':
            value += e;
            break;
          case ' ':
            value += ' ';
            break;
          case 'n':
            value += '\n';
            break;
          case 't':
          case '\t':
            value += '\t';
            break;
          case 'r':
            value += '\r';
            break;
          case '0':
            value += '\0';
            break;
          case 'a':
            value += '\x07';
            break;
          case 'b':
            value += '\b';
            break;
          case 'e':
            value += '\x1b';
            break;
          case 'f':
            value += '\f';
            break;
          case 'v':
            value += '\v';
            break;
          case 'N':
            value += '\u0085';
            break;
          case '_':
            value += '\u00a0';
            break;
          case 'L':
            value += '\u2028';
            break;
          case 'P':
            value += '\u2029';
            break;
          case 'x':
          case 'u':
          case 'U': {
            const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
            const hex = text.slice(i + 2, i + 2 + digits);
            if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) giveUp();
            const code = parseInt(hex, 16);
            if (code > 0x10ffff) giveUp();
            value += String.fromCodePoint(code);
            length = 2 + digits;
            break;
          }
          default:
            giveUp();
        }
        i += length - 1;
        from = i + 1;
      }
    }
    return giveUp();
  }

  private blockScalar(pos: number, parentIndent: number): ScalarNode {
    const text = this.text;
    const folded = text.charCodeAt(pos) === 62;
    let at = pos + 1;
    let chomp: 'clip' | 'strip' | 'keep' = 'clip';
    const indicator = text.charCodeAt(at);
    if (indicator === DASH) {
      chomp = 'strip';
      at++;
    } else if (indicator === 43 /* + */) {
      chomp = 'keep';
      at++;
    }
    const d = text.charCodeAt(at);
    if (d >= 48 && d <= 57) giveUp(); // explicit indentation indicators are rare; leave them to `yaml`
    if (!this.isBlankAfter(at) && at < this.length) giveUp();
    const contentStart = this.finishLine(at);
    // Lines of the scalar: [start of text after indentation, end of line (before the break)], empty lines as null.
    const lines: (string | null)[] = [];
    let indent = -1;
    let lineStart = contentStart;
    let lastContentLineEnd = contentStart; // start of the line after the last non-empty content line
    let trailingEnd = contentStart;
    while (lineStart < this.length) {
      let i = lineStart;
      while (text.charCodeAt(i) === SPACE) i++;
      const c = text.charCodeAt(i);
      const blank = i >= this.length || c === LF || c === CR;
      if (blank) {
        if (indent >= 0 ? i - lineStart > indent : i - lineStart > parentIndent + 1) giveUp(); // spaces that are content, or that set the indentation
        lines.push(null);
        lineStart = this.lineEnd(i);
        trailingEnd = lineStart;
        continue;
      }
      const lineIndent = i - lineStart;
      if (indent < 0) {
        if (lineIndent <= parentIndent) break;
        if (c === TAB) giveUp();
        indent = lineIndent;
      } else if (lineIndent < indent) {
        break;
      }
      const next = this.lineEnd(i);
      let lineBreak = next;
      if (text.charCodeAt(next - 1) === LF) lineBreak = next - 1;
      if (text.charCodeAt(lineBreak - 1) === CR) lineBreak--;
      if (next === this.length && text.charCodeAt(next - 1) !== LF) giveUp(); // no final line break: leave it to `yaml`
      const content = text.slice(lineStart + indent, lineBreak);
      if (folded && (content.charCodeAt(0) === SPACE || content.charCodeAt(0) === TAB)) giveUp();
      lines.push(content);
      lineStart = next;
      lastContentLineEnd = next;
      trailingEnd = next;
    }
    if (indent < 0) giveUp(); // an empty block scalar: rare, leave it to `yaml`
    // Lines after the last content line are trailing empty lines.
    let lastContent = lines.length - 1;
    while (lastContent >= 0 && lines[lastContent] === null) lastContent--;
    const trailing = lines.length - 1 - lastContent;
    const body = lines.slice(0, lastContent + 1);
    let value: string;
    if (folded) {
      value = '';
      let emptyRun = 0;
      let first = true;
      for (const line of body) {
        if (line === null) {
          emptyRun++;
          continue;
        }
        if (!first) value += emptyRun > 0 ? '\n'.repeat(emptyRun) : ' ';
        value += line;
        emptyRun = 0;
        first = false;
      }
    } else {
      value = body.map((line) => line ?? '').join('\n');
    }
    let end = lastContentLineEnd;
    if (chomp === 'clip') value += '\n';
    else if (chomp === 'keep') {
      value += '\n'.repeat(1 + trailing);
      end = trailingEnd;
    }
    this.pos = chomp === 'keep' ? trailingEnd : lastContentLineEnd;
    const style: ScalarStyle = folded ? 'block-folded' : 'block-literal';
    return new ScalarNode(value, style, pos, end);
  }

  // ---- aliases and flow collections ------------------------------------------------------------------------

  private alias(pos: number): FastNode {
    const text = this.text;
    let end = pos + 1;
    while (end < this.length && !this.isBlankAfter(end) && !isFlowIndicator(text.charCodeAt(end))) end++;
    const name = text.slice(pos + 1, end);
    if (name === '' || !this.anchors.has(name)) giveUp();
    return new AliasNode(name, pos, end);
  }

  /** Skips spaces, line breaks and comments inside a flow collection; continuation lines must be indented. */
  private skipFlowSpace(pos: number, parentIndent: number): number {
    const text = this.text;
    let i = pos;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === SPACE || c === TAB) i++;
      else if (c === LF || c === CR || c === HASH) {
        if (c === HASH) {
          const before = text.charCodeAt(i - 1);
          if (before !== SPACE && before !== TAB && before !== LF) giveUp();
        }
        i = this.lineEnd(i);
        let j = i;
        while (text.charCodeAt(j) === SPACE) j++;
        const d = text.charCodeAt(j);
        if (d === TAB) giveUp();
        if (j < this.length && d !== LF && d !== CR && d !== HASH && j - i <= parentIndent) giveUp();
        i = j;
      } else if (i >= this.length) return giveUp();
      else return i;
    }
  }

  private flowSequence(pos: number, parentIndent: number): SeqNode {
    const text = this.text;
    const items: FastNode[] = [];
    let at = this.skipFlowSpace(pos + 1, parentIndent);
    for (;;) {
      if (text.charCodeAt(at) === 93 /* ] */) return new SeqNode(items, true, pos, at + 1);
      const item = this.flowNode(at, parentIndent);
      items.push(item);
      at = this.skipFlowSpace(item.end, parentIndent);
      const c = text.charCodeAt(at);
      if (c === COMMA) at = this.skipFlowSpace(at + 1, parentIndent);
      else if (c !== 93) giveUp();
    }
  }

  private flowMapping(pos: number, parentIndent: number): MapNode {
    const text = this.text;
    const items: PairNode[] = [];
    const seen = new Set<string>();
    let at = this.skipFlowSpace(pos + 1, parentIndent);
    for (;;) {
      if (text.charCodeAt(at) === 125 /* } */) return new MapNode(items, true, pos, at + 1);
      this.scanFlowScalar(at);
      const scanned = this.scanned;
      // The key, copied out of the scratch scalar before the value is read into it.
      const keyValue = scanned.value;
      const keyStyle = scanned.style;
      const keyStart = scanned.start;
      const keyEnd = scanned.end;
      const name = String(keyValue);
      if (seen.has(name)) giveUp();
      seen.add(name);
      at = this.skipFlowSpace(keyEnd, parentIndent);
      if (text.charCodeAt(at) !== COLON) giveUp();
      at = this.skipFlowSpace(at + 1, parentIndent);
      const c = text.charCodeAt(at);
      // Where `yaml` puts an empty flow value is not worth guessing.
      if (c === COMMA || c === 125) giveUp();
      const value = this.flowNode(at, parentIndent);
      items.push(new PairNode(keyValue, keyStyle, keyStart, keyEnd, value));
      at = this.skipFlowSpace(value.end, parentIndent);
      const d = text.charCodeAt(at);
      if (d === COMMA) at = this.skipFlowSpace(at + 1, parentIndent);
      else if (d !== 125) giveUp();
    }
  }

  private flowNode(pos: number, parentIndent: number): FastNode {
    const text = this.text;
    const props = this.props(pos);
    const at = props ? this.skipSpaces(props.end) : pos;
    if (props && (at >= this.length || text.charCodeAt(at) === LF || text.charCodeAt(at) === COMMA)) giveUp();
    const c = text.charCodeAt(at);
    let node: FastNode;
    if (c === 91) node = this.flowSequence(at, parentIndent);
    else if (c === 123) node = this.flowMapping(at, parentIndent);
    else if (c === 42) {
      if (props) giveUp();
      node = this.alias(at);
    } else {
      this.scanFlowScalar(at);
      node = this.scannedNode();
    }
    return this.withProps(node, props);
  }

  /** Reads a scalar inside a flow collection into `scanned`: quoted, or plain up to a flow indicator, `: ` or the line's end. */
  private scanFlowScalar(pos: number): void {
    const text = this.text;
    const c = text.charCodeAt(pos);
    if (c === 34) return this.scanDoubleQuoted(pos);
    if (c === 39) return this.scanSingleQuoted(pos);
    if (!this.canStartPlain(pos, true)) giveUp();
    let last = pos;
    for (let i = pos; i < this.length; i++) {
      const d = text.charCodeAt(i);
      if (d === LF || d === CR || d === COMMA || d === 91 || d === 93 || d === 123 || d === 125) break;
      if (d === COLON) {
        const next = text.charCodeAt(i + 1);
        if (this.isBlankAfter(i + 1) || isFlowIndicator(next)) break;
      }
      if (d === HASH && (text.charCodeAt(i - 1) === SPACE || text.charCodeAt(i - 1) === TAB)) break;
      if (d !== SPACE && d !== TAB) last = i + 1;
    }
    this.scan(resolvePlain(text.slice(pos, last)), PLAIN, pos, last);
  }
}

function isBlockCollection(node: FastNode): boolean {
  return (node.kind === 'map' || node.kind === 'seq') && !node.flow;
}

function isFlowIndicator(c: number): boolean {
  return c === COMMA || c === 91 || c === 93 || c === 123 || c === 125;
}

const INT = /^[-+]?[0-9]+$/;
const OCT = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar's value under the YAML 1.2 core schema, exactly as `yaml` resolves it. */
export function resolvePlain(source: string): string | number | boolean | null {
  switch (source) {
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  const c = source.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
    if (OCT.test(source)) return parseInt(source.substring(2), 8);
    if (INT.test(source)) return parseInt(source, 10);
    if (HEX.test(source)) return parseInt(source.substring(2), 16);
    if (FLOAT_SPECIAL.test(source)) {
      return source.slice(-3).toLowerCase() === 'nan' ? NaN : source[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    }
    if (FLOAT_EXP.test(source) || FLOAT.test(source)) return parseFloat(source);
  }
  return source;
}
