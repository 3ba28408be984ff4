// toValue (src/core/yaml/toValue.ts) as it was before it was made cheaper (commit 58ccc88), kept verbatim as the
// baseline of bench/schema.alloc.ts and the oracle of test/unit/schema/toValue.test.ts.
import type { YamlNode } from '../src/core/yaml/ast';
import { AliasBudgetExceeded, type PlainValue, type ToValueOptions } from '../src/core/yaml/toValue';

/**
 * Converts a node to plain data, resolving aliases and `<<` merge keys (YAML 1.1 style, as Compose does).
 * Work is bounded by `maxNodes`, so an alias bomb ends in an AliasBudgetExceeded instead of a frozen host.
 */
export function toValueReference(node: YamlNode | null, anchors: ReadonlyMap<string, YamlNode>, options: ToValueOptions = {}): PlainValue {
  const budget = options.maxNodes ?? 1_000_000;
  let produced = 0;
  const resolving = new Set<YamlNode>();
  const dropReset = options.dropReset === true;
  // With shareAliases, every alias of one anchor yields the same object: no copying, and the budget still
  // counts each use at the anchor's full size, so an alias bomb is caught after linear work.
  const shared = options.shareAliases === true ? new Map<YamlNode, { readonly value: PlainValue; readonly size: number }>() : undefined;

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
        for (let i = 0; i < items.length; i++) result[i] = visit(items[i]!);
        return result;
      }
      case 'map': {
        const result: { [key: string]: PlainValue } = {};
        let merged: { [key: string]: PlainValue }[] | undefined;
        for (const pair of current.items) {
          const key = pair.key;
          if (key.kind === 'scalar' && key.value === '<<' && key.style === 'plain') {
            const source = visit(pair.value);
            const sources = Array.isArray(source) ? source : [source];
            for (const item of sources) if (item && typeof item === 'object' && !Array.isArray(item)) (merged ??= []).push(item);
            continue;
          }
          if (dropReset && pair.value?.tag === '!reset') continue;
          let name: string;
          if (key.kind === 'scalar') {
            produced++;
            name = typeof key.value === 'string' ? key.value : String(key.value);
          } else {
            const value = visit(key);
            name = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
          }
          setKey(result, name, visit(pair.value));
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
