// Frozen copy of src/core/rules/compose/helpers.ts as it was before the rules were made cheaper (commit 4a6a1b8):
// the reference test/unit/rules/rulesRewrite.test.ts compares the rewritten rules with. Do not edit.
import { type CEntry, type CMap, type CNode, type Origin, scalarText } from '../../../../src/core/compose/model';
import type { Fix, TextEdit } from '../../../../src/core/findings';
import type { Message } from '../../../../src/core/message';
import type { ConfigContext } from '../../../../src/core/rules/types';
import { addToMap, appendToMap } from '../../../../src/core/rules/yamlEdit';

/** The services of a config, as entries (key origin = where the service is first declared). */
export function serviceEntries(root: CNode | undefined): CEntry[] {
  const services = root?.kind === 'map' ? root.entries.get('services')?.value : undefined;
  return services?.kind === 'map' ? [...services.entries.values()] : [];
}

/** Names declared under a top-level key (`networks`, `volumes`, `secrets`, `configs`, `services`). */
export function topLevelNames(root: CNode | undefined, key: string): Map<string, CEntry> {
  const node = root?.kind === 'map' ? root.entries.get(key)?.value : undefined;
  return node?.kind === 'map' ? new Map(node.entries) : new Map<string, CEntry>();
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

function toLines(desired: Desired, depth = 0): [number, string][] {
  const lines: [number, string][] = [];
  for (const [key, value] of Object.entries(desired)) {
    // An empty leaf is written bare: that is how a sequence item (`- name`) is asked for.
    if (typeof value === 'string') lines.push([depth, value === '' ? key : `${key}: ${value}`]);
    else {
      lines.push([depth, `${key}:`]);
      lines.push(...toLines(value, depth + 1));
    }
  }
  return lines;
}

/**
 * Plans the edits that add whatever part of `desired` is missing under a merged map, each inserted in the
 * file and at the map where the existing part was written. Returns edits per file index, or undefined
 * when some insertion point cannot be edited safely (a flow mapping, an alias).
 */
export function planEnsure(ctx: ConfigContext, map: CMap, desired: Desired, keyOfMap?: CEntry): Map<number, TextEdit[]> | undefined {
  const edits = new Map<number, TextEdit[]>();
  const add = (file: number, edit: TextEdit | undefined): boolean => {
    if (!edit) return false;
    edits.set(file, [...(edits.get(file) ?? []), edit]);
    return true;
  };
  const walk = (current: CMap, want: Desired, key: CEntry | undefined): boolean => {
    const missing: Desired = {};
    for (const [name, value] of Object.entries(want)) {
      const existing = current.entries.get(name);
      if (!existing) (missing as Record<string, string | Desired>)[name] = value;
      else if (typeof value !== 'string') {
        if (existing.value.kind === 'map') {
          if (!walk(existing.value, value, existing)) return false;
        } else if (existing.value.kind === 'scalar' && existing.value.value === null) {
          const file = existing.keyOrigin.file;
          const source = ctx.family.files[file];
          if (!source || !add(file, addToMap(source.text, existing.keyOrigin.node, null, toLines(value)))) return false;
        }
      }
    }
    if (Object.keys(missing).length === 0) return true;
    const node = current.origin.node;
    const file = current.origin.file;
    const source = ctx.family.files[file];
    if (!source) return false;
    // A key the merged config lacks but this file has was removed by a later `!reset`: adding it again here would duplicate it.
    if (node.kind === 'map' && node.items.some((pair) => pair.key.kind === 'scalar' && String(pair.key.value) in missing)) return false;
    if (node.kind === 'map' && node.items.length > 0) return add(file, appendToMap(source.text, node, toLines(missing)));
    if (key && key.keyOrigin.file === file) return add(file, addToMap(source.text, key.keyOrigin.node, node.kind === 'map' ? node : null, toLines(missing)));
    return false;
  };
  return walk(map, desired, keyOfMap) ? edits : undefined;
}

/** Turns per-file edits into a Fix for a finding reported in `findingFile`. */
export function fixFromEdits(ctx: ConfigContext, findingFile: number, title: Message, edits: Map<number, TextEdit[]> | undefined, isPreferred = true): Fix[] {
  if (!edits || edits.size === 0) return [];
  const own = edits.get(findingFile) ?? [];
  const otherFiles = [...edits]
    .filter(([file]) => file !== findingFile)
    .map(([file, list]) => ({ path: baseName(ctx.family.files[file]?.path ?? ''), edits: list }));
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
