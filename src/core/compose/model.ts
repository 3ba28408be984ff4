import type { Span } from '../text/lineIndex';
import { isMergeKey, keyText, type YamlMap, type YamlNode, type YamlPair, type YamlSeq } from '../yaml/ast';
import { isBaseFileCollection, isBaseFilePair, isBaseFileScalar } from '../yaml/fastParse';
import { NamedEntries } from '../yaml/namedEntries';
import type { ParsedYaml } from '../yaml/parse';

/**
 * A compose configuration as rules see it: plain values (aliases and `<<` resolved, several files merged)
 * where every node remembers the file and source node it came from, so a finding on the merged config
 * can be reported, and fixed, where the user wrote it.
 */
export type CNode = CMap | CSeq | CScalar;

/** Where a merged node was written: the index of its file in the config's file list, and its source node. */
export interface Origin {
  readonly file: number;
  readonly node: YamlNode;
}

export interface CEntry {
  readonly name: string;
  /** The key as written (for an entry that comes from a list such as `- KEY=value`, the list item). */
  readonly keyOrigin: Origin;
  readonly value: CNode;
}

export interface CMap {
  readonly kind: 'map';
  readonly entries: ReadonlyMap<string, CEntry>;
  readonly origin: Origin;
  /** Keys a later file removed with `!reset`: where it did so (the place to look when the key is missing). */
  readonly resets?: ReadonlyMap<string, CEntry>;
}

export interface CSeq {
  readonly kind: 'seq';
  readonly items: readonly CNode[];
  readonly origin: Origin;
}

export interface CScalar {
  readonly kind: 'scalar';
  /** The value as written, before interpolation. */
  readonly value: string | number | boolean | null;
  readonly origin: Origin;
  /** Set when the value came from a `KEY=value` list item: its origin node is the whole item. */
  readonly listItem?: boolean;
}

/** A YAML source file of a config: its path (for messages and fixes), text and parse. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
  readonly parsed: ParsedYaml;
}

/** Raised when resolving aliases would build more nodes than the budget allows (an alias bomb). */
export class ModelBudgetExceeded extends Error {
  constructor(readonly budget: number) {
    super(`alias expansion exceeds ${budget} nodes`);
  }
}

const EMPTY_SPAN: Span = { start: 0, end: 0 };
/** A placeholder replaced before a node is returned (see `sourceScalar`). */
const NO_ORIGIN: Origin = { file: -1, node: { kind: 'scalar', value: null, style: 'plain', span: EMPTY_SPAN } };

/**
 * Rewrites a service's entries in place (list forms to mappings...). `toConfigTree` calls it on each service
 * map it has just built, after its `<<` merges, so normalising needs no second copy of the tree.
 */
export type ServiceEntriesNormalizer = (entries: EditableEntries) => void;

/** Entries a normaliser may rewrite: `set` replaces the entry of a key (or adds one). A `Map` is one. */
export interface EditableEntries extends ReadonlyMap<string, CEntry> {
  set(key: string, entry: CEntry): unknown;
}

/** Maps with more keys than this get a `Map`; smaller ones a `SourceEntries` (see there). */
const SMALL_MAP = 16;

/**
 * The entries of a map made from `list` (which it may reorder in place): a repeated key keeps its first
 * place and its last entry, as `Map.set` does. A `SourceEntries` for small maps, a `Map` for long ones.
 */
export function entriesFromList(list: CEntry[]): EditableEntries {
  if (list.length > SMALL_MAP) return new Map(list.map((entry) => [entry.name, entry]));
  let count = 0;
  for (let i = 0; i < list.length; i++) {
    const made = list[i]!;
    let at = 0;
    while (at < count && list[at]!.name !== made.name) at++;
    list[at] = made;
    if (at === count) count++;
  }
  list.length = count;
  return new SourceEntries(list);
}

/** The entries of a config tree's map, in source order, in one array (see NamedEntries). */
export class SourceEntries extends NamedEntries<CEntry> implements EditableEntries {}

/** Levels of the walk that `ServiceEntriesNormalizer` cares about: the root, `services`, one service, anything else. */
const ROOT_LEVEL = 0;
const SERVICES_LEVEL = 1;
const SERVICE_LEVEL = 2;
const OTHER_LEVEL = 3;

/**
 * Converts one file's YAML tree to a located config tree: aliases are replaced by their anchor's content
 * (keeping the anchor's origin, which is where a fix belongs) and `<<` merge keys are applied, explicit
 * keys winning over merged ones. Bounded by `maxNodes`, so an alias bomb ends in ModelBudgetExceeded.
 * With `normalizeService`, each map under a top-level `services` mapping is handed to it once complete
 * (a service's map is always new, so rewriting its entries touches nothing else). In the base file, a
 * collection in which nothing changes is its own config node (see BaseFileCollection): the tree copies
 * only what aliases, merge keys and normalising change, and the maps above them.
 */
export function toConfigTree(parsed: ParsedYaml, file: number, maxNodes = 1_000_000, normalizeService?: ServiceEntriesNormalizer): CNode | undefined {
  let produced = 0;
  const resolving = new Set<YamlNode>();
  // An anchor used below the service level (`logging: *default-logging` in every service) is built once
  // and its tree shared by every alias: its origins are the anchor's nodes either way, and nothing
  // rewrites a tree below a service. The budget still counts every use at the tree's full size.
  const shared = new Map<YamlNode, { readonly tree: CNode; readonly size: number }>();
  const visit = (node: YamlNode, level: number): CNode => {
    if (++produced > maxNodes) throw new ModelBudgetExceeded(maxNodes);
    switch (node.kind) {
      case 'scalar':
        // The base file's scalars are their own config nodes (one object fewer each); others get a copy.
        return file === 0 && isBaseFileScalar(node) ? node : sourceScalar(node.value, file, node);
      case 'alias': {
        const target = parsed.anchors.get(node.name);
        if (!target || resolving.has(target)) return sourceScalar(null, file, node);
        const reused = level === OTHER_LEVEL ? shared.get(target) : undefined;
        if (reused) {
          produced += reused.size;
          if (produced > maxNodes) throw new ModelBudgetExceeded(maxNodes);
          return reused.tree;
        }
        resolving.add(target);
        const before = produced;
        try {
          const tree = visit(target, level);
          if (level === OTHER_LEVEL) shared.set(target, { tree, size: produced - before });
          return tree;
        } finally {
          resolving.delete(target);
        }
      }
      case 'seq': {
        const source = node.items;
        // While every item is its own config node there is no copy; one is made at the first that is not.
        let items = reusable(node) ? undefined : new Array<CNode>(source.length);
        for (let i = 0; i < source.length; i++) {
          const item = visit(source[i]!, OTHER_LEVEL);
          if (!isItself(item, source[i]!)) items ??= copiedUpTo(source as unknown as readonly CNode[], i);
          if (items) items[i] = item;
        }
        return items ? sourceSeq(items, file, node) : asConfigSeq(node);
      }
      case 'map':
        return visitMap(node, level);
    }
  };
  // A base file's fast-path collection is its own config node when every child is (see BaseFileCollection).
  const reusable = (node: YamlNode): boolean => file === 0 && isBaseFileCollection(node);
  const visitMap = (node: YamlMap, level: number): CMap => {
    const pairs = node.items;
    const pairsAreEntries = reusable(node);
    // While every pair is its own entry there is no list; one is made at the first that is not. (Written out
    // at each place: a closure for it put `list` and `count` in a context object per map, 1.2 MB per check.)
    let list = pairsAreEntries ? undefined : new Array<CEntry>(pairs.length);
    let count = 0;
    let merged: CMap[] | undefined; // most maps have no `<<`
    for (let i = 0; i < pairs.length; i++) {
      const pair = pairs[i]!;
      if (isMergeKey(pair)) {
        list ??= copiedUpTo(pairs as unknown as readonly CEntry[], count);
        if (!pair.value) continue;
        // Merged sources stand at this map's level: their entries are this map's entries.
        const source = visit(pair.value, level);
        const sources = source.kind === 'seq' ? source.items : [source];
        for (const item of sources) if (item.kind === 'map') (merged ??= []).push(item);
        continue;
      }
      // Read without the key's node (the fast path makes a key's node only when asked for).
      const key = keyText(pair);
      if (key === undefined) {
        list ??= copiedUpTo(pairs as unknown as readonly CEntry[], count);
        continue;
      }
      const childLevel = level === ROOT_LEVEL && key === 'services' ? SERVICES_LEVEL : level === SERVICES_LEVEL ? SERVICE_LEVEL : OTHER_LEVEL;
      const value: CNode = pair.value ? visit(pair.value, childLevel) : sourceScalar(null, file, pair.key);
      if (pairsAreEntries && isItself(value, pair.value)) {
        if (list) list[count] = asConfigEntry(pair);
        count++;
      } else {
        list ??= copiedUpTo(pairs as unknown as readonly CEntry[], count);
        // A base file's pair is the origin of its key (its key's node is made when a reader asks where it is).
        list[count++] = file === 0 && isBaseFilePair(pair) ? { name: key, keyOrigin: pair, value } : sourceEntry(key, value, file, pair.key);
      }
    }
    // A service's map is always new: the normaliser rewrites its entries.
    const normalized = level === SERVICE_LEVEL && normalizeService !== undefined;
    if (!list && !normalized) return asConfigMap(node);
    list ??= copiedUpTo(pairs as unknown as readonly CEntry[], count);
    list.length = count;
    // A repeated key (only in a file with syntax errors) keeps its first place and its last value, as Map.set does.
    const entries = entriesFromList(list);
    if (merged) {
      // Explicit keys win over merged ones; earlier merge sources win over later ones (YAML merge key spec).
      for (const source of merged) {
        for (const [key, entry] of source.entries) if (!entries.has(key)) entries.set(key, entry);
      }
    }
    if (normalized) normalizeService(entries);
    return sourceMap(entries, file, node);
  };
  return parsed.root ? visit(parsed.root, ROOT_LEVEL) : undefined;
}

/*
 * The nodes `toConfigTree` makes are their own origin: each holds its file and source node and points
 * `origin` (for an entry, `keyOrigin`) at itself, instead of a separate Origin object. A large file's
 * config tree lives through the whole check and the young-generation collector copies every object in it,
 * so one object per node instead of two is most of what the tree costs. Readers see the same `Origin`.
 */

interface Located extends Origin {
  origin: Origin;
}

function sourceScalar(value: CScalar['value'], file: number, node: YamlNode): CScalar {
  const made: CScalar & Located = { kind: 'scalar', value, origin: NO_ORIGIN, file, node };
  made.origin = made;
  return made;
}

function sourceSeq(items: readonly CNode[], file: number, node: YamlNode): CSeq {
  const made: CSeq & Located = { kind: 'seq', items, origin: NO_ORIGIN, file, node };
  made.origin = made;
  return made;
}

function sourceMap(entries: ReadonlyMap<string, CEntry>, file: number, node: YamlNode): CMap {
  const made: CMap & Located = { kind: 'map', entries, origin: NO_ORIGIN, file, node };
  made.origin = made;
  return made;
}

function sourceEntry(key: string, value: CNode, file: number, node: YamlNode): CEntry {
  const made: CEntry & Origin & { keyOrigin: Origin } = { name: key, keyOrigin: NO_ORIGIN, value, file, node };
  made.keyOrigin = made;
  return made;
}

/**
 * A new array as long as `source` holding its first `count` elements: the config nodes (or entries) made
 * so far, when they were the source's own nodes (or pairs) until then.
 */
function copiedUpTo<T>(source: readonly T[], count: number): T[] {
  const copy = new Array<T>(source.length);
  for (let i = 0; i < count; i++) copy[i] = source[i]!;
  return copy;
}

// A base file's fast-path collections are their own config nodes when nothing below them changed
// (toConfigTree checks that): see BaseFileCollection for the fields that make them so.
function isItself(config: CNode, source: YamlNode | null): boolean {
  return (config as object) === source;
}

function asConfigSeq(node: YamlSeq): CSeq {
  return node as unknown as CSeq;
}

function asConfigMap(node: YamlMap): CMap {
  return node as unknown as CMap;
}

function asConfigEntry(pair: YamlPair): CEntry {
  return pair as unknown as CEntry;
}

/** The entry at `key` of a map node. */
export function entry(node: CNode | undefined, key: string): CEntry | undefined {
  return node?.kind === 'map' ? node.entries.get(key) : undefined;
}

/** The value at a path of keys. */
export function at(node: CNode | undefined, ...path: string[]): CNode | undefined {
  let current = node;
  for (const key of path) {
    current = entry(current, key)?.value;
    if (!current) return undefined;
  }
  return current;
}

/** A scalar's value as a string (numbers and booleans as written by YAML), or undefined for other nodes. */
export function scalarText(node: CNode | undefined): string | undefined {
  if (node?.kind !== 'scalar' || node.value === null) return undefined;
  return String(node.value);
}

/** Span of a node's source (the key for an entry's key origin). */
export function spanOf(origin: Origin): Span {
  return origin.node.span ?? EMPTY_SPAN;
}

/** Converts a located tree to plain data (for `docker compose config`-like output). */
export function toPlain(node: CNode | undefined, scalar: (node: CScalar) => unknown = (n) => n.value): unknown {
  if (!node) return null;
  switch (node.kind) {
    case 'scalar':
      return scalar(node);
    case 'seq':
      return node.items.map((item) => toPlain(item, scalar));
    case 'map': {
      const result: Record<string, unknown> = {};
      for (const [key, value] of node.entries) result[key] = toPlain(value.value, scalar);
      return result;
    }
  }
}
