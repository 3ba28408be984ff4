import { msg, type Message } from '../message';
import { describeEndpoint, parseDockerHost, type DockerEndpoint } from './endpoint';

/**
 * Several Docker engines at once: the local one (resolved as the docker CLI does) plus the engines of the
 * `composeBlueprint.docker.engines` setting, each an address (`{ "name", "host" }`) or a docker context
 * (`{ "context" }`). Pure: the setting's value and the known contexts in, engines and problems out.
 */

export const ENGINES_SETTING = 'composeBlueprint.docker.engines';

/** The local engine's key: its tree ids stay those of the one-engine view. */
export const LOCAL_ENGINE_KEY = 'local';

export type EngineEntry =
  | { readonly kind: 'host'; readonly host: string; readonly name?: string }
  | { readonly kind: 'context'; readonly context: string; readonly name?: string };

export interface EngineProblem {
  /** Index in the setting's array, or -1 for the setting as a whole. */
  readonly index: number;
  readonly message: Message;
}

export interface EngineSpec {
  /** Stable while the engine's address does not change (tree ids, handles): `local`, or `engine:<address>`. */
  readonly key: string;
  /** What the view shows: the entry's name, the context's name, or the address. */
  readonly name: string;
  readonly local: boolean;
  readonly endpoint: DockerEndpoint;
  /** The context it came from, when it came from one. */
  readonly context?: string;
  /** The setting entry's index (-1 for the local engine). */
  readonly index: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads the setting's value (anything the user wrote). Bad entries are reported, with their position, and
 * skipped: the good ones are kept.
 */
export function parseEnginesSetting(value: unknown): { entries: EngineEntry[]; problems: EngineProblem[] } {
  const entries: EngineEntry[] = [];
  const problems: EngineProblem[] = [];
  if (value === undefined || value === null) return { entries, problems };
  if (!Array.isArray(value)) {
    problems.push({ index: -1, message: msg('{0} must be a list of engines, like [{ "name": "staging", "host": "ssh://deploy@staging" }].', ENGINES_SETTING) });
    return { entries, problems };
  }
  value.forEach((item: unknown, index) => {
    const at = index + 1;
    if (!isRecord(item)) {
      problems.push({ index, message: msg('Engine {0} of {1} is not an object: write {"host": "tcp://host:2375"} or {"context": "name"}.', at, ENGINES_SETTING) });
      return;
    }
    const name = typeof item.name === 'string' && item.name.trim() !== '' ? item.name.trim() : undefined;
    if (item.name !== undefined && typeof item.name !== 'string') problems.push({ index, message: msg('Engine {0}: "name" must be text; it is ignored.', at) });
    const hasHost = item.host !== undefined;
    const hasContext = item.context !== undefined;
    if (hasHost && hasContext) {
      problems.push({ index, message: msg('Engine {0} has both "host" and "context": keep one of them.', at) });
      return;
    }
    if (hasContext) {
      if (typeof item.context !== 'string' || item.context.trim() === '') {
        problems.push({ index, message: msg('Engine {0}: "context" must be the name of a docker context.', at) });
        return;
      }
      entries.push({ kind: 'context', context: item.context.trim(), ...(name ? { name } : {}) });
      return;
    }
    if (!hasHost) {
      problems.push({ index, message: msg('Engine {0} has neither "host" nor "context".', at) });
      return;
    }
    if (typeof item.host !== 'string') {
      problems.push({ index, message: msg('Engine {0}: "host" must be text, like "tcp://host:2375".', at) });
      return;
    }
    if (hostProblem(item.host) !== undefined) {
      problems.push({ index, message: msg('Engine {0}: "{1}" is not a usable Docker address: use tcp://host:port, ssh://user@host or unix:///path.', at, item.host) });
      return;
    }
    entries.push({ kind: 'host', host: item.host.trim(), ...(name ? { name } : {}) });
  });
  return { entries, problems };
}

/**
 * Why an address typed by the user cannot be used, or undefined when it can (the "Enter an address" box
 * and the setting share it).
 */
export function hostProblem(address: string): Message | undefined {
  const trimmed = address.trim();
  if (trimmed === '') return msg('Enter an address such as tcp://host:2375, ssh://user@host or unix:///var/run/docker.sock.');
  const endpoint = parseDockerHost(trimmed, 'check');
  if (!endpoint) return msg('"{0}" is not a Docker address: use tcp://host:port, ssh://user@host or unix:///path.', trimmed);
  if (endpoint.kind === 'tcp' && (endpoint.port < 1 || endpoint.port > 65535)) return msg('Port {0} is out of range (1-65535).', endpoint.port);
  if (endpoint.kind === 'tcp' && endpoint.host === '') return msg('"{0}" has no host name.', trimmed);
  return undefined;
}

/**
 * What makes two endpoints the same engine: scheme, host and port, or the socket's path (without trailing
 * slashes); the `source` (where the address came from) does not count.
 */
export function endpointIdentity(endpoint: DockerEndpoint): string {
  switch (endpoint.kind) {
    case 'socket':
      return `unix://${endpoint.socketPath.replace(/\/+$/, '').replace(/\/{2,}/g, '/')}`;
    case 'tcp':
      return `tcp://${endpoint.host.toLowerCase()}:${endpoint.port}`;
    case 'ssh':
      return `ssh://${endpoint.username ? endpoint.username + '@' : ''}${endpoint.host.toLowerCase()}:${endpoint.port}`;
  }
}

export interface ResolveInputs {
  /** The local engine (setting `docker.host`, DOCKER_HOST, current context, platform default). */
  readonly local: DockerEndpoint;
  readonly entries: readonly EngineEntry[];
  /** Known docker contexts by name; undefined endpoint: the context exists but has no usable docker endpoint. */
  readonly contexts: ReadonlyMap<string, DockerEndpoint | undefined>;
}

/**
 * The engines to show, local first, in the setting's order. An entry that reaches the same engine as an
 * earlier one (the local one included) is shown once, with a problem saying so; so is an unknown context.
 */
export function resolveEngines(inputs: ResolveInputs): { engines: EngineSpec[]; problems: EngineProblem[] } {
  const engines: EngineSpec[] = [{ key: LOCAL_ENGINE_KEY, name: localEngineName(inputs.local), local: true, endpoint: inputs.local, index: -1 }];
  const problems: EngineProblem[] = [];
  const seen = new Map<string, EngineSpec>([[endpointIdentity(inputs.local), engines[0]!]]);
  const names = new Set<string>([engines[0]!.name]);
  inputs.entries.forEach((entry, index) => {
    let endpoint: DockerEndpoint | undefined;
    let fallbackName: string;
    if (entry.kind === 'context') {
      if (!inputs.contexts.has(entry.context)) {
        problems.push({ index, message: msg('There is no docker context named "{0}" (see docker context ls).', entry.context) });
        return;
      }
      endpoint = inputs.contexts.get(entry.context);
      if (!endpoint) {
        problems.push({ index, message: msg('The docker context "{0}" has no Docker endpoint this extension can use.', entry.context) });
        return;
      }
      endpoint = { ...endpoint, source: `docker context ${entry.context}` };
      fallbackName = entry.context;
    } else {
      endpoint = parseDockerHost(entry.host, `setting ${ENGINES_SETTING}`);
      if (!endpoint) {
        problems.push({ index, message: msg('"{0}" is not a Docker address: use tcp://host:port, ssh://user@host or unix:///path.', entry.host) });
        return;
      }
      fallbackName = describeEndpoint(endpoint);
    }
    const identity = endpointIdentity(endpoint);
    const same = seen.get(identity);
    if (same) {
      problems.push({ index, message: msg('{0} reaches the same engine as {1} ({2}); it is shown once.', entry.name ?? fallbackName, same.name, identity) });
      return;
    }
    let name = entry.name ?? fallbackName;
    // Two entries may share a name (two "staging"); the view must tell them apart.
    if (names.has(name)) name = `${name} (${identity})`;
    names.add(name);
    const spec: EngineSpec = {
      key: `engine:${identity}`,
      name,
      local: false,
      endpoint,
      ...(entry.kind === 'context' ? { context: entry.context } : {}),
      index,
    };
    seen.set(identity, spec);
    engines.push(spec);
  });
  return { engines, problems };
}

/** "local" plus where it is when that is not the platform default, e.g. `local (docker context colima)`. */
function localEngineName(endpoint: DockerEndpoint): string {
  return endpoint.source.startsWith('docker context ') ? `local (${endpoint.source.slice('docker context '.length)})` : 'local';
}

/** The setting's entries after removing the engine at `index` (the Remove Engine action); other entries are kept as written. */
export function withoutEntry(value: unknown, index: number): unknown[] {
  const list = Array.isArray(value) ? [...(value as unknown[])] : [];
  if (index >= 0 && index < list.length) list.splice(index, 1);
  return list;
}

/** The setting's entries with one more: a context by name, or an address with an optional name. */
export function withEntry(value: unknown, entry: EngineEntry): unknown[] {
  const list = Array.isArray(value) ? [...(value as unknown[])] : [];
  list.push(entry.kind === 'context' ? { context: entry.context } : { ...(entry.name ? { name: entry.name } : {}), host: entry.host });
  return list;
}
