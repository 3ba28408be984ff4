/** Lists longer than this are looked up through a `Map` index, made on the first lookup. */
const LINEAR_LOOKUP_LIMIT = 16;

/**
 * A list of named entries read as a `ReadonlyMap` by name, without copying the list: a config tree's map
 * entries (`SourceEntries` in compose/model.ts), and a parse tree's pairs when a base file's mapping is its
 * own config node (fastParse.ts). A `Map` allocates a hash table and regrows it as keys arrive; a config
 * tree has one map per mapping of the file, all alive until the check ends. For a handful of keys a linear
 * search is as fast as hashing and the list is the only allocation; a long list (a file's `services`) gets
 * its index when it is first searched.
 *
 * Names must be unique in the list (callers dedupe first, as `entriesFromList` does); `set` keeps them so.
 */
export class NamedEntries<E extends { readonly name: string }> implements ReadonlyMap<string, E> {
  private index: Map<string, E> | undefined = undefined;

  constructor(private readonly list: E[]) {}

  get size(): number {
    return this.list.length;
  }

  get(name: string): E | undefined {
    const list = this.list;
    if (list.length > LINEAR_LOOKUP_LIMIT) return this.indexed().get(name);
    for (let i = 0; i < list.length; i++) if (list[i]!.name === name) return list[i];
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Replaces the entry of `name` in its place, or adds it at the end: what `Map.set` does to the order. */
  set(name: string, entry: E): this {
    const list = this.list;
    const existing = this.get(name);
    if (existing === undefined) list.push(entry);
    else list[list.indexOf(existing)] = entry;
    this.index?.set(name, entry);
    return this;
  }

  forEach(callback: (value: E, key: string, map: ReadonlyMap<string, E>) => void, thisArg?: unknown): void {
    for (const entry of this.list) callback.call(thisArg, entry, entry.name, this);
  }

  entries(): MapIterator<[string, E]> {
    return this.list.map((entry): [string, E] => [entry.name, entry]).values();
  }

  keys(): MapIterator<string> {
    return this.list.map((entry) => entry.name).values();
  }

  values(): MapIterator<E> {
    return this.list.values();
  }

  [Symbol.iterator](): MapIterator<[string, E]> {
    return this.entries();
  }

  private indexed(): Map<string, E> {
    if (this.index === undefined) {
      const index = new Map<string, E>();
      for (const entry of this.list) index.set(entry.name, entry);
      this.index = index;
    }
    return this.index;
  }
}
