import type { Span } from '../text/lineIndex';
import type { YamlMap, YamlNode } from '../yaml/ast';
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
  readonly key: string;
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

/**
 * Rewrites a service's entries in place (list forms to mappings...). `toConfigTree` calls it on each service
 * map it has just built, after its `<<` merges, so normalising needs no second copy of the tree.
 */
export type ServiceEntriesNormalizer = (entries: Map<string, CEntry>) => void;

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
  const visit = (node: YamlNode, level: number): CNode => {
    if (++produced > maxNodes) throw new ModelBudgetExceeded(maxNodes);
    const origin: Origin = { file, node };
    switch (node.kind) {
      case 'scalar':
        return { kind: 'scalar', value: node.value, origin };
      case 'alias': {
        const target = parsed.anchors.get(node.name);
        if (!target || resolving.has(target)) return { kind: 'scalar', value: null, origin };
        resolving.add(target);
        try {
          return visit(target, level);
        } finally {
          resolving.delete(target);
        }
      }
      case 'seq': {
        const items: CNode[] = new Array<CNode>(node.items.length);
        for (let i = 0; i < items.length; i++) items[i] = visit(node.items[i]!, OTHER_LEVEL);
        return { kind: 'seq', items, origin };
      }
      case 'map':
        return visitMap(node, origin, level);
    }
  };
  const visitMap = (node: YamlMap, origin: Origin, level: number): CMap => {
    const entries = new Map<string, CEntry>();
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
      const value: CNode = pair.value ? visit(pair.value, childLevel) : { kind: 'scalar', value: null, origin: { file, node: pair.key } };
      entries.set(key, { key, keyOrigin: { file, node: pair.key }, value });
    }
    // Explicit keys win over merged ones; earlier merge sources win over later ones (YAML merge key spec).
    for (const source of merged ?? []) {
      for (const [key, entry] of source.entries) if (!entries.has(key)) entries.set(key, entry);
    }
    if (level === SERVICE_LEVEL && normalizeService) normalizeService(entries);
    return { kind: 'map', entries, origin };
  };
  return parsed.root ? visit(parsed.root, ROOT_LEVEL) : undefined;
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
