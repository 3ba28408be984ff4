import { getValue, keyText, type YamlNode } from '../yaml/ast';
import type { ParsedYaml } from '../yaml/parse';

/** A container port a compose service publishes (`ports:`), as a range (`from === to` for one port). */
export interface PublishedPort {
  readonly from: number;
  readonly to: number;
  readonly protocol: 'tcp' | 'udp' | 'sctp';
}

/** What a compose service that builds a Dockerfile asks of the image it builds. */
export interface ComposeBuildUse {
  readonly service: string;
  /** Path of the compose file that declares the build (as given). */
  readonly composePath: string;
  /** `build.target`, when the service builds one stage. */
  readonly target?: string;
  readonly ports: readonly PublishedPort[];
  /** Commands the healthcheck runs that the image must contain (`curl`, `wget`). */
  readonly healthcheckTools: readonly string[];
}

export interface ComposeFileInput {
  /** Absolute path of the compose file (`/` or `\` separators). */
  readonly path: string;
  readonly parsed: ParsedYaml;
}

/** Normalises a path to `/` separators without `.`/`..` segments; keeps a leading `/` or drive letter. */
export function normalizePath(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  const absolute = slashed.startsWith('/');
  const parts: string[] = [];
  for (const part of slashed.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
  }
  const joined = parts.join('/');
  return absolute ? '/' + joined : joined;
}

function dirname(path: string): string {
  const normalized = normalizePath(path);
  const slash = normalized.lastIndexOf('/');
  return slash <= 0 ? (normalized.startsWith('/') ? '/' : '.') : normalized.slice(0, slash);
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(path);
}

function join(base: string, relative: string): string {
  return isAbsolute(relative) ? normalizePath(relative) : normalizePath(`${base}/${relative}`);
}

/** Paths compare case-insensitively on Windows drive paths, exactly elsewhere. */
function samePath(a: string, b: string): boolean {
  const x = normalizePath(a);
  const y = normalizePath(b);
  return /^[A-Za-z]:/.test(x) ? x.toLowerCase() === y.toLowerCase() : x === y;
}

const scalarText = (node: YamlNode | null | undefined): string | undefined =>
  node?.kind === 'scalar' && node.value !== null ? String(node.value) : undefined;

/** Container side of a short-syntax port: `8080:80/udp` -> 80 udp; `127.0.0.1:8080:80`; `3000-3005`. */
export function parsePortSpec(spec: string): PublishedPort | undefined {
  let rest = spec.trim();
  let protocol: PublishedPort['protocol'] = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    const proto = rest.slice(slash + 1).toLowerCase();
    if (proto !== 'tcp' && proto !== 'udp' && proto !== 'sctp') return undefined;
    protocol = proto;
    rest = rest.slice(0, slash);
  }
  const container = rest.slice(rest.lastIndexOf(':') + 1);
  const match = /^(\d+)(?:-(\d+))?$/.exec(container);
  if (!match) return undefined; // a variable or junk: cannot tell
  const from = Number(match[1]);
  const to = match[2] !== undefined ? Number(match[2]) : from;
  return { from, to, protocol };
}

function portsOf(service: YamlNode | undefined): PublishedPort[] {
  const ports = getValue(service, 'ports');
  if (ports?.kind !== 'seq') return [];
  const result: PublishedPort[] = [];
  for (const item of ports.items) {
    if (item.kind === 'scalar') {
      const parsed = parsePortSpec(String(item.value));
      if (parsed) result.push(parsed);
    } else if (item.kind === 'map') {
      const target = scalarText(getValue(item, 'target'));
      const protocol = (scalarText(getValue(item, 'protocol')) ?? 'tcp').toLowerCase();
      const parsed = target !== undefined ? parsePortSpec(`${target}/${protocol}`) : undefined;
      if (parsed) result.push(parsed);
    }
  }
  return result;
}

/** First words of the commands in a shell line: `curl`, `wget` in `curl -f x || exit 1`, `/usr/bin/wget -q x`. */
export function shellCommandNames(shell: string): string[] {
  const names: string[] = [];
  for (const segment of shell.split(/&&|\|\||[;|&()`\n]|\$\(/)) {
    const words = segment.trim().split(/\s+/).filter((w) => w !== '');
    let i = 0;
    // Skip env assignments and wrappers that run the next word.
    while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!) || ['exec', 'sudo', 'command', 'timeout', 'env', '!'].includes(words[i]!))) {
      i++;
      if (words[i - 1] === 'timeout' && /^[\d.]+[smhd]?$/.test(words[i] ?? '')) i++;
    }
    const word = words[i];
    if (word) names.push(word.replace(/^["']|["']$/g, '').replace(/^.*\//, ''));
  }
  return names;
}

function healthcheckTools(service: YamlNode | undefined): string[] {
  const healthcheck = getValue(service, 'healthcheck');
  if (!healthcheck || healthcheck.kind !== 'map') return [];
  const disable = getValue(healthcheck, 'disable');
  if (disable?.kind === 'scalar' && (disable.value === true || disable.value === 'true')) return [];
  const test = getValue(healthcheck, 'test');
  let names: string[] = [];
  if (test?.kind === 'scalar' && typeof test.value === 'string') names = shellCommandNames(test.value);
  else if (test?.kind === 'seq') {
    const items = test.items.map((item) => scalarText(item) ?? '');
    if (items[0] === 'CMD') names = items[1] ? [items[1].replace(/^.*\//, '')] : [];
    else if (items[0] === 'CMD-SHELL') names = shellCommandNames(items.slice(1).join(' '));
  }
  return [...new Set(names.filter((name) => name === 'curl' || name === 'wget'))];
}

/**
 * Finds the compose services that build `dockerfilePath`: their build context plus `dockerfile` (default
 * `Dockerfile`) resolve to it. Ports and healthchecks are gathered from every compose file of the same folder
 * (a base file and its overrides describe one service together). Contexts that are URLs or use variables are skipped.
 */
export function findComposeBuildUses(dockerfilePath: string, composeFiles: readonly ComposeFileInput[]): ComposeBuildUse[] {
  const byFolder = new Map<string, ComposeFileInput[]>();
  for (const file of composeFiles) {
    const folder = dirname(file.path);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), file]);
  }
  const uses: ComposeBuildUse[] = [];
  for (const [folder, files] of byFolder) {
    const services = new Map<string, { composePath?: string; target?: string; ports: PublishedPort[]; tools: string[] }>();
    for (const file of files) {
      const servicesNode = getValue(file.parsed.root, 'services');
      if (servicesNode?.kind !== 'map') continue;
      for (const pair of servicesNode.items) {
        const name = keyText(pair);
        if (name === undefined || pair.value?.kind !== 'map') continue;
        const service = pair.value;
        const entry = services.get(name) ?? { ports: [], tools: [] };
        entry.ports.push(...portsOf(service));
        const tools = healthcheckTools(service);
        if (getValue(service, 'healthcheck')) entry.tools = tools;
        const build = getValue(service, 'build');
        let context: string | undefined;
        let dockerfile = 'Dockerfile';
        if (build?.kind === 'scalar') context = scalarText(build);
        else if (build?.kind === 'map') {
          context = scalarText(getValue(build, 'context')) ?? '.';
          dockerfile = scalarText(getValue(build, 'dockerfile')) ?? 'Dockerfile';
          const target = scalarText(getValue(build, 'target'));
          if (target !== undefined) entry.target = target;
          if (getValue(build, 'dockerfile_inline')) context = undefined;
        }
        if (context !== undefined && !context.includes('$') && !dockerfile.includes('$') && !/^[a-z]+:\/\/|^git@/.test(context)) {
          const contextPath = join(folder, context);
          if (samePath(join(contextPath, dockerfile), dockerfilePath)) entry.composePath = file.path;
        }
        services.set(name, entry);
      }
    }
    for (const [service, entry] of services) {
      if (entry.composePath === undefined) continue;
      uses.push({ service, composePath: entry.composePath, ...(entry.target !== undefined ? { target: entry.target } : {}), ports: entry.ports, healthcheckTools: entry.tools });
    }
  }
  return uses;
}
