import { interpolate } from '../compose/interpolation';
import { splitVolume } from '../compose/merge';
import { at, type CNode, entry, scalarText, spanOf, type SourceFile } from '../compose/model';
import { buildConfigs, type EffectiveConfig, type FamilySources } from '../compose/project';
import type { Span } from '../text/lineIndex';

/**
 * The architecture map's model: one node per service of a merged compose configuration (development =
 * base + override, production = base + prod), the networks that group them, the `depends_on` edges with
 * their condition, and the mounts the architecture cares about (`./bd/` data, read-only configuration).
 * Pure: files in, graph out; layout and rendering are separate steps (layout.ts, svg.ts, mermaid.ts).
 */

export type MapView = 'dev' | 'prod';

/** `both` for a service of both configurations, else the only configuration that declares it. */
export type Presence = 'both' | 'dev-only' | 'prod-only';

export type MountKind = 'data' | 'config' | 'volume';

export interface MapMount {
  /** `data`: a bind mount under `./bd/`; `config`: a read-only bind mount; `volume`: a named volume. */
  readonly kind: MountKind;
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
}

export interface MapService {
  readonly name: string;
  readonly image?: string;
  /** The build context, when the service is built. */
  readonly build?: string;
  /** `deploy.replicas` (or the legacy `scale`), when set. */
  readonly replicas?: number;
  /** Published ports as `host:container[/protocol]`, in the order written. */
  readonly ports: readonly string[];
  /** Networks the service joins, sorted; `default` when it names none; `mode:<x>` for `network_mode`. */
  readonly networks: readonly string[];
  readonly mounts: readonly MapMount[];
  readonly presence: Presence;
  readonly healthcheck: boolean;
  readonly profiles: readonly string[];
  /** Where the service's key was first written: an index into the family's files and the key's span. */
  readonly definition: { readonly file: number; readonly span: Span };
}

export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface MapEdge {
  /** The dependent service. */
  readonly from: string;
  /** The service it depends on. */
  readonly to: string;
  /** Usually a DependencyCondition; any other text is kept as written (the checks report it). */
  readonly condition: string;
  /** `required: false`: the dependent starts even when this one is missing. */
  readonly optional: boolean;
}

export interface ArchitectureGraph {
  readonly project: string;
  readonly view: MapView;
  /** Sorted by name. */
  readonly services: readonly MapService[];
  /** Sorted by (from, to); only edges between services of this view. */
  readonly edges: readonly MapEdge[];
  /** Networks used by the services, sorted. */
  readonly networks: readonly string[];
  /** `depends_on` targets that no service of this view declares (the checks report them; the map skips them). */
  readonly missingDependencies: readonly { readonly from: string; readonly to: string }[];
}

export interface ArchitectureInput {
  readonly project: string;
  readonly family: FamilySources;
  /** Variables for `${VAR}` in images and ports; values that stay unresolved are shown as written. */
  readonly lookup?: (name: string) => string | undefined;
}

export interface Architecture {
  readonly dev: ArchitectureGraph;
  readonly prod: ArchitectureGraph;
  /** False when the family has no production file (the production view is the base file alone). */
  readonly hasProd: boolean;
}

/**
 * The merged configurations the map draws. One function, so the map follows whatever merge the checks use.
 */
export function effectiveConfigs(family: FamilySources): { dev: EffectiveConfig | undefined; prod: EffectiveConfig | undefined } {
  const configs = buildConfigs(family, 'all');
  return { dev: configs.find((c) => c.role === 'dev'), prod: configs.find((c) => c.role === 'prod') };
}

/**
 * Builds the development and production graphs of a compose family. A file that does not parse contributes
 * nothing; an alias bomb (ModelBudgetExceeded) propagates to the caller, which shows why there is no map.
 */
export function buildArchitecture(input: ArchitectureInput): Architecture {
  const { dev, prod } = effectiveConfigs(input.family);
  const lookup = input.lookup ?? (() => undefined);
  const devNames = serviceNames(dev?.root);
  const prodNames = serviceNames(prod?.root);
  return {
    dev: graphOf(input.project, 'dev', dev?.root, (name) => (prodNames.has(name) ? 'both' : 'dev-only'), lookup),
    prod: graphOf(input.project, 'prod', prod?.root, (name) => (devNames.has(name) ? 'both' : 'prod-only'), lookup),
    hasProd: input.family.prod !== undefined,
  };
}

/** Convenience for tests and the CLI: a family from texts already parsed, base first. */
export function familyOf(files: readonly SourceFile[], roles: { override?: number; prod?: number } = {}): FamilySources {
  return { files, ...(roles.override !== undefined ? { override: roles.override } : {}), ...(roles.prod !== undefined ? { prod: roles.prod } : {}) };
}

function serviceNames(root: CNode | undefined): Set<string> {
  const services = at(root, 'services');
  return new Set(services?.kind === 'map' ? services.entries.keys() : []);
}

function graphOf(project: string, view: MapView, root: CNode | undefined, presence: (name: string) => Presence, lookup: (name: string) => string | undefined): ArchitectureGraph {
  const servicesNode = at(root, 'services');
  const services: MapService[] = [];
  const edges: MapEdge[] = [];
  const missing: { from: string; to: string }[] = [];
  if (servicesNode?.kind === 'map') {
    const names = new Set(servicesNode.entries.keys());
    for (const [name, serviceEntry] of servicesNode.entries) {
      const service = serviceEntry.value;
      services.push(serviceOf(name, service, presence(name), serviceEntry.keyOrigin.file, spanOf(serviceEntry.keyOrigin), lookup));
      const dependsOn = at(service, 'depends_on');
      if (dependsOn?.kind !== 'map') continue;
      for (const [target, dependency] of dependsOn.entries) {
        if (!names.has(target)) {
          missing.push({ from: name, to: target });
          continue;
        }
        const condition = scalarText(at(dependency.value, 'condition')) ?? 'service_started';
        const required = at(dependency.value, 'required');
        edges.push({ from: name, to: target, condition, optional: required?.kind === 'scalar' && (required.value === false || required.value === 'false') });
      }
    }
  }
  services.sort((a, b) => compareNames(a.name, b.name));
  edges.sort((a, b) => compareNames(a.from, b.from) || compareNames(a.to, b.to));
  missing.sort((a, b) => compareNames(a.from, b.from) || compareNames(a.to, b.to));
  const networks = [...new Set(services.flatMap((s) => s.networks))].sort(compareNames);
  return { project, view, services, edges, networks, missingDependencies: missing };
}

/** Code-point order, so the picture does not depend on the machine's locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function text(node: CNode | undefined, lookup: (name: string) => string | undefined): string | undefined {
  const raw = scalarText(node);
  if (raw === undefined || !raw.includes('$')) return raw;
  const result = interpolate(raw, lookup);
  return result.unresolved.length > 0 ? raw : result.value;
}

function serviceOf(name: string, service: CNode, presence: Presence, file: number, span: Span, lookup: (name: string) => string | undefined): MapService {
  const image = text(at(service, 'image'), lookup);
  const build = text(at(service, 'build', 'context'), lookup) ?? (entry(service, 'build') ? '.' : undefined);
  const replicasText = scalarText(at(service, 'deploy', 'replicas')) ?? scalarText(at(service, 'scale'));
  const replicas = replicasText !== undefined && /^\d+$/.test(replicasText) ? Number(replicasText) : undefined;
  const profilesNode = at(service, 'profiles');
  const profiles = profilesNode?.kind === 'seq' ? profilesNode.items.flatMap((item) => scalarText(item) ?? []) : [];
  const healthcheck = at(service, 'healthcheck');
  const disabled = scalarText(at(healthcheck, 'disable')) === 'true';
  const test = at(healthcheck, 'test');
  const testText = test?.kind === 'seq' ? scalarText(test.items[0]) : scalarText(test);
  return {
    name,
    ...(image !== undefined ? { image } : {}),
    ...(build !== undefined ? { build } : {}),
    ...(replicas !== undefined ? { replicas } : {}),
    ports: publishedPorts(at(service, 'ports'), lookup),
    networks: networksOf(service),
    mounts: mountsOf(at(service, 'volumes'), lookup),
    presence,
    healthcheck: healthcheck !== undefined && !disabled && testText !== 'NONE',
    profiles: [...profiles].sort(compareNames),
    definition: { file, span },
  };
}

function networksOf(service: CNode): string[] {
  const mode = scalarText(at(service, 'network_mode'));
  if (mode !== undefined) return [`mode:${mode}`];
  const networks = at(service, 'networks');
  if (networks?.kind === 'map' && networks.entries.size > 0) return [...networks.entries.keys()].sort(compareNames);
  return ['default'];
}

/** `[ip:]host:container[/proto]` and the long form; ports that are only exposed (no host part) are left out. */
export function publishedPorts(node: CNode | undefined, lookup: (name: string) => string | undefined = () => undefined): string[] {
  if (node?.kind !== 'seq') return [];
  const ports: string[] = [];
  for (const item of node.items) {
    if (item.kind === 'map') {
      const published = text(at(item, 'published'), lookup);
      const target = text(at(item, 'target'), lookup);
      if (published === undefined || target === undefined) continue;
      const protocol = text(at(item, 'protocol'), lookup);
      ports.push(`${published}:${target}${protocol && protocol !== 'tcp' ? `/${protocol}` : ''}`);
      continue;
    }
    const spec = text(item, lookup);
    if (spec === undefined) continue;
    const [address, protocol] = spec.split('/');
    const parts = (address ?? '').split(':');
    if (parts.length < 2) continue;
    const target = parts[parts.length - 1] ?? '';
    const published = parts[parts.length - 2] ?? '';
    if (published === '') continue;
    ports.push(`${published}:${target}${protocol && protocol !== 'tcp' ? `/${protocol}` : ''}`);
  }
  return ports;
}

/** The mounts the map shows: `./bd/` data, read-only binds (configuration) and named volumes. */
export function mountsOf(node: CNode | undefined, lookup: (name: string) => string | undefined = () => undefined): MapMount[] {
  if (node?.kind !== 'seq') return [];
  const mounts: MapMount[] = [];
  for (const item of node.items) {
    let source: string | undefined;
    let target: string | undefined;
    let readOnly: boolean;
    let type: string | undefined;
    if (item.kind === 'map') {
      source = text(at(item, 'source'), lookup);
      target = text(at(item, 'target'), lookup);
      type = scalarText(at(item, 'type'));
      readOnly = scalarText(at(item, 'read_only')) === 'true';
    } else {
      const spec = text(item, lookup);
      if (spec === undefined) continue;
      const parts = splitVolume(spec);
      source = parts.source;
      target = parts.target;
      readOnly = (parts.mode ?? '').split(',').includes('ro');
    }
    if (source === undefined || source === '' || target === undefined) continue;
    const bind = type === 'bind' || /^(?:\.{1,2}[\\/]|[\\/]|~|[A-Za-z]:[\\/])/.test(source) || source === '.';
    if (type !== undefined && type !== 'bind' && type !== 'volume') continue;
    if (bind && /^(?:\.\/)?bd\//.test(source)) mounts.push({ kind: 'data', source, target, readOnly });
    else if (bind && readOnly) mounts.push({ kind: 'config', source, target, readOnly });
    else if (!bind) mounts.push({ kind: 'volume', source, target, readOnly });
  }
  return mounts;
}
