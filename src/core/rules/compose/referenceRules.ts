import { type CEntry, type CMap, type CNode, scalarText } from '../../compose/model';
import type { TextEdit } from '../../findings';
import { msg } from '../../message';
import type { ComposeRule, ConfigContext } from '../types';
import { addToMap, columnOf, endOfLine, indentUnit, lineBreak } from '../yamlEdit';
import { fixFromEdits, topLevelNames } from './helpers';
import { servicesOf } from './services';

/** Rewrites a list-form `depends_on` as a mapping with conditions, keeping its place and indentation. */
function dependsOnListToMap(ctx: ConfigContext, entry: CEntry, healthy: (name: string) => boolean): { file: number; edit: TextEdit } | undefined {
  const list = entry.value.origin.node;
  const key = entry.keyOrigin.node;
  const file = entry.keyOrigin.file;
  const source = ctx.family.files[file];
  if (list.kind !== 'seq' || entry.value.origin.file !== file || !source) return undefined;
  const names = list.items.map((item) => (item.kind === 'scalar' ? String(item.value) : undefined));
  if (names.some((name) => name === undefined)) return undefined;
  const unit = indentUnit(source.text);
  const indent = ' '.repeat(columnOf(source.text, key.span.start) + unit);
  const eol = lineBreak(source.text);
  const colon = source.text.indexOf(':', key.span.end);
  let end = list.span.end;
  while (end > list.span.start && /\s/.test(source.text[end - 1] ?? '')) end--;
  // Keep a comment that follows the list on its last line.
  end = Math.min(endOfLine(source.text, end - 1), end);
  const lines = list.items.map((item, i) => {
    const name = names[i] as string;
    // A comment after an item inside the replaced text moves with it to its `name:` line.
    const lineEnd = endOfLine(source.text, item.span.end);
    const comment = lineEnd <= end ? /^[\s,\]]*(#.*)$/.exec(source.text.slice(item.span.end, lineEnd))?.[1] : undefined;
    return `${eol}${indent}${name}:${comment ? ` ${comment}` : ''}${eol}${indent}${' '.repeat(unit)}condition: ${healthy(name) ? 'service_healthy' : 'service_started'}`;
  });
  return { file, edit: { span: { start: colon + 1, end }, newText: lines.join('') } };
}

const dependsOnUnconditioned: ComposeRule = {
  id: 'depends-on-unconditioned',
  defaultSeverity: 'warning',
  summary: msg('depends_on on a service with a healthcheck waits for condition: service_healthy.'),
  checkConfig(ctx) {
    const services = servicesOf(ctx);
    const healthy = (name: string) => {
      const target = services.indexOf(name);
      return target >= 0 && services.hasHealthcheck(target);
    };
    for (let i = 0; i < services.list.length; i++) {
      const dependencies = services.dependsOn(i);
      if (dependencies.length === 0) continue;
      const { name: name, value } = services.list[i]!;
      const dependsEntry = value.entries.get('depends_on');
      for (let d = 0; d < dependencies.length; d++) {
        const dependency = dependencies[d]!;
        if (!healthy(dependency.name)) continue;
        const condition = dependency.value.kind === 'map' ? dependency.value.entries.get('condition') : undefined;
        const current = ctx.str(condition?.value);
        if (current === 'service_healthy') continue;
        const at = dependency.keyOrigin;
        const message = msg('"{0}" depends on "{1}", which has a healthcheck, without condition: service_healthy: it may start before "{1}" is ready.', name, dependency.name);
        let edits: Map<number, TextEdit[]> | undefined;
        const isListForm = dependency.value.kind === 'map' && dependency.value.origin.node === dependency.keyOrigin.node;
        if (isListForm && dependsEntry) {
          const plan = dependsOnListToMap(ctx, dependsEntry, healthy);
          if (plan) edits = new Map([[plan.file, [plan.edit]]]);
        } else if (condition?.value.kind === 'scalar') {
          edits = new Map([[condition.value.origin.file, [{ span: condition.value.origin.node.span, newText: 'service_healthy' }]]]);
        } else if (dependency.value.kind === 'map' || (dependency.value.kind === 'scalar' && dependency.value.value === null)) {
          const source = ctx.family.files[at.file];
          const valueNode = dependency.value.origin.node;
          const edit = source ? addToMap(source.text, at.node, valueNode === at.node ? null : valueNode, [[0, 'condition: service_healthy']]) : undefined;
          if (edit) edits = new Map([[at.file, [edit]]]);
        }
        ctx.report(at, message, fixFromEdits(ctx, at.file, msg('Wait until "{0}" is healthy', dependency.name), edits));
      }
    }
  },
};

const unknownReference: ComposeRule = {
  id: 'unknown-reference',
  defaultSeverity: 'error',
  summary: msg('depends_on, networks, volumes, secrets, configs and extends name things the project defines.'),
  checkConfig(ctx) {
    const root = ctx.config.root;
    const services = servicesOf(ctx);
    const networks = topLevelNames(root, 'networks');
    const volumes = topLevelNames(root, 'volumes');
    const secrets = topLevelNames(root, 'secrets');
    const configs = topLevelNames(root, 'configs');
    for (let i = 0; i < services.list.length; i++) {
      const { name: name, value: service } = services.list[i]!;
      const dependencies = services.dependsOn(i);
      for (let d = 0; d < dependencies.length; d++) {
        const dependency = dependencies[d]!;
        if (!services.isService(dependency.name)) ctx.report(dependency.keyOrigin, msg('"{0}" depends on "{1}", which is not a service of this project.', name, dependency.name));
      }
      const serviceNetworks = service.entries.get('networks')?.value;
      if (serviceNetworks?.kind === 'map') {
        for (const network of serviceNetworks.entries.values()) {
          if (network.name !== 'default' && !networks.has(network.name)) ctx.report(network.keyOrigin, msg('Network "{0}" of service "{1}" is not declared under the top-level networks.', network.name, name));
        }
      }
      const mounts = services.mountsOf(i, ctx.str);
      for (let m = 0; m < mounts.length; m++) {
        const mount = mounts[m]!;
        if (mount.type !== 'volume' || mount.source === undefined || mount.source === '') continue;
        if (!volumes.has(mount.source)) ctx.report(mount.node.origin, msg('Volume "{0}" of service "{1}" is not declared under the top-level volumes.', mount.source, name));
      }
      checkGrants(ctx, service, name, 'secrets', secrets);
      checkGrants(ctx, service, name, 'configs', configs);
      const extendsNode = service.entries.get('extends')?.value;
      if (extendsNode) {
        const fromOtherFile = extendsNode.kind === 'map' && extendsNode.entries.has('file');
        const target = extendsNode.kind === 'map' ? extendsNode.entries.get('service')?.value : extendsNode;
        const targetName = ctx.str(target);
        if (!fromOtherFile && target && targetName !== undefined && !services.isService(targetName)) {
          ctx.report(target.origin, msg('Service "{0}" extends "{1}", which is not a service of this file.', name, targetName));
        }
      }
    }
  },
};

/** A service's `secrets` or `configs` name entries declared at the top level. */
function checkGrants(ctx: ConfigContext, service: CMap, name: string, key: 'secrets' | 'configs', declared: ReadonlyMap<string, CEntry>): void {
  const list = service.entries.get(key)?.value;
  if (list?.kind !== 'seq') return;
  for (const item of list.items) {
    const source = item.kind === 'map' ? ctx.str(item.entries.get('source')?.value) : ctx.str(item);
    const node: CNode = item.kind === 'map' ? (item.entries.get('source')?.value ?? item) : item;
    if (source !== undefined && !declared.has(source)) {
      ctx.report(node.origin, key === 'secrets' ? msg('Secret "{0}" of service "{1}" is not declared under the top-level secrets.', source, name) : msg('Config "{0}" of service "{1}" is not declared under the top-level configs.', source, name));
    }
  }
}

const dependsOnCycle: ComposeRule = {
  id: 'depends-on-cycle',
  defaultSeverity: 'error',
  summary: msg('depends_on has no cycles (Compose could not decide what to start first).'),
  checkConfig(ctx) {
    const services = servicesOf(ctx);
    const count = services.list.length;
    const state = new Uint8Array(count); // 0 unseen, VISITING, DONE
    // The path being walked: service indices and the depends_on entry that led to each (none for the first).
    // Written at `depth`, not pushed and popped: V8 gives a popped-empty array's storage back, so every
    // visit would allocate it again.
    const path = new Array<number>(count);
    const edges = new Array<CEntry | undefined>(count);
    let depth = 0;
    const reported = new Set<string>();
    const visit = (index: number, edge: CEntry | undefined) => {
      state[index] = VISITING;
      path[depth] = index;
      edges[depth] = edge;
      depth++;
      const dependencies = services.dependsOn(index);
      for (let d = 0; d < dependencies.length; d++) {
        const dependency = dependencies[d]!;
        const target = services.indexOf(dependency.name);
        if (target < 0) continue;
        const seen = state[target];
        if (seen === VISITING) {
          let from = 0;
          while (path[from] !== target) from++;
          const cycle = path.slice(from, depth).map((member) => services.list[member]!.name);
          cycle.push(dependency.name);
          const id = [...new Set(cycle)].sort().join(',');
          if (reported.has(id)) continue;
          reported.add(id);
          const cycleEdges = [...edges.slice(from + 1, depth), dependency].filter((e): e is CEntry => e !== undefined);
          for (const e of cycleEdges) ctx.report(e.keyOrigin, msg('depends_on forms a cycle: {0}.', cycle.join(' → ')));
        } else if (seen === 0) visit(target, dependency);
      }
      depth--;
      state[index] = DONE;
    };
    for (let i = 0; i < count; i++) if (state[i] === 0) visit(i, undefined);
  },
};

const VISITING = 1;
const DONE = 2;

/** The host ports one `ports` entry publishes: `first` to `last` (none when `last < first`), on `ip` and `protocol`. */
export interface PublishedPorts {
  readonly ip: string;
  readonly protocol: string;
  readonly first: number;
  readonly last: number;
}

/**
 * Host ports a `ports` entry publishes: `[ip:]host[-end]:container[/proto]` or the long syntax. Undefined when it
 * publishes none that can be judged (container port only, an unresolved variable). Read with `indexOf` and
 * character codes: it runs on every port of every service.
 */
export function publishedPorts(str: (node: CNode | undefined) => string | undefined, item: CNode): PublishedPorts | undefined {
  if (item.kind === 'map') {
    const published = str(item.entries.get('published')?.value);
    if (published === undefined || published === '') return undefined;
    return withRange(str(item.entries.get('host_ip')?.value) ?? '', str(item.entries.get('protocol')?.value) ?? 'tcp', published, 0, published.length);
  }
  const text = str(item);
  if (text === undefined || (scalarText(item)?.includes('$') && /\$\{?[A-Za-z_]/.test(text))) return undefined;
  // `spec/protocol[/ignored]`: the protocol is what lies between the first and a second slash.
  const slash = text.indexOf('/');
  const specEnd = slash < 0 ? text.length : slash;
  let protocol = 'tcp';
  if (slash >= 0) {
    const secondSlash = text.indexOf('/', slash + 1);
    protocol = text.slice(slash + 1, secondSlash < 0 ? text.length : secondSlash);
  }
  // In the spec, the host port is the part before the last colon; the IP is everything before that part.
  const lastColon = specEnd === 0 ? -1 : text.lastIndexOf(':', specEnd - 1);
  if (lastColon < 0) return undefined; // container port only: Docker picks a free host port
  const hostStart = lastColon === 0 ? 0 : text.lastIndexOf(':', lastColon - 1) + 1;
  if (hostStart === lastColon) return undefined;
  return withRange(hostStart === 0 ? '' : unbracketed(text.slice(0, hostStart - 1)), protocol, text, hostStart, lastColon);
}

/** An IPv6 address loses a leading `[` and a trailing `]` (`[::1]` is `::1`). */
function unbracketed(ip: string): string {
  const start = ip.charCodeAt(0) === 91 /* [ */ ? 1 : 0;
  const end = ip.length > start && ip.charCodeAt(ip.length - 1) === 93 /* ] */ ? ip.length - 1 : ip.length;
  return start === 0 && end === ip.length ? ip : ip.slice(start, end);
}

/**
 * The range `first[-last]` written in `text` from `start` to `end`, read as `Number` reads each part (only the
 * first two `-`-separated parts count; a range is capped at 1,001 ports; a last port below the first means one port).
 */
function withRange(ip: string, protocol: string, text: string, start: number, end: number): PublishedPorts {
  const dash = text.indexOf('-', start);
  const firstEnd = dash >= 0 && dash < end ? dash : end;
  const first = portNumber(text, start, firstEnd);
  if (!Number.isInteger(first)) return { ip, protocol, first: 0, last: -1 };
  let last = first;
  if (firstEnd < end) {
    const secondDash = text.indexOf('-', firstEnd + 1);
    const end2 = secondDash >= 0 && secondDash < end ? secondDash : end;
    const second = portNumber(text, firstEnd + 1, end2);
    if (Number.isInteger(second) && second >= first) last = Math.min(second, first + 1000);
  }
  return { ip, protocol, first, last };
}

/** `Number(text.slice(start, end))`, without the slice for the usual 1 to 9 ASCII digits. */
function portNumber(text: string, start: number, end: number): number {
  const length = end - start;
  if (length < 1 || length > 9) return Number(text.slice(start, end));
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number(text.slice(start, end));
    value = value * 10 + digit;
  }
  return value;
}

function isWildcardIp(ip: string): boolean {
  return ip === '' || ip === '0.0.0.0' || ip === '::';
}

/** Who published a host port first. */
interface PortOwner {
  readonly service: string;
  readonly ip: string;
}

const portConflict: ComposeRule = {
  id: 'port-conflict',
  defaultSeverity: 'error',
  summary: msg('No host port is published twice.'),
  checkConfig(ctx) {
    // protocol -> port -> first publisher (numbers as keys: no `port/protocol` string per published port).
    const taken = new Map<string, Map<number, PortOwner>>();
    const services = servicesOf(ctx);
    for (let s = 0; s < services.list.length; s++) {
      const { name: name, value: service } = services.list[s]!;
      const ports = service.entries.get('ports')?.value;
      if (ports?.kind !== 'seq') continue;
      for (let p = 0; p < ports.items.length; p++) {
        const item = ports.items[p]!;
        const published = publishedPorts(ctx.str, item);
        if (!published || published.last < published.first) continue;
        let byPort = taken.get(published.protocol);
        if (!byPort) taken.set(published.protocol, (byPort = new Map<number, PortOwner>()));
        const owner: PortOwner = { service: name, ip: published.ip };
        for (let port = published.first; port <= published.last; port++) {
          const other = byPort.get(port);
          if (other && (other.ip === published.ip || isWildcardIp(other.ip) || isWildcardIp(published.ip))) {
            ctx.report(item.origin, msg('Host port {0} is already published by service "{1}".', `${port}/${published.protocol}`, other.service));
            break;
          }
          byPort.set(port, owner);
        }
      }
    }
  },
};

const NAME_STYLE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const nameStyle: ComposeRule = {
  id: 'name-style',
  defaultSeverity: 'info',
  summary: msg('Service, network and volume names are lowercase words joined by hyphens.'),
  checkConfig(ctx) {
    const messages = {
      services: (name: string, suggestion: string) => msg('Service name "{0}" is not lowercase with hyphens (for example "{1}").', name, suggestion),
      networks: (name: string, suggestion: string) => msg('Network name "{0}" is not lowercase with hyphens (for example "{1}").', name, suggestion),
      volumes: (name: string, suggestion: string) => msg('Volume name "{0}" is not lowercase with hyphens (for example "{1}").', name, suggestion),
    };
    for (const key of ['services', 'networks', 'volumes'] as const) {
      for (const declared of topLevelNames(ctx.config.root, key).values()) {
        if (NAME_STYLE.test(declared.name)) continue;
        const suggestion = declared.name
          .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-+|-+$/g, '');
        ctx.report(declared.keyOrigin, messages[key](declared.name, suggestion));
      }
    }
  },
};

export const referenceRules: readonly ComposeRule[] = [dependsOnUnconditioned, unknownReference, dependsOnCycle, portConflict, nameStyle];
