import { type CEntry, type CMap, type CNode, type CScalar, type EditableEntries, entriesFromList, type Origin, scalarText, SourceEntries } from './model';

/**
 * Compose's merge of several files (`-f base -f override`), after compose-go's `override` package:
 * mappings merge key by key; most sequences append and are then made unique by an index (volumes by
 * target, ports by their text, secrets by target...); `command`, `entrypoint` and `healthcheck.test` are
 * replaced; a `logging` with another driver replaces the whole block; `!reset` removes a value and
 * `!override` replaces it without merging. List forms (`environment: [K=V]`, `depends_on: [db]`,
 * `networks: [net]`) are normalised to mappings first, so rules see a single shape.
 */

/** Service keys whose list form `KEY=value` is normalised to a mapping. */
const KEY_VALUE_LISTS = new Set(['environment', 'labels', 'annotations', 'sysctls']);
/** Service keys whose sequences are de-duplicated by scalar text. */
const UNIQUE_BY_TEXT = new Set(['cap_add', 'cap_drop', 'dns', 'dns_opt', 'dns_search', 'env_file', 'expose', 'profiles', 'tmpfs', 'links', 'ports', 'label_file']);
/** Service keys that the later file replaces whole. */
const REPLACED = new Set(['command', 'entrypoint']);

function tagOf(node: CNode): string | undefined {
  return node.origin.node.tag;
}

function scalar(value: string | number | boolean | null, origin: Origin): CScalar {
  return { kind: 'scalar', value, origin };
}

function map(entries: ReadonlyMap<string, CEntry>, origin: Origin): CMap {
  return { kind: 'map', entries, origin };
}

/** Splits `KEY=value` (or `KEY: value`-less `KEY`) list items into a mapping, as Compose reads them. */
function keyValueListToMap(node: CNode, separator = '='): CNode {
  if (node.kind !== 'seq') return node;
  // Sized to the list: a growing array would keep room for 17 entries.
  const list = new Array<CEntry>(node.items.length);
  let count = 0;
  for (const item of node.items) {
    const text = scalarText(item);
    if (text === undefined) continue;
    const at = text.indexOf(separator);
    const key = at < 0 ? text : text.slice(0, at);
    const value = at < 0 ? null : text.slice(at + 1);
    list[count++] = { name: key, keyOrigin: item.origin, value: { kind: 'scalar', value, origin: item.origin, listItem: true } };
  }
  list.length = count;
  return map(entriesFromList(list), node.origin);
}

/** `[a, b]` -> `{a: {}, b: {}}` for depends_on and networks; entries keep the list item as their origin. */
function nameListToMap(node: CNode, emptyValue: 'map' | 'null'): CNode {
  if (node.kind !== 'seq') return node;
  // Sized to the list: a growing array would keep room for 17 entries per service's `networks`.
  const list = new Array<CEntry>(node.items.length);
  let count = 0;
  for (const item of node.items) {
    const name = scalarText(item);
    if (name === undefined) continue;
    const value: CNode = emptyValue === 'map' ? map(new SourceEntries([]), item.origin) : scalar(null, item.origin);
    list[count++] = { name, keyOrigin: item.origin, value };
  }
  list.length = count;
  return map(entriesFromList(list), node.origin);
}

/** True for scalars that came from a `KEY=value` list item (their origin node holds the whole item). */
export function isListItemValue(node: CNode): boolean {
  return node.kind === 'scalar' && node.listItem === true;
}

function normalizeService(service: CNode): CNode {
  if (service.kind !== 'map') return service;
  const entries = new Map(service.entries);
  normalizeServiceEntries(entries);
  return map(entries, service.origin);
}

/**
 * Normalises a service's entries in place (list forms to mappings, `build: path` to `build.context`): what
 * `normalizeConfig` does to each service, for a tree being built (see `toConfigTree`'s `normalizeService`).
 */
export function normalizeServiceEntries(entries: EditableEntries): void {
  // forEach, not for-of: a SourceEntries makes an array of [key, entry] pairs for an iterator.
  entries.forEach((item, key) => {
    let value = item.value;
    if (KEY_VALUE_LISTS.has(key)) value = keyValueListToMap(value);
    else if (key === 'extra_hosts') value = keyValueListToMap(value, value.kind === 'seq' && value.items.some((i) => scalarText(i)?.includes('=')) ? '=' : ':');
    else if (key === 'depends_on') value = nameListToMap(value, 'map');
    else if (key === 'networks') value = nameListToMap(value, 'null');
    else if (key === 'build' && value.kind === 'scalar') {
      value = map(new Map([['context', { name: 'context', keyOrigin: value.origin, value }]]), value.origin);
    }
    if (key === 'build' && value.kind === 'map') {
      const args = value.entries.get('args');
      if (args) {
        const copy = new Map(value.entries);
        copy.set('args', { name: args.name, keyOrigin: args.keyOrigin, value: keyValueListToMap(args.value) });
        value = map(copy, value.origin);
      }
    }
    if (key === 'deploy' && value.kind === 'map') {
      const labels = value.entries.get('labels');
      if (labels) {
        const copy = new Map(value.entries);
        copy.set('labels', { name: labels.name, keyOrigin: labels.keyOrigin, value: keyValueListToMap(labels.value) });
        value = map(copy, value.origin);
      }
    }
    if (value !== item.value) entries.set(key, { name: item.name, keyOrigin: item.keyOrigin, value });
  });
}

/** Normalises one file's tree (list forms to mappings) so that merging and rules see one shape. */
export function normalizeConfig(root: CNode | undefined): CNode | undefined {
  if (root?.kind !== 'map') return root;
  const services = root.entries.get('services');
  if (services?.value.kind !== 'map') return root;
  const normalized = new Map<string, CEntry>();
  for (const [name, service] of services.value.entries) normalized.set(name, { name: service.name, keyOrigin: service.keyOrigin, value: normalizeService(service.value) });
  const entries = new Map(root.entries);
  entries.set('services', { name: services.name, keyOrigin: services.keyOrigin, value: map(normalized, services.value.origin) });
  return map(entries, root.origin);
}

/** The index Compose uses to make a service sequence unique, or undefined for "append as is". */
function uniqueKey(path: readonly string[], item: CNode): string | undefined {
  if (path.length !== 3 || path[0] !== 'services') return undefined;
  const key = path[2] ?? '';
  if (UNIQUE_BY_TEXT.has(key)) return item.kind === 'scalar' ? String(item.value) : JSON.stringify(plainKey(item));
  if (key === 'volumes' || key === 'devices') return mountTarget(item);
  if (key === 'secrets' || key === 'configs') {
    if (item.kind === 'scalar') return `/run/secrets/${String(item.value)}`;
    const target = scalarText(item.kind === 'map' ? item.entries.get('target')?.value : undefined);
    const source = scalarText(item.kind === 'map' ? item.entries.get('source')?.value : undefined);
    return target ?? `/run/secrets/${source ?? ''}`;
  }
  return undefined;
}

function plainKey(node: CNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(plainKey);
  return Object.fromEntries([...node.entries].map(([k, v]) => [k, plainKey(v.value)]));
}

/** The container path of a volume entry (short `src:target[:mode]` or long `{target}`). */
export function mountTarget(item: CNode): string | undefined {
  if (item.kind === 'map') return scalarText(item.entries.get('target')?.value);
  const text = scalarText(item);
  if (text === undefined) return undefined;
  const parts = splitVolume(text);
  return parts.target;
}

/**
 * Splits a short volume spec `[source:]target[:mode]`. Windows drive letters (`C:\x`) are kept whole.
 */
export function splitVolume(text: string): { source?: string; target: string; mode?: string } {
  if (!/^[A-Za-z]:[\\/]|:[A-Za-z]:[\\/]/.test(text)) {
    // No Windows drive letter: a plain split is exact (and much cheaper on large files).
    const [source, target, ...mode] = text.split(':');
    if (target === undefined) return { target: source ?? '' };
    return mode.length === 0 ? { source, target } : { source, target, mode: mode.join(':') };
  }
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const driveLetter = c === ':' && current.length === 1 && /[A-Za-z]/.test(current) && /[\\/]/.test(text[i + 1] ?? '');
    if (c === ':' && !driveLetter) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  if (parts.length === 1) return { target: parts[0] ?? '' };
  if (parts.length === 2) return { source: parts[0], target: parts[1] ?? '' };
  return { source: parts[0], target: parts[1] ?? '', mode: parts.slice(2).join(':') };
}

function mergeSeq(base: CNode & { kind: 'seq' }, over: CNode & { kind: 'seq' }, path: readonly string[]): CNode {
  const all = [...base.items, ...over.items];
  const items: CNode[] = [];
  const positions = new Map<string, number>();
  for (const item of all) {
    const key = uniqueKey(path, item);
    if (key === undefined) {
      items.push(item);
      continue;
    }
    const at = positions.get(key);
    if (at === undefined) {
      positions.set(key, items.length);
      items.push(item);
    } else items[at] = item;
  }
  return { kind: 'seq', items, origin: over.origin };
}

function isReplaced(path: readonly string[]): boolean {
  if (path.length === 3 && path[0] === 'services' && REPLACED.has(path[2] ?? '')) return true;
  return path.length === 4 && path[0] === 'services' && path[2] === 'healthcheck' && path[3] === 'test';
}

/** Merges `over` onto `base` at `path` (keys from the root), returning the merged node or undefined for `!reset`. */
export function mergeNodes(base: CNode | undefined, over: CNode, path: readonly string[] = []): CNode | undefined {
  const tag = tagOf(over);
  if (tag === '!reset') return undefined;
  if (!base || tag === '!override' || isReplaced(path)) return over;
  if (path.length === 3 && path[0] === 'services' && path[2] === 'logging' && base.kind === 'map' && over.kind === 'map') {
    const baseDriver = scalarText(base.entries.get('driver')?.value);
    const overDriver = scalarText(over.entries.get('driver')?.value);
    if (baseDriver !== undefined && overDriver !== undefined && baseDriver !== overDriver) return over;
  }
  if (base.kind === 'map' && over.kind === 'map') {
    const entries = new Map(base.entries);
    const resets = new Map(base.resets ?? []);
    for (const [key, item] of over.entries) {
      const existing = entries.get(key);
      const merged = mergeNodes(existing?.value, item.value, [...path, key]);
      if (merged === undefined) {
        entries.delete(key);
        resets.set(key, item);
      }
      // The key stays where it was first written: that is where a person looks for the service.
      else entries.set(key, { name: key, keyOrigin: existing?.keyOrigin ?? item.keyOrigin, value: merged });
    }
    return { kind: 'map', entries, origin: base.origin, ...(resets.size > 0 ? { resets } : {}) };
  }
  if (base.kind === 'seq' && over.kind === 'seq') return mergeSeq(base, over, path);
  return over;
}

/** Merges a list of normalised file trees in order, base first. */
export function mergeConfigs(trees: readonly (CNode | undefined)[]): CNode | undefined {
  let result: CNode | undefined;
  for (const tree of trees) {
    if (!tree) continue;
    result = result === undefined ? (tagOf(tree) === '!reset' ? undefined : tree) : mergeNodes(result, tree, []);
  }
  return result;
}
