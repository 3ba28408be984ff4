import type { Span } from '../text/lineIndex';
import type { YamlMap, YamlNode } from '../yaml/ast';
import { isBaseFileScalar } from '../yaml/fastParse';
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

/**
 * The entries of a small map read from a file, in source order, in one array. A `Map` allocates a hash
 * table per map and regrows it as keys arrive; a config tree has one map per mapping of the file (ten per
 * service in the architecture's style), all alive until the check ends. For a handful of keys a linear
 * search is as fast as hashing, and the array is the only allocation.
 */
export class SourceEntries implements EditableEntries {
  constructor(private readonly list: CEntry[]) {}

  get size(): number {
    return this.list.length;
  }

  get(key: string): CEntry | undefined {
    const list = this.list;
    for (let i = 0; i < list.length; i++) if (list[i]!.name === key) return list[i];
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, entry: CEntry): this {
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      if (list[i]!.name === key) {
        list[i] = entry;
        return this;
      }
    }
    list.push(entry);
    return this;
  }

  forEach(callback: (value: CEntry, key: string, map: ReadonlyMap<string, CEntry>) => void, thisArg?: unknown): void {
    for (const entry of this.list) callback.call(thisArg, entry, entry.name, this);
  }

  entries(): MapIterator<[string, CEntry]> {
    return this.list.map((entry): [string, CEntry] => [entry.name, entry]).values();
  }

  keys(): MapIterator<string> {
    return this.list.map((entry) => entry.name).values();
  }

  values(): MapIterator<CEntry> {
    return this.list.values();
  }

  [Symbol.iterator](): MapIterator<[string, CEntry]> {
    return this.entries();
  }
}

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
 * (every node of the result is new, so rewriting its entries touches nothing else).
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
        const items: CNode[] = new Array<CNode>(node.items.length);
        for (let i = 0; i < items.length; i++) items[i] = visit(node.items[i]!, OTHER_LEVEL);
        return sourceSeq(items, file, node);
      }
      case 'map':
        return visitMap(node, level);
    }
  };
  const visitMap = (node: YamlMap, level: number): CMap => {
    // Entries go into an array of the right size; entriesFromList makes the map (see SourceEntries).
    const list = new Array<CEntry>(node.items.length);
    let count = 0;
    let merged: CMap[] | undefined; // most maps have no `<<`
    for (const pair of node.items) {
      if (pair.key.kind === 'scalar' && pair.key.value === '<<' && pair.key.style === 'plain') {
        if (!pair.value) continue;
        // Merged sources stand at this map's level: their entries are this map's entries.
        const source = visit(pair.value, level);
        const sources = source.kind === 'seq' ? source.items : [source];
        for (const item of sources) if (item.kind === 'map') (merged ??= []).push(item);
        continue;
      }
      const key = pair.key.kind === 'scalar' ? String(pair.key.value) : undefined;
      if (key === undefined) continue;
      const childLevel = level === ROOT_LEVEL && key === 'services' ? SERVICES_LEVEL : level === SERVICES_LEVEL ? SERVICE_LEVEL : OTHER_LEVEL;
      const value: CNode = pair.value ? visit(pair.value, childLevel) : sourceScalar(null, file, pair.key);
      list[count++] = sourceEntry(key, value, file, pair.key);
    }
    list.length = count;
    // A repeated key (only in a file with syntax errors) keeps its first place and its last value, as Map.set does.
    const entries = entriesFromList(list);
    if (merged) {
      // Explicit keys win over merged ones; earlier merge sources win over later ones (YAML merge key spec).
      for (const source of merged) {
        for (const [key, entry] of source.entries) if (!entries.has(key)) entries.set(key, entry);
      }
    }
    if (level === SERVICE_LEVEL && normalizeService) normalizeService(entries);
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
