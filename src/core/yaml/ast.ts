import type { Span } from '../text/lineIndex';

/**
 * The parsed YAML tree the core works on: plain data with source offsets, independent of the parser that
 * built it. Aliases stay aliases here; `toValue` resolves them (and merge keys) with a bounded budget.
 */
export type YamlNode = YamlMap | YamlSeq | YamlScalar | YamlAlias;

interface NodeBase {
  /** Offsets of the node's value, without trailing comments. */
  readonly span: Span;
  readonly tag?: string;
  readonly anchor?: string;
}

export interface YamlPair {
  readonly key: YamlNode;
  /** `null` when the key has no value at all (`key:` is a null scalar, not this). */
  readonly value: YamlNode | null;
  /** From the key's start to the value's end. */
  readonly span: Span;
  /**
   * Set when the parser keeps a scalar key folded into its pair (the fast path): its value and style, read
   * without making the key's node (see `scalarKeyValue`, `isMergeKey`).
   */
  readonly keyValue?: string | number | boolean | null;
  readonly keyStyle?: ScalarStyle;
}

/** What `scalarKeyValue` gives for a key that is not a scalar. */
export const NOT_A_SCALAR_KEY: unique symbol = Symbol('not a scalar key');

/** The value of a pair's key when it is a scalar (without making a folded key's node), else NOT_A_SCALAR_KEY. */
export function scalarKeyValue(pair: YamlPair): string | number | boolean | null | typeof NOT_A_SCALAR_KEY {
  if (pair.keyStyle !== undefined) return pair.keyValue!;
  const key = pair.key;
  return key.kind === 'scalar' ? key.value : NOT_A_SCALAR_KEY;
}

/** True for a plain `<<` key: a merge key. */
export function isMergeKey(pair: YamlPair): boolean {
  if (pair.keyStyle !== undefined) return pair.keyValue === '<<' && pair.keyStyle === 'plain';
  const key = pair.key;
  return key.kind === 'scalar' && key.value === '<<' && key.style === 'plain';
}

export interface YamlMap extends NodeBase {
  readonly kind: 'map';
  readonly items: readonly YamlPair[];
  readonly flow: boolean;
}

export interface YamlSeq extends NodeBase {
  readonly kind: 'seq';
  readonly items: readonly YamlNode[];
  readonly flow: boolean;
}

export type ScalarStyle = 'plain' | 'single' | 'double' | 'block-literal' | 'block-folded';

export interface YamlScalar extends NodeBase {
  readonly kind: 'scalar';
  /** The value as YAML 1.2 core schema resolves it (compose files are read that way by compose-go). */
  readonly value: string | number | boolean | null;
  readonly style: ScalarStyle;
}

export interface YamlAlias extends NodeBase {
  readonly kind: 'alias';
  readonly name: string;
}

/** Returns the pair whose key is the plain scalar `key`, if any. */
export function getPair(map: YamlMap, key: string): YamlPair | undefined {
  for (const pair of map.items) {
    const value = scalarKeyValue(pair);
    if (value !== NOT_A_SCALAR_KEY && String(value) === key) return pair;
  }
  return undefined;
}

/** Returns the value node at `key` of a map node, or undefined when the node is not a map or has no such key. */
export function getValue(node: YamlNode | null | undefined, key: string): YamlNode | undefined {
  if (!node || node.kind !== 'map') return undefined;
  return getPair(node, key)?.value ?? undefined;
}

/** The key text of a pair, when the key is a scalar. */
export function keyText(pair: YamlPair): string | undefined {
  const value = scalarKeyValue(pair);
  return value === NOT_A_SCALAR_KEY ? undefined : String(value);
}
