// Frozen copy of src/core/rules/compose/pathRules.ts as it was before the rules were made cheaper (commit 4a6a1b8):
// the reference test/unit/rules/rulesRewrite.test.ts compares the rewritten rules with. Do not edit.
import { splitVolume } from '../../../../src/core/compose/merge';
import type { CEntry, CMap, CNode } from '../../../../src/core/compose/model';
import type { TextEdit } from '../../../../src/core/findings';
import { msg } from '../../../../src/core/message';
import type { ComposeRule, ConfigContext } from '../../../../src/core/rules/types';
import { appendToMap } from '../../../../src/core/rules/yamlEdit';
import { fixFromEdits, normalizeRelative, serviceEntries } from './helpers';

/** One entry of a service's `volumes`, in either syntax, after interpolation. */
export interface Mount {
  readonly node: CNode;
  readonly type: 'bind' | 'volume' | 'tmpfs' | 'other';
  readonly source?: string;
  readonly target: string;
  readonly readOnly: boolean;
  /** Short syntax only: the mode after the second colon (`ro`, `rw,z`...). */
  readonly mode?: string;
}

function isPathSource(source: string): boolean {
  return source.startsWith('.') || source.startsWith('/') || source.startsWith('~') || /^[A-Za-z]:[\\/]/.test(source);
}

const mountCache = new WeakMap<CMap, Mount[]>();

/** Reads a service's mounts (short `src:dst:mode` or long `{type, source, target, read_only}`); several rules ask, so it is remembered per service. */
export function serviceMounts(ctx: ConfigContext, service: CMap): Mount[] {
  const cached = mountCache.get(service);
  if (cached) return cached;
  const mounts = readMounts(ctx, service);
  mountCache.set(service, mounts);
  return mounts;
}

function readMounts(ctx: ConfigContext, service: CMap): Mount[] {
  const volumes = service.entries.get('volumes')?.value;
  if (volumes?.kind !== 'seq') return [];
  const mounts: Mount[] = [];
  for (const node of volumes.items) {
    if (node.kind === 'map') {
      const type = ctx.str(node.entries.get('type')?.value) ?? 'volume';
      const source = ctx.str(node.entries.get('source')?.value);
      mounts.push({
        node,
        type: type === 'bind' || type === 'volume' || type === 'tmpfs' ? type : 'other',
        ...(source !== undefined ? { source } : {}),
        target: ctx.str(node.entries.get('target')?.value) ?? '',
        readOnly: ctx.str(node.entries.get('read_only')?.value) === 'true',
      });
      continue;
    }
    const text = ctx.str(node);
    if (text === undefined) continue;
    const { source, target, mode } = splitVolume(text);
    const modes = (mode ?? '').split(',');
    mounts.push({
      node,
      type: source === undefined ? 'volume' : isPathSource(source) ? 'bind' : 'volume',
      ...(source !== undefined ? { source } : {}),
      target,
      readOnly: modes.includes('ro'),
      ...(mode !== undefined ? { mode } : {}),
    });
  }
  return mounts;
}

function eachService(ctx: ConfigContext, visit: (service: CEntry & { value: CMap }, name: string) => void): void {
  for (const service of serviceEntries(ctx.config.root)) if (service.value.kind === 'map') visit(service as CEntry & { value: CMap }, service.key);
}

/** The build context of a service (string form or `build.context`; `.` when `build` has none). */
function buildContext(ctx: ConfigContext, service: CMap): { context: string; node: CNode; entry: CEntry } | undefined {
  const build = service.entries.get('build');
  if (!build) return undefined;
  if (build.value.kind !== 'map') return undefined;
  const contextNode = build.value.entries.get('context')?.value;
  return { context: ctx.str(contextNode) ?? '.', node: contextNode ?? build.value, entry: build };
}

const buildOutsideBuildDir: ComposeRule = {
  id: 'build-outside-build-dir',
  defaultSeverity: 'warning',
  summary: msg('A service built from source has its build context at ./build/<service>.'),
  checkConfig(ctx) {
    eachService(ctx, (service, name) => {
      const build = buildContext(ctx, service.value);
      if (!build) return;
      const relative = normalizeRelative(build.context);
      if (relative === undefined && /^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(build.context)) return; // remote context
      if (relative === `build/${name}`) return;
      const at = build.node === build.entry.value && build.node.kind === 'map' ? build.entry.keyOrigin : build.node.origin;
      ctx.report(at, msg('The build context of "{0}" is "{1}"; the architecture keeps it at ./build/{0}.', name, build.context));
    });
  },
};

/** Container paths where images keep their persistent data. */
const DATA_TARGET = /^\/(?:var\/lib\/|data(?:\/|$)|bitnami\/|var\/opt\/|srv\/data|usr\/share\/elasticsearch\/data|var\/lib$|opt\/couchdb\/data|var\/cache\/)/;

function relativeSource(source: string | undefined): string | undefined {
  return source === undefined || !source.startsWith('.') ? undefined : normalizeRelative(source);
}

const dataOutsideBd: ComposeRule = {
  id: 'data-outside-bd',
  defaultSeverity: 'warning',
  summary: msg('Persistent data is bind-mounted from ./bd/; production mounts nothing from outside ./bd/ and ./data/.'),
  roleSensitive: true,
  checkConfig(ctx) {
    eachService(ctx, (service, name) => {
      for (const mount of serviceMounts(ctx, service.value)) {
        if (mount.type !== 'bind') continue;
        const relative = relativeSource(mount.source);
        if (relative === undefined) continue; // absolute host paths (sockets, devices) are deliberate
        if (relative === 'bd' || relative.startsWith('bd/')) continue;
        if (DATA_TARGET.test(mount.target)) {
          ctx.report(mount.node.origin, msg('Service "{0}" keeps data at {1} in "{2}": persistent data belongs under ./bd/.', name, mount.target, mount.source ?? ''));
          continue;
        }
        // Code mounted from the working tree is how development works; production runs what the image holds.
        // Only a project that splits dev and prod (an override or prod file) says which mounts are for development.
        const splitsRoles = ctx.family.override !== undefined || ctx.family.prod !== undefined;
        if (ctx.config.role === 'prod' && splitsRoles && !(relative === 'data' || relative.startsWith('data/'))) {
          ctx.report(mount.node.origin, msg('Service "{0}" bind-mounts "{1}" in the production config: mount only ./bd/ (data) and ./data/ (config); code belongs in the image.', name, mount.source ?? ''));
        }
      }
    });
  },
};

const CONFIG_SOURCE = /^data\/[^/]+\/config(?:\/|$)/;

/** The edits that make a mount read-only, keeping its syntax and quotes. */
function readOnlyEdits(ctx: ConfigContext, mount: Mount): { file: number; edits: TextEdit[] } | undefined {
  const origin = mount.node.origin;
  const source = ctx.family.files[origin.file];
  if (!source) return undefined;
  if (mount.node.kind === 'map') {
    if (origin.node.kind !== 'map') return undefined;
    if (mount.node.entries.has('read_only')) {
      const value = mount.node.entries.get('read_only')?.value;
      if (value?.kind !== 'scalar' || value.origin.file !== origin.file) return undefined;
      return { file: origin.file, edits: [{ span: value.origin.node.span, newText: 'true' }] };
    }
    const edit = appendToMap(source.text, origin.node, [[0, 'read_only: true']]);
    return edit ? { file: origin.file, edits: [edit] } : undefined;
  }
  const node = origin.node;
  if (node.kind !== 'scalar' || node.style === 'block-literal' || node.style === 'block-folded') return undefined;
  const raw = source.text.slice(node.span.start, node.span.end);
  const quoted = node.style === 'single' || node.style === 'double';
  const contentEnd = node.span.start + (quoted ? raw.lastIndexOf(raw[0] ?? '"') : raw.trimEnd().length);
  const content = source.text.slice(node.span.start + (quoted ? 1 : 0), contentEnd);
  if (content.includes('$')) return undefined; // rewriting around a variable could change its meaning
  const parts = splitVolume(content);
  if (parts.mode === undefined) return { file: origin.file, edits: [{ span: { start: contentEnd, end: contentEnd }, newText: ':ro' }] };
  const modeStart = contentEnd - parts.mode.length;
  const modes = parts.mode.split(',').filter((m) => m !== 'rw' && m !== 'ro');
  return { file: origin.file, edits: [{ span: { start: modeStart, end: contentEnd }, newText: ['ro', ...modes].join(',') }] };
}

const configWritable: ComposeRule = {
  id: 'config-writable',
  defaultSeverity: 'warning',
  summary: msg('Configuration from ./data/<service>/config is mounted read-only (:ro).'),
  checkConfig(ctx) {
    eachService(ctx, (service, name) => {
      for (const mount of serviceMounts(ctx, service.value)) {
        if (mount.type !== 'bind' || mount.readOnly) continue;
        const relative = relativeSource(mount.source);
        if (relative === undefined || !CONFIG_SOURCE.test(relative)) continue;
        const plan = readOnlyEdits(ctx, mount);
        const fixes = plan ? fixFromEdits(ctx, mount.node.origin.file, msg('Mount it read-only'), new Map([[plan.file, plan.edits]])) : [];
        ctx.report(mount.node.origin, msg('Service "{0}" mounts configuration "{1}" writable: add :ro.', name, mount.source ?? ''), fixes);
      }
    });
  },
};

/** The paths `build-missing` needs to know about, relative to the family folder: contexts and Dockerfiles. */
export function buildPathsToProbe(ctx: ConfigContext): string[] {
  const paths: string[] = [];
  eachService(ctx, (service) => {
    const build = buildContext(ctx, service.value);
    if (!build) return;
    const context = normalizeRelative(build.context);
    if (context === undefined) return;
    paths.push(context);
    const dockerfile = dockerfileOf(ctx, service.value);
    if (dockerfile) {
      const full = normalizeRelative(`${context}/${dockerfile}`);
      if (full) paths.push(full);
    }
  });
  return paths;
}

function dockerfileOf(ctx: ConfigContext, service: CMap): string | undefined {
  const build = service.entries.get('build')?.value;
  if (build?.kind !== 'map' || build.entries.has('dockerfile_inline')) return undefined;
  const dockerfile = ctx.str(build.entries.get('dockerfile')?.value) ?? 'Dockerfile';
  return dockerfile.startsWith('/') ? undefined : dockerfile;
}

const buildMissing: ComposeRule = {
  id: 'build-missing',
  defaultSeverity: 'error',
  summary: msg('The build context folder and its Dockerfile exist on disk.'),
  checkConfig(ctx) {
    const existing = ctx.existingPaths;
    if (!existing) return;
    eachService(ctx, (service, name) => {
      const build = buildContext(ctx, service.value);
      if (!build) return;
      const context = normalizeRelative(build.context);
      if (context === undefined) return;
      const at = build.node === build.entry.value && build.node.kind === 'map' ? build.entry.keyOrigin : build.node.origin;
      if (!existing.has(context)) {
        ctx.report(at, msg('The build context "{0}" of "{1}" does not exist.', build.context, name));
        return;
      }
      const dockerfile = dockerfileOf(ctx, service.value);
      const full = dockerfile ? normalizeRelative(`${context}/${dockerfile}`) : undefined;
      if (dockerfile && full && !existing.has(full)) {
        const dockerfileNode = service.value.entries.get('build')?.value;
        const node = dockerfileNode?.kind === 'map' ? dockerfileNode.entries.get('dockerfile')?.value : undefined;
        ctx.report(node?.origin ?? at, msg('The Dockerfile "{0}" of "{1}" does not exist.', full, name));
      }
    });
  },
};

export const pathRules: readonly ComposeRule[] = [buildOutsideBuildDir, dataOutsideBd, configWritable, buildMissing];
