import { splitVolume } from '../../compose/merge';
import type { ProjectEnv } from '../../compose/envFile';
import type { CEntry, CMap, CNode } from '../../compose/model';
import type { ConfigContext } from '../types';
import { hasActiveHealthcheck, normalizeRelative } from './helpers';

/** A service whose value is a mapping: the only kind the per-service rules read. */
export type ServiceEntry = CEntry & { readonly value: CMap };

/** One entry of a service's `volumes`, in either syntax, after interpolation. */
export interface Mount {
  readonly node: CNode;
  readonly type: 'bind' | 'volume' | 'tmpfs' | 'other';
  readonly source: string | undefined;
  readonly target: string;
  readonly readOnly: boolean;
  /** A source starting with `.`, made canonical relative to the folder (`bd/x`); undefined for other sources. */
  readonly relativeSource: string | undefined;
}

/** A service's build context: the string form or `build.context` (`.` when `build` has none), where it was written. */
export interface BuildContext {
  readonly context: string;
  readonly node: CNode;
  readonly entry: CEntry;
}

/** A scalar's text after interpolation (the ConfigContext's `str`). */
type Interpolate = (node: CNode | undefined) => string | undefined;

const NO_ENTRIES: ReadonlyMap<string, CEntry> = new Map();

/**
 * The services of one config tree and what several rules read of each: every rule walks the services, and
 * mounts, dependencies, build contexts and healthchecks are asked for by two to four rules (and by the dev
 * and the prod config, which share their tree when no override or prod file changes it). Reading them once
 * per tree, into arrays indexed like `list`, saves the repeated walks and the temporary arrays and objects
 * each rule made (a 1,000-service check allocated 8 MB in the rules, and every young-generation collection
 * during the check copies the whole freshly built config tree).
 */
export class ConfigServices {
  /** Map-valued services, in declaration order. */
  readonly list: readonly ServiceEntry[];
  /** The `services` mapping's entries (any value), for lookups by name. */
  readonly byName: ReadonlyMap<string, CEntry>;
  private readonly mounts: (readonly Mount[] | undefined)[];
  private readonly dependencies: (readonly CEntry[] | undefined)[];
  private readonly builds: (BuildContext | null | undefined)[];
  private readonly healthchecks: (boolean | undefined)[];
  private indexByName: Map<string, number> | undefined;

  constructor(
    root: CNode | undefined,
    /** The variables the env-dependent facts (mounts, build contexts) were read with. */
    readonly env: ProjectEnv,
  ) {
    const services = root?.kind === 'map' ? root.entries.get('services')?.value : undefined;
    const list: ServiceEntry[] = [];
    // `forEach`, not `for...of`: this runs once per check, mostly before V8 optimizes it, and an unoptimized
    // iterator makes a result object per step.
    if (services?.kind === 'map') {
      services.entries.forEach((service) => {
        if (service.value.kind === 'map') list.push(service as ServiceEntry);
      });
    }
    this.list = list;
    this.byName = services?.kind === 'map' ? services.entries : NO_ENTRIES;
    this.mounts = new Array<readonly Mount[] | undefined>(list.length);
    this.dependencies = new Array<readonly CEntry[] | undefined>(list.length);
    this.builds = new Array<BuildContext | null | undefined>(list.length);
    this.healthchecks = new Array<boolean | undefined>(list.length);
  }

  /** The index in `list` of a map-valued service, or -1 (not a service, or not a mapping). */
  indexOf(name: string): number {
    if (!this.indexByName) {
      this.indexByName = new Map();
      for (let i = 0; i < this.list.length; i++) this.indexByName.set(this.list[i]!.name, i);
    }
    return this.indexByName.get(name) ?? -1;
  }

  /** True when `name` is a service whose value is a mapping (what `depends_on` and `extends` may name). */
  isService(name: string): boolean {
    return this.byName.get(name)?.value.kind === 'map';
  }

  /** The mounts of service `index` (short `src:dst:mode` or long `{type, source, target, read_only}`). */
  mountsOf(index: number, str: Interpolate): readonly Mount[] {
    return (this.mounts[index] ??= readMounts(this.list[index]!.value, str));
  }

  /** The entries of service `index`'s `depends_on` mapping (list forms are mappings once normalised). */
  dependsOn(index: number): readonly CEntry[] {
    let found = this.dependencies[index];
    if (!found) {
      const node = this.list[index]!.value.entries.get('depends_on')?.value;
      found = node?.kind === 'map' ? valuesOf(node.entries) : NO_DEPENDENCIES;
      this.dependencies[index] = found;
    }
    return found;
  }

  /** Service `index`'s build context, or undefined when it has no `build` mapping. */
  buildOf(index: number, str: Interpolate): BuildContext | undefined {
    let found = this.builds[index];
    if (found === undefined) {
      found = readBuildContext(this.list[index]!.value, str) ?? null;
      this.builds[index] = found;
    }
    return found ?? undefined;
  }

  /** True when service `index` has a healthcheck that is not disabled. */
  hasHealthcheck(index: number): boolean {
    return (this.healthchecks[index] ??= hasActiveHealthcheck(this.list[index]!.value));
  }
}

const NO_DEPENDENCIES: readonly CEntry[] = [];

/** A map's values in an array of the exact size (a spread would reserve 17 slots for one dependency). */
function valuesOf(entries: ReadonlyMap<string, CEntry>): readonly CEntry[] {
  if (entries.size === 0) return NO_DEPENDENCIES;
  const values = new Array<CEntry>(entries.size);
  let i = 0;
  entries.forEach((entry) => (values[i++] = entry));
  return values;
}
const EMPTY = new ConfigServices(undefined, {});
const byTree = new WeakMap<CNode, ConfigServices>();

/**
 * The services of a config tree, read once per tree and project variables (dev and prod share a tree when
 * they are made of the same files).
 */
export function configServices(root: CNode | undefined, env: ProjectEnv): ConfigServices {
  if (!root) return EMPTY;
  let found = byTree.get(root);
  if (!found || found.env !== env) {
    found = new ConfigServices(root, env);
    byTree.set(root, found);
  }
  return found;
}

/** The services of the config a rule checks (read once per config tree, shared by every rule). */
export function servicesOf(ctx: ConfigContext): ConfigServices {
  return configServices(ctx.config.root, ctx.env);
}

function readBuildContext(service: CMap, str: Interpolate): BuildContext | undefined {
  const build = service.entries.get('build');
  if (!build || build.value.kind !== 'map') return undefined;
  const contextNode = build.value.entries.get('context')?.value;
  return { context: str(contextNode) ?? '.', node: contextNode ?? build.value, entry: build };
}

function isPathSource(source: string): boolean {
  const first = source.charCodeAt(0);
  if (first === 46 /* . */ || first === 47 /* / */ || first === 126 /* ~ */) return true;
  return isDriveLetterPath(source, 0);
}

/** `[A-Za-z]:` followed by `\` or `/` at `at` (a Windows path). */
function isDriveLetterPath(text: string, at: number): boolean {
  const letter = text.charCodeAt(at) | 0x20;
  if (letter < 97 || letter > 122 || text.charCodeAt(at + 1) !== 58 /* : */) return false;
  const slash = text.charCodeAt(at + 2);
  return slash === 92 || slash === 47;
}

/** True when a comma-separated mode list (`ro`, `rw,z`, `z,ro`), from `start` to the end of `mode`, holds `ro`. */
export function modeListHasRo(mode: string | undefined, start = 0): boolean {
  if (mode === undefined) return false;
  for (;;) {
    const comma = mode.indexOf(',', start);
    const end = comma < 0 ? mode.length : comma;
    if (end - start === 2 && mode.charCodeAt(start) === 114 /* r */ && mode.charCodeAt(start + 1) === 111 /* o */) return true;
    if (comma < 0) return false;
    start = comma + 1;
  }
}

/**
 * The parts of a short volume spec `[source:]target[:mode]`, as `splitVolume` (compose/merge.ts) gives them,
 * without its array and object when the text has no Windows drive letter (the common case).
 */
export function shortVolumeParts(text: string): { source: string | undefined; target: string; mode: string | undefined } {
  const first = text.indexOf(':');
  if (first < 0) return { source: undefined, target: text, mode: undefined };
  // A drive letter (`C:\x`) at the start or after a colon needs splitVolume's character walk.
  if (hasDriveLetter(text, first)) {
    const parts = splitVolume(text);
    return { source: parts.source, target: parts.target, mode: parts.mode };
  }
  const second = text.indexOf(':', first + 1);
  if (second < 0) return { source: text.slice(0, first), target: text.slice(first + 1), mode: undefined };
  return { source: text.slice(0, first), target: text.slice(first + 1, second), mode: text.slice(second + 1) };
}

/** True when `text` has a drive letter (`[A-Za-z]:[\\/]`) at its start or right after a colon (`firstColon` is its first colon). */
function hasDriveLetter(text: string, firstColon: number): boolean {
  if (firstColon === 1 && isDriveLetterPath(text, 0)) return true;
  for (let colon = firstColon; colon >= 0; colon = text.indexOf(':', colon + 1)) {
    if (isDriveLetterPath(text, colon + 1)) return true;
  }
  return false;
}

function readMounts(service: CMap, str: Interpolate): readonly Mount[] {
  const volumes = service.entries.get('volumes')?.value;
  if (volumes?.kind !== 'seq' || volumes.items.length === 0) return NO_MOUNTS;
  // Sized once: a growing array would first reserve 17 slots for a service's two or three mounts.
  const mounts = new Array<Mount>(volumes.items.length);
  let count = 0;
  for (const node of volumes.items) {
    if (node.kind === 'map') {
      const type = str(node.entries.get('type')?.value) ?? 'volume';
      const source = str(node.entries.get('source')?.value);
      const mountType = type === 'bind' || type === 'volume' || type === 'tmpfs' ? type : 'other';
      mounts[count++] = {
        node,
        type: mountType,
        source,
        target: str(node.entries.get('target')?.value) ?? '',
        readOnly: str(node.entries.get('read_only')?.value) === 'true',
        relativeSource: relativeSourceOf(mountType, source),
      };
      continue;
    }
    const text = str(node);
    if (text === undefined) continue;
    mounts[count++] = shortMount(node, text);
  }
  mounts.length = count;
  return mounts;
}

/**
 * A short-syntax mount `[source:]target[:mode]`, read as `shortVolumeParts` reads it, without its intermediate
 * object nor the mode's text (only whether it holds `ro` is kept).
 */
function shortMount(node: CNode, text: string): Mount {
  const first = text.indexOf(':');
  if (first < 0) return mountOf(node, undefined, text, false);
  if (hasDriveLetter(text, first)) {
    const { source, target, mode } = shortVolumeParts(text);
    return mountOf(node, source, target, modeListHasRo(mode));
  }
  const second = text.indexOf(':', first + 1);
  if (second < 0) return mountOf(node, text.slice(0, first), text.slice(first + 1), false);
  return mountOf(node, text.slice(0, first), text.slice(first + 1, second), modeListHasRo(text, second + 1));
}

function mountOf(node: CNode, source: string | undefined, target: string, readOnly: boolean): Mount {
  const type = source === undefined ? 'volume' : isPathSource(source) ? 'bind' : 'volume';
  return { node, type, source, target, readOnly, relativeSource: relativeSourceOf(type, source) };
}

const NO_MOUNTS: readonly Mount[] = [];

/** Only bind mounts from a `.`-relative source are judged by their place in the folder. */
function relativeSourceOf(type: Mount['type'], source: string | undefined): string | undefined {
  return type !== 'bind' || source === undefined || !source.startsWith('.') ? undefined : normalizeRelative(source);
}
