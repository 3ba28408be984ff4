import { splitVolume } from '../../compose/merge';
import type { CMap, Origin } from '../../compose/model';
import type { TextEdit } from '../../findings';
import { msg } from '../../message';
import type { ComposeRule, ConfigContext } from '../types';
import { appendToMap } from '../yamlEdit';
import { fixFromEdits, normalizeRelative } from './helpers';
import { type BuildContext, type Mount, servicesOf } from './services';

export type { Mount } from './services';

/** Where a build context finding goes: the `build` key when the context is implied, else the context's value. */
function buildAt(build: BuildContext): Origin {
  return build.node === build.entry.value && build.node.kind === 'map' ? build.entry.keyOrigin : build.node.origin;
}

const buildOutsideBuildDir: ComposeRule = {
  id: 'build-outside-build-dir',
  defaultSeverity: 'warning',
  summary: msg('A service built from source has its build context at ./build/<service>.'),
  checkConfig(ctx) {
    const services = servicesOf(ctx);
    for (let i = 0; i < services.list.length; i++) {
      const build = services.buildOf(i, ctx.str);
      if (!build) continue;
      const name = services.list[i]!.name;
      const relative = normalizeRelative(build.context);
      if (relative === undefined && /^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(build.context)) continue; // remote context
      if (isBuildDirOf(relative, name)) continue;
      ctx.report(buildAt(build), msg('The build context of "{0}" is "{1}"; the architecture keeps it at ./build/{0}.', name, build.context));
    }
  },
};

/** `relative === \`build/${name}\``, without building that string for every service. */
function isBuildDirOf(relative: string | undefined, name: string): boolean {
  return relative !== undefined && relative.length === 6 + name.length && relative.startsWith('build/') && relative.endsWith(name);
}

/** Container paths where images keep their persistent data. */
const DATA_TARGET = /^\/(?:var\/lib\/|data(?:\/|$)|bitnami\/|var\/opt\/|srv\/data|usr\/share\/elasticsearch\/data|var\/lib$|opt\/couchdb\/data|var\/cache\/)/;

const dataOutsideBd: ComposeRule = {
  id: 'data-outside-bd',
  defaultSeverity: 'warning',
  summary: msg('Persistent data is bind-mounted from ./bd/; production mounts nothing from outside ./bd/ and ./data/.'),
  roleSensitive: true,
  checkConfig(ctx) {
    const services = servicesOf(ctx);
    // Code mounted from the working tree is how development works; production runs what the image holds.
    // Only a project that splits dev and prod (an override or prod file) says which mounts are for development.
    const judgesCodeMounts = ctx.config.role === 'prod' && (ctx.family.override !== undefined || ctx.family.prod !== undefined);
    for (let i = 0; i < services.list.length; i++) {
      const name = services.list[i]!.name;
      const mounts = services.mountsOf(i, ctx.str);
      for (let m = 0; m < mounts.length; m++) {
        const mount = mounts[m]!;
        if (mount.type !== 'bind') continue;
        const relative = mount.relativeSource;
        if (relative === undefined) continue; // absolute host paths (sockets, devices) are deliberate
        if (relative === 'bd' || relative.startsWith('bd/')) continue;
        if (DATA_TARGET.test(mount.target)) {
          ctx.report(mount.node.origin, msg('Service "{0}" keeps data at {1} in "{2}": persistent data belongs under ./bd/.', name, mount.target, mount.source ?? ''));
          continue;
        }
        if (judgesCodeMounts && !(relative === 'data' || relative.startsWith('data/'))) {
          ctx.report(mount.node.origin, msg('Service "{0}" bind-mounts "{1}" in the production config: mount only ./bd/ (data) and ./data/ (config); code belongs in the image.', name, mount.source ?? ''));
        }
      }
    }
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
    const services = servicesOf(ctx);
    for (let i = 0; i < services.list.length; i++) {
      const mounts = services.mountsOf(i, ctx.str);
      for (let m = 0; m < mounts.length; m++) {
        const mount = mounts[m]!;
        if (mount.type !== 'bind' || mount.readOnly) continue;
        const relative = mount.relativeSource;
        if (relative === undefined || !CONFIG_SOURCE.test(relative)) continue;
        const plan = readOnlyEdits(ctx, mount);
        const fixes = plan ? fixFromEdits(ctx, mount.node.origin.file, msg('Mount it read-only'), new Map([[plan.file, plan.edits]])) : [];
        ctx.report(mount.node.origin, msg('Service "{0}" mounts configuration "{1}" writable: add :ro.', services.list[i]!.name, mount.source ?? ''), fixes);
      }
    }
  },
};

/** The paths `build-missing` needs to know about, relative to the family folder: contexts and Dockerfiles. */
export function buildPathsToProbe(ctx: ConfigContext): string[] {
  const paths: string[] = [];
  const services = servicesOf(ctx);
  for (let i = 0; i < services.list.length; i++) {
    const build = services.buildOf(i, ctx.str);
    if (!build) continue;
    const context = normalizeRelative(build.context);
    if (context === undefined) continue;
    paths.push(context);
    const dockerfile = dockerfileOf(ctx, services.list[i]!.value);
    if (dockerfile) {
      const full = normalizeRelative(`${context}/${dockerfile}`);
      if (full) paths.push(full);
    }
  }
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
    const services = servicesOf(ctx);
    for (let i = 0; i < services.list.length; i++) {
      const build = services.buildOf(i, ctx.str);
      if (!build) continue;
      const { name: name, value: service } = services.list[i]!;
      const context = normalizeRelative(build.context);
      if (context === undefined) continue;
      const at = buildAt(build);
      if (!existing.has(context)) {
        ctx.report(at, msg('The build context "{0}" of "{1}" does not exist.', build.context, name));
        continue;
      }
      const dockerfile = dockerfileOf(ctx, service);
      const full = dockerfile ? normalizeRelative(`${context}/${dockerfile}`) : undefined;
      if (dockerfile && full && !existing.has(full)) {
        const dockerfileNode = service.entries.get('build')?.value;
        const node = dockerfileNode?.kind === 'map' ? dockerfileNode.entries.get('dockerfile')?.value : undefined;
        ctx.report(node?.origin ?? at, msg('The Dockerfile "{0}" of "{1}" does not exist.', full, name));
      }
    }
  },
};

export const pathRules: readonly ComposeRule[] = [buildOutsideBuildDir, dataOutsideBd, configWritable, buildMissing];
