import type { YamlNode } from './ast';

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

  const visit = (current: YamlNode | null): PlainValue => {
    if (++produced > budget) throw new AliasBudgetExceeded(budget);
    if (!current) return null;
    switch (current.kind) {
      case 'scalar':
        return current.value;
      case 'alias': {
        const target = anchors.get(current.name);
        if (!target || resolving.has(target)) return null;
        resolving.add(target);
        try {
          return visit(target);
        } finally {
          resolving.delete(target);
        }
      }
      case 'seq':
        return current.items.map(visit);
      case 'map': {
        const result: { [key: string]: PlainValue } = {};
        const merged: { [key: string]: PlainValue }[] = [];
        for (const pair of current.items) {
          const isMerge = pair.key.kind === 'scalar' && pair.key.value === '<<' && pair.key.style === 'plain';
          if (isMerge) {
            const source = visit(pair.value);
            const sources = Array.isArray(source) ? source : [source];
            for (const item of sources) if (item && typeof item === 'object' && !Array.isArray(item)) merged.push(item);
            continue;
          }
          if (dropReset && pair.value?.tag === '!reset') continue;
          const key = visit(pair.key);
          result[typeof key === 'object' && key !== null ? JSON.stringify(key) : String(key)] = visit(pair.value);
        }
        // Explicit keys win over merged ones; earlier merge sources win over later ones.
        for (let i = merged.length - 1; i >= 0; i--) {
          const source = merged[i];
          if (!source) continue;
          for (const [key, value] of Object.entries(source)) if (!(key in result)) result[key] = value;
        }
        return result;
      }
    }
  };
  return visit(node);
}
