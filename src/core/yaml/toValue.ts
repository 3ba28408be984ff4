import { isMergeKey, NOT_A_SCALAR_KEY, scalarKeyValue, type YamlNode } from './ast';

/** Thrown when resolving aliases would build more nodes than `maxNodes`: an alias bomb, or a runaway file. */
export class AliasBudgetExceeded extends Error {
  constructor(readonly budget: number) {
    super(`alias expansion exceeds ${budget} nodes`);
  }
}

export interface ToValueOptions {
  /** Upper bound on nodes produced, counting every alias expansion. Real files stay far below the default. */
  readonly maxNodes?: number;
  /**
   * Leave out mapping entries whose value is tagged `!reset`. Compose removes them before it validates a
   * file (the tag means "drop what a base file set"), so the schema must not see them either.
   */
  readonly dropReset?: boolean;
  /**
   * Return the same object for every alias of an anchor instead of a copy per use. Only for readers that
   * never mutate the result (schema validation); the budget still counts every use.
   */
  readonly shareAliases?: boolean;
}

export type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };

/**
 * Converts a node to plain data, resolving aliases and `<<` merge keys (YAML 1.1 style, as Compose does).
 * Work is bounded by `maxNodes`, so an alias bomb ends in an AliasBudgetExceeded instead of a frozen host.
 */
export function toValue(node: YamlNode | null, anchors: ReadonlyMap<string, YamlNode>, options: ToValueOptions = {}): PlainValue {
  const budget = options.maxNodes ?? 1_000_000;
  let produced = 0;
  const resolving = new Set<YamlNode>();
  const dropReset = options.dropReset === true;
  // With shareAliases, every alias of one anchor yields the same object: no copying, and the budget still
  // counts each use at the anchor's full size, so an alias bomb is caught after linear work.
  const shared = options.shareAliases === true ? new Map<YamlNode, { readonly value: PlainValue; readonly size: number }>() : undefined;

  // Most entries are scalars: `entry` takes them without a call to `visit`, counting them as `visit` does.
  const entry = (current: YamlNode | null): PlainValue => {
    if (current !== null && current.kind === 'scalar') {
      if (++produced > budget) throw new AliasBudgetExceeded(budget);
      return current.value;
    }
    return visit(current);
  };

  const visit = (current: YamlNode | null): PlainValue => {
    if (++produced > budget) throw new AliasBudgetExceeded(budget);
    if (!current) return null;
    switch (current.kind) {
      case 'scalar':
        return current.value;
      case 'alias': {
        const target = anchors.get(current.name);
        if (!target || resolving.has(target)) return null;
        const cached = shared?.get(target);
        if (cached) {
          produced += cached.size;
          if (produced > budget) throw new AliasBudgetExceeded(budget);
          return cached.value;
        }
        resolving.add(target);
        const before = produced;
        try {
          const value = visit(target);
          shared?.set(target, { value, size: produced - before });
          return value;
        } finally {
          resolving.delete(target);
        }
      }
      case 'seq': {
        const items = current.items;
        const result: PlainValue[] = new Array<PlainValue>(items.length);
        for (let i = 0; i < items.length; i++) result[i] = entry(items[i]!);
        return result;
      }
      case 'map': {
        const result: { [key: string]: PlainValue } = {};
        let merged: { [key: string]: PlainValue }[] | undefined;
        const pairs = current.items;
        for (let i = 0; i < pairs.length; i++) {
          const pair = pairs[i]!;
          if (isMergeKey(pair)) {
            const source = visit(pair.value);
            const sources = Array.isArray(source) ? source : [source];
            for (const item of sources) if (item && typeof item === 'object' && !Array.isArray(item)) (merged ??= []).push(item);
            continue;
          }
          if (dropReset && pair.value?.tag === '!reset') continue;
          // The key's value without its node (the fast path makes a key's node only when asked for).
          const keyValue = scalarKeyValue(pair);
          let name: string;
          if (keyValue !== NOT_A_SCALAR_KEY) {
            produced++;
            name = typeof keyValue === 'string' ? keyValue : String(keyValue);
          } else {
            const value = visit(pair.key);
            name = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
          }
          setKey(result, name, entry(pair.value));
        }
        if (merged) {
          // Explicit keys win over merged ones; earlier merge sources win over later ones.
          for (let i = merged.length - 1; i >= 0; i--) {
            const source = merged[i]!;
            for (const name of Object.keys(source)) if (!Object.prototype.hasOwnProperty.call(result, name)) setKey(result, name, source[name]!);
          }
        }
        return result;
      }
    }
  };
  return visit(node);
}

/** Sets an own property even for names like `__proto__`, which plain assignment would treat specially. */
function setKey(target: { [key: string]: PlainValue }, name: string, value: PlainValue): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}
