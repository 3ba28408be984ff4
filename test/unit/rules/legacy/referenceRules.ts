// Frozen copy of src/core/rules/compose/referenceRules.ts as it was before the rules were made cheaper (commit 4a6a1b8):
// the reference test/unit/rules/rulesRewrite.test.ts compares the rewritten rules with. Do not edit.
import { type CEntry, type CMap, type CNode, scalarText } from '../../../../src/core/compose/model';
import type { TextEdit } from '../../../../src/core/findings';
import { msg } from '../../../../src/core/message';
import type { ComposeRule, ConfigContext } from '../../../../src/core/rules/types';
import { addToMap, columnOf, endOfLine, indentUnit } from '../../../../src/core/rules/yamlEdit';
import { fixFromEdits, hasActiveHealthcheck, serviceEntries, topLevelNames } from './helpers';
import { serviceMounts } from './pathRules';

type Service = CEntry & { value: CMap };

function services(ctx: ConfigContext): Service[] {
  return serviceEntries(ctx.config.root).filter((s): s is Service => s.value.kind === 'map');
}

function dependsOn(service: CMap): CEntry[] {
  const node = service.entries.get('depends_on')?.value;
  return node?.kind === 'map' ? [...node.entries.values()] : [];
}

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
  const eol = source.text.includes('\r\n') ? '\r\n' : '\n';
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
    const all = new Map(services(ctx).map((s) => [s.key, s.value]));
    const healthy = (name: string) => {
      const target = all.get(name);
      return target !== undefined && hasActiveHealthcheck(target);
    };
    for (const service of all.entries()) {
      const [name, value] = service;
      const dependsEntry = value.entries.get('depends_on');
      for (const dependency of dependsOn(value)) {
        if (!healthy(dependency.key)) continue;
        const condition = dependency.value.kind === 'map' ? dependency.value.entries.get('condition') : undefined;
        const current = ctx.str(condition?.value);
        if (current === 'service_healthy') continue;
        const at = dependency.keyOrigin;
        const message = msg('"{0}" depends on "{1}", which has a healthcheck, without condition: service_healthy: it may start before "{1}" is ready.', name, dependency.key);
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
        ctx.report(at, message, fixFromEdits(ctx, at.file, msg('Wait until "{0}" is healthy', dependency.key), edits));
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
    const serviceNames = new Set(services(ctx).map((s) => s.key));
    const networks = topLevelNames(root, 'networks');
    const volumes = topLevelNames(root, 'volumes');
    const secrets = topLevelNames(root, 'secrets');
    const configs = topLevelNames(root, 'configs');
    for (const { key: name, value: service } of services(ctx)) {
      for (const dependency of dependsOn(service)) {
        if (!serviceNames.has(dependency.key)) ctx.report(dependency.keyOrigin, msg('"{0}" depends on "{1}", which is not a service of this project.', name, dependency.key));
      }
      const serviceNetworks = service.entries.get('networks')?.value;
      if (serviceNetworks?.kind === 'map') {
        for (const network of serviceNetworks.entries.values()) {
          if (network.key !== 'default' && !networks.has(network.key)) ctx.report(network.keyOrigin, msg('Network "{0}" of service "{1}" is not declared under the top-level networks.', network.key, name));
        }
      }
      for (const mount of serviceMounts(ctx, service)) {
        if (mount.type !== 'volume' || mount.source === undefined || mount.source === '') continue;
        if (!volumes.has(mount.source)) ctx.report(mount.node.origin, msg('Volume "{0}" of service "{1}" is not declared under the top-level volumes.', mount.source, name));
      }
      for (const [key, declared] of [
        ['secrets', secrets],
        ['configs', configs],
      ] as const) {
        const list = service.entries.get(key)?.value;
        if (list?.kind !== 'seq') continue;
        for (const item of list.items) {
          const source = item.kind === 'map' ? ctx.str(item.entries.get('source')?.value) : ctx.str(item);
          const node: CNode = item.kind === 'map' ? (item.entries.get('source')?.value ?? item) : item;
          if (source !== undefined && !declared.has(source)) {
            ctx.report(node.origin, key === 'secrets' ? msg('Secret "{0}" of service "{1}" is not declared under the top-level secrets.', source, name) : msg('Config "{0}" of service "{1}" is not declared under the top-level configs.', source, name));
          }
        }
      }
      const extendsNode = service.entries.get('extends')?.value;
      if (extendsNode) {
        const fromOtherFile = extendsNode.kind === 'map' && extendsNode.entries.has('file');
        const target = extendsNode.kind === 'map' ? extendsNode.entries.get('service')?.value : extendsNode;
        const targetName = ctx.str(target);
        if (!fromOtherFile && target && targetName !== undefined && !serviceNames.has(targetName)) {
          ctx.report(target.origin, msg('Service "{0}" extends "{1}", which is not a service of this file.', name, targetName));
        }
      }
    }
  },
};

const dependsOnCycle: ComposeRule = {
  id: 'depends-on-cycle',
  defaultSeverity: 'error',
  summary: msg('depends_on has no cycles (Compose could not decide what to start first).'),
  checkConfig(ctx) {
    const graph = new Map(services(ctx).map((s) => [s.key, dependsOn(s.value)]));
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: { name: string; edge?: CEntry }[] = [];
    const reported = new Set<string>();
    const visit = (name: string, edge?: CEntry) => {
      state.set(name, 'visiting');
      stack.push({ name, ...(edge ? { edge } : {}) });
      for (const dependency of graph.get(name) ?? []) {
        if (!graph.has(dependency.key)) continue;
        const seen = state.get(dependency.key);
        if (seen === 'visiting') {
          const from = stack.findIndex((frame) => frame.name === dependency.key);
          const members = stack.slice(from);
          const cycle = [...members.map((f) => f.name), dependency.key];
          const id = [...new Set(cycle)].sort().join(',');
          if (reported.has(id)) continue;
          reported.add(id);
          const edges = [...members.slice(1).map((f) => f.edge), dependency].filter((e): e is CEntry => e !== undefined);
          for (const e of edges) ctx.report(e.keyOrigin, msg('depends_on forms a cycle: {0}.', cycle.join(' → ')));
        } else if (seen === undefined) visit(dependency.key, dependency);
      }
      stack.pop();
      state.set(name, 'done');
    };
    for (const name of graph.keys()) if (!state.has(name)) visit(name);
  },
};

/** Host ports a `ports` entry publishes: `[ip:]host[-end]:container[/proto]` or the long syntax. */
function publishedPorts(ctx: ConfigContext, item: CNode): { ip: string; ports: number[]; protocol: string } | undefined {
  if (item.kind === 'map') {
    const published = ctx.str(item.entries.get('published')?.value);
    if (published === undefined || published === '') return undefined;
    return { ip: ctx.str(item.entries.get('host_ip')?.value) ?? '', ports: portRange(published), protocol: ctx.str(item.entries.get('protocol')?.value) ?? 'tcp' };
  }
  const text = ctx.str(item);
  if (text === undefined || (scalarText(item)?.includes('$') && /\$\{?[A-Za-z_]/.test(text))) return undefined;
  const [spec, protocol = 'tcp'] = text.split('/');
  const parts = (spec ?? '').split(':');
  if (parts.length < 2) return undefined; // container port only: Docker picks a free host port
  const host = parts[parts.length - 2] ?? '';
  const ip = parts.slice(0, -2).join(':').replace(/^\[|\]$/g, '');
  if (host === '') return undefined;
  return { ip, ports: portRange(host), protocol };
}

function portRange(text: string): number[] {
  const [first, last] = text.split('-').map((p) => Number(p));
  if (first === undefined || !Number.isInteger(first)) return [];
  const end = last !== undefined && Number.isInteger(last) && last >= first ? Math.min(last, first + 1000) : first;
  const ports: number[] = [];
  for (let p = first; p <= end; p++) ports.push(p);
  return ports;
}

const portConflict: ComposeRule = {
  id: 'port-conflict',
  defaultSeverity: 'error',
  summary: msg('No host port is published twice.'),
  checkConfig(ctx) {
    const taken = new Map<string, { service: string; ip: string }>();
    for (const { key: name, value: service } of services(ctx)) {
      const ports = service.entries.get('ports')?.value;
      if (ports?.kind !== 'seq') continue;
      for (const item of ports.items) {
        const published = publishedPorts(ctx, item);
        if (!published) continue;
        for (const port of published.ports) {
          const key = `${port}/${published.protocol}`;
          const other = taken.get(key);
          const wildcard = (ip: string) => ip === '' || ip === '0.0.0.0' || ip === '::';
          if (other && (other.ip === published.ip || wildcard(other.ip) || wildcard(published.ip))) {
            ctx.report(item.origin, msg('Host port {0} is already published by service "{1}".', key, other.service));
            break;
          }
          taken.set(key, { service: name, ip: published.ip });
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
        if (NAME_STYLE.test(declared.key)) continue;
        const suggestion = declared.key
          .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-+|-+$/g, '');
        ctx.report(declared.keyOrigin, messages[key](declared.key, suggestion));
      }
    }
  },
};

export const referenceRules: readonly ComposeRule[] = [dependsOnUnconditioned, unknownReference, dependsOnCycle, portConflict, nameStyle];
