import { type CEntry, type CMap, type CNode, type Origin, scalarText } from '../../compose/model';
import type { Fix, TextEdit } from '../../findings';
import type { Message } from '../../message';
import type { ConfigContext } from '../types';
import { addToMap, appendToMap } from '../yamlEdit';

const NO_NAMES: ReadonlyMap<string, CEntry> = new Map();

/** Names declared under a top-level key (`networks`, `volumes`, `secrets`, `configs`, `services`): the config's own entries, not a copy. */
export function topLevelNames(root: CNode | undefined, key: string): ReadonlyMap<string, CEntry> {
  const node = root?.kind === 'map' ? root.entries.get(key)?.value : undefined;
  return node?.kind === 'map' ? node.entries : NO_NAMES;
}

/** True when a service has a healthcheck that is not disabled. */
export function hasActiveHealthcheck(service: CNode): boolean {
  const healthcheck = service.kind === 'map' ? service.entries.get('healthcheck')?.value : undefined;
  if (healthcheck?.kind !== 'map') return false;
  if (healthcheck.entries.get('disable')?.value.kind === 'scalar' && scalarText(healthcheck.entries.get('disable')?.value) === 'true') return false;
  const test = healthcheck.entries.get('test')?.value;
  if (test?.kind === 'seq' && scalarText(test.items[0]) === 'NONE') return false;
  return test !== undefined;
}

/** Where to report a key a service lacks: the `!reset` that removed it, else the service's key. */
export function missingKeyOrigin(service: CEntry & { value: CMap }, key: string): Origin {
  return service.value.resets?.get(key)?.keyOrigin ?? service.keyOrigin;
}

/** A nested structure to make sure exists: leaves are YAML text written as is. */
export interface Desired {
  readonly [key: string]: string | Desired;
}

/**
 * The lines that write `desired`, appended to `lines`. Frozen parts (a rule's constant `UPDATE_CONFIG`) are
 * written once per depth and shared: a rule may plan a fix for every service of a large file.
 */
function toLines(desired: Desired, depth = 0, lines: (readonly [number, string])[] = []): (readonly [number, string])[] {
  const keys = Object.keys(desired);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = desired[key]!;
    // An empty leaf is written bare: that is how a sequence item (`- name`) is asked for.
    if (typeof value === 'string') lines.push([depth, value === '' ? key : `${key}: ${value}`]);
    else {
      lines.push([depth, `${key}:`]);
      const nested = linesOf(value, depth + 1);
      for (let j = 0; j < nested.length; j++) lines.push(nested[j]!);
    }
  }
  return lines;
}

/** Lines already written for a frozen Desired object (a rule's constant), by depth. */
const writtenLines = new WeakMap<Desired, (readonly [number, string])[][]>();

function linesOf(desired: Desired, depth: number): readonly (readonly [number, string])[] {
  // Objects built for one fix are written once: remembering them would only cost.
  if (!Object.isFrozen(desired)) return toLines(desired, depth);
  let byDepth = writtenLines.get(desired);
  if (!byDepth) writtenLines.set(desired, (byDepth = []));
  return (byDepth[depth] ??= toLines(desired, depth));
}

/**
 * Plans the edits that add whatever part of `desired` is missing under a merged map, each inserted in the
 * file and at the map where the existing part was written. Returns edits per file index, or undefined
 * when some insertion point cannot be edited safely (a flow mapping, an alias).
 */
export function planEnsure(ctx: ConfigContext, map: CMap, desired: Desired, keyOfMap?: CEntry): Map<number, TextEdit[]> | undefined {
  const edits = new Map<number, TextEdit[]>();
  return ensureUnder(ctx, edits, map, desired, keyOfMap) ? edits : undefined;
}

function addEdit(edits: Map<number, TextEdit[]>, file: number, edit: TextEdit | undefined): boolean {
  if (!edit) return false;
  const list = edits.get(file);
  if (list) list.push(edit);
  else edits.set(file, [edit]);
  return true;
}

function ensureUnder(ctx: ConfigContext, edits: Map<number, TextEdit[]>, current: CMap, want: Desired, key: CEntry | undefined): boolean {
  let missing: Record<string, string | Desired> | undefined;
  const names = Object.keys(want);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const value = want[name]!;
    const existing = current.entries.get(name);
    if (!existing) (missing ??= {})[name] = value;
    else if (typeof value !== 'string') {
      if (existing.value.kind === 'map') {
        if (!ensureUnder(ctx, edits, existing.value, value, existing)) return false;
      } else if (existing.value.kind === 'scalar' && existing.value.value === null) {
        const file = existing.keyOrigin.file;
        const source = ctx.family.files[file];
        if (!source || !addEdit(edits, file, addToMap(source.text, existing.keyOrigin.node, null, linesOf(value, 0)))) return false;
      }
    }
  }
  if (missing === undefined) return true;
  const node = current.origin.node;
  const file = current.origin.file;
  const source = ctx.family.files[file];
  if (!source) return false;
  // A key the merged config lacks but this file has was removed by a later `!reset`: adding it again here would duplicate it.
  if (node.kind === 'map') {
    for (let i = 0; i < node.items.length; i++) {
      const pairKey = node.items[i]!.key;
      if (pairKey.kind === 'scalar' && Object.hasOwn(missing, String(pairKey.value))) return false; // not `in`: a key named toString is not missing
    }
  }
  if (node.kind === 'map' && node.items.length > 0) return addEdit(edits, file, appendToMap(source.text, node, toLines(missing)));
  if (key && key.keyOrigin.file === file) return addEdit(edits, file, addToMap(source.text, key.keyOrigin.node, node.kind === 'map' ? node : null, toLines(missing)));
  return false;
}

/** Turns per-file edits into a Fix for a finding reported in `findingFile`. */
export function fixFromEdits(ctx: ConfigContext, findingFile: number, title: Message, edits: Map<number, TextEdit[]> | undefined, isPreferred = true): Fix[] {
  if (!edits || edits.size === 0) return [];
  const own = edits.get(findingFile) ?? [];
  const otherFiles: { path: string; edits: TextEdit[] }[] = [];
  edits.forEach((list, file) => {
    if (file !== findingFile) otherFiles.push({ path: baseName(ctx.family.files[file]?.path ?? ''), edits: list });
  });
  return [{ title, edits: own, ...(otherFiles.length > 0 ? { otherFiles } : {}), isPreferred }];
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Makes a path relative to the family folder canonical: no `./`, no trailing `/`, `..` resolved. */
export function normalizeRelative(path: string): string | undefined {
  // Most paths are already canonical (`./a/b`, `a/b`): the general walk below would give the same `a/b`.
  if (isCanonicalDotSlash(path)) return path.slice(2);
  if (isCanonicalRelative(path)) return path;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path) || path.startsWith('git@') || path.startsWith('/') || path.startsWith('~') || /^[A-Za-z]:[\\/]/.test(path)) return undefined;
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0 || parts[parts.length - 1] === '..') parts.push('..');
      else parts.pop();
    } else parts.push(part);
  }
  return parts.join('/') || '.';
}

/** `./` followed by non-empty `/`-separated parts, none `.`, `..` or empty, and no backslash. */
function isCanonicalDotSlash(path: string): boolean {
  if (path.length < 3 || path.charCodeAt(0) !== 46 /* . */ || path.charCodeAt(1) !== 47 /* / */) return false;
  return hasCanonicalParts(path, 2);
}

/**
 * A relative path already in canonical form: canonical parts from its first character, and nothing the
 * general walk treats as absolute or remote (`/`, `~`, `git@`, a drive letter or a URL scheme all need `:`, `/`, `~` or `@` first).
 */
function isCanonicalRelative(path: string): boolean {
  if (path.length === 0 || path.includes(':') || path.startsWith('~') || path.startsWith('git@')) return false;
  return hasCanonicalParts(path, 0);
}

/** From `from` on: non-empty `/`-separated parts, none `.` or `..`, and no backslash. */
function hasCanonicalParts(path: string, from: number): boolean {
  let partStart = from;
  for (let i = from; i <= path.length; i++) {
    const c = i === path.length ? 47 : path.charCodeAt(i);
    if (c === 92 /* \\ */) return false;
    if (c !== 47) continue;
    const length = i - partStart;
    if (length === 0) return false;
    if (path.charCodeAt(partStart) === 46 && (length === 1 || (length === 2 && path.charCodeAt(partStart + 1) === 46))) return false;
    partStart = i + 1;
  }
  return true;
}
