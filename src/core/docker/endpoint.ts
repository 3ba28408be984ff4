import { msg, type Message } from '../message';

/** Where the Docker Engine API is, as dockerode needs it. */
export type DockerEndpoint =
  | { readonly kind: 'socket'; readonly socketPath: string; readonly source: string }
  | {
      readonly kind: 'tcp';
      readonly host: string;
      readonly port: number;
      readonly tls: boolean;
      readonly source: string;
      /** Folder with ca.pem, cert.pem, key.pem (DOCKER_CERT_PATH, or a context's TLS folder). */
      readonly certDir?: string;
      /** A context's `SkipTLSVerify`: encrypt, but do not verify the server's certificate. */
      readonly skipVerify?: boolean;
    }
  | { readonly kind: 'ssh'; readonly host: string; readonly port: number; readonly username?: string; readonly source: string };

export const DEFAULT_SOCKET = '/var/run/docker.sock';

/**
 * Parses a DOCKER_HOST-style address (`unix:///path`, `tcp://host:port`, `ssh://user@host`).
 * Returns undefined for an address it cannot use; `source` says where the address came from, for messages.
 */
export function parseDockerHost(address: string, source: string, tlsVerify = false): DockerEndpoint | undefined {
  const trimmed = address.trim();
  if (trimmed === '') return undefined;
  if (trimmed.startsWith('unix://')) return { kind: 'socket', socketPath: trimmed.slice('unix://'.length), source };
  if (trimmed.startsWith('npipe://')) return { kind: 'socket', socketPath: trimmed.slice('npipe://'.length).replace(/\//g, '\\'), source };
  if (trimmed.startsWith('/')) return { kind: 'socket', socketPath: trimmed, source };
  const match = /^(tcp|http|https|ssh):\/\/(?:([^@/]+)@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(trimmed);
  if (!match) return undefined;
  const [, scheme, user, rawHost, rawPort] = match;
  const host = (rawHost ?? '').replace(/^\[|\]$/g, '');
  if (scheme === 'ssh') return { kind: 'ssh', host, port: rawPort ? Number(rawPort) : 22, ...(user ? { username: user } : {}), source };
  const tls = scheme === 'https' || tlsVerify;
  return { kind: 'tcp', host, port: rawPort ? Number(rawPort) : tls ? 2376 : 2375, tls, source };
}

export function describeEndpoint(endpoint: DockerEndpoint): string {
  switch (endpoint.kind) {
    case 'socket':
      return `unix://${endpoint.socketPath}`;
    case 'tcp':
      return `${endpoint.tls ? 'tcp+tls' : 'tcp'}://${endpoint.host}:${endpoint.port}`;
    case 'ssh':
      return `ssh://${endpoint.username ? endpoint.username + '@' : ''}${endpoint.host}:${endpoint.port}`;
  }
}

export type UnreachableReason = 'no-socket' | 'permission-denied' | 'connection-refused' | 'tls' | 'timeout' | 'not-docker' | 'other';

export interface Unreachable {
  readonly reason: UnreachableReason;
  readonly message: Message;
}

/** Turns a connection error (its Node `code` and message) into the reason we show the user. */
export function classifyConnectionError(endpoint: DockerEndpoint, code: string | undefined, detail: string): Unreachable {
  const where = describeEndpoint(endpoint);
  if (code === 'ENOENT') return { reason: 'no-socket', message: msg('Docker is not reachable: no socket at {0}. Is Docker running?', where) };
  if (code === 'EACCES' || code === 'EPERM') {
    return { reason: 'permission-denied', message: msg('Docker is not reachable: permission denied on {0}. Add your user to the docker group.', where) };
  }
  if (code === 'ECONNREFUSED') return { reason: 'connection-refused', message: msg('Docker is not reachable: connection refused at {0}. Is the daemon running?', where) };
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return { reason: 'timeout', message: msg('Docker is not reachable: {0} did not answer in time.', where) };
  if (code?.startsWith('ERR_TLS') || code?.startsWith('CERT_') || /certificate|ssl|tls/i.test(detail)) {
    return { reason: 'tls', message: msg('Docker is not reachable: TLS failed with {0}: {1}', where, detail) };
  }
  return { reason: 'other', message: msg('Docker is not reachable at {0}: {1}', where, detail) };
}

/** The docker CLI's default context name: DOCKER_HOST or the platform socket. */
export const DEFAULT_CONTEXT = 'default';

/**
 * The current docker context's name, as the docker CLI picks it: `DOCKER_CONTEXT`, else `currentContext` of
 * `config.json` (its text, possibly missing or broken), else `default`.
 */
export function currentContextName(env: Readonly<Record<string, string | undefined>>, configJsonText: string | undefined): string {
  const fromEnv = env.DOCKER_CONTEXT?.trim();
  if (fromEnv) return fromEnv;
  if (configJsonText === undefined) return DEFAULT_CONTEXT;
  try {
    const config = JSON.parse(configJsonText) as unknown;
    const name = typeof config === 'object' && config !== null ? (config as { currentContext?: unknown }).currentContext : undefined;
    return typeof name === 'string' && name.trim() !== '' ? name.trim() : DEFAULT_CONTEXT;
  } catch {
    return DEFAULT_CONTEXT;
  }
}

/**
 * Reads a context's `meta.json` (`~/.docker/contexts/meta/<sha256 of name>/meta.json`):
 * `{"Name": ..., "Endpoints": {"docker": {"Host": "unix:///...", "SkipTLSVerify": false}}}`.
 * `tlsDir` is the context's `tls/<sha>/docker` folder when it holds certificates: then a tcp endpoint uses TLS.
 */
export function endpointFromContextMeta(name: string, metaJsonText: string, tlsDir?: string): DockerEndpoint | undefined {
  let meta: unknown;
  try {
    meta = JSON.parse(metaJsonText);
  } catch {
    return undefined;
  }
  const endpoints = typeof meta === 'object' && meta !== null ? (meta as { Endpoints?: unknown }).Endpoints : undefined;
  const docker = typeof endpoints === 'object' && endpoints !== null ? (endpoints as { docker?: unknown }).docker : undefined;
  if (typeof docker !== 'object' || docker === null) return undefined;
  const { Host: host, SkipTLSVerify: skip } = docker as { Host?: unknown; SkipTLSVerify?: unknown };
  if (typeof host !== 'string') return undefined;
  const source = `docker context ${name}`;
  const parsed = parseDockerHost(host, source, tlsDir !== undefined);
  if (parsed?.kind !== 'tcp') return parsed;
  const skipVerify = skip === true;
  return { ...parsed, tls: parsed.tls || tlsDir !== undefined || skipVerify, ...(tlsDir ? { certDir: tlsDir } : {}), ...(skipVerify ? { skipVerify } : {}) };
}

/** The platform's default Engine address: the named pipe on Windows, the unix socket elsewhere. */
export function platformDefaultEndpoint(platform: string): DockerEndpoint {
  return { kind: 'socket', socketPath: platform === 'win32' ? '//./pipe/docker_engine' : DEFAULT_SOCKET, source: 'default' };
}

export interface EndpointInputs {
  /** `composeBlueprint.docker.host`: wins over everything when set. */
  readonly setting?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: string;
  /** The current context's name and endpoint, when one other than `default` is selected. */
  readonly context?: { readonly name: string; readonly endpoint: DockerEndpoint | undefined };
}

/**
 * The endpoint to use, in the docker CLI's order with our setting first: the setting, `DOCKER_HOST`
 * (with `DOCKER_TLS_VERIFY` and `DOCKER_CERT_PATH`), the current context, the platform default.
 */
export function resolveEndpoint(inputs: EndpointInputs): DockerEndpoint {
  const setting = inputs.setting?.trim();
  const fromSetting = setting ? parseDockerHost(setting, 'setting composeBlueprint.docker.host') : undefined;
  if (fromSetting) return fromSetting;
  const { env } = inputs;
  const tlsVerify = env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0';
  const fromEnv = env.DOCKER_HOST ? parseDockerHost(env.DOCKER_HOST, 'DOCKER_HOST', tlsVerify) : undefined;
  if (fromEnv) return fromEnv.kind === 'tcp' && fromEnv.tls && env.DOCKER_CERT_PATH ? { ...fromEnv, certDir: env.DOCKER_CERT_PATH } : fromEnv;
  if (inputs.context?.endpoint) return inputs.context.endpoint;
  return platformDefaultEndpoint(inputs.platform);
}

/** A few words for why the daemon cannot be reached, for the view's one-line description. */
export function unreachableReasonText(reason: UnreachableReason): Message {
  switch (reason) {
    case 'no-socket':
      return msg('no socket');
    case 'permission-denied':
      return msg('permission denied');
    case 'connection-refused':
      return msg('connection refused');
    case 'tls':
      return msg('TLS failure');
    case 'timeout':
      return msg('no answer in time');
    case 'not-docker':
      return msg('not a Docker Engine');
    case 'other':
      return msg('connection failed');
  }
}
