import { msg, type Message } from '../message';

/** Where the Docker Engine API is, as dockerode needs it. */
export type DockerEndpoint =
  | { readonly kind: 'socket'; readonly socketPath: string; readonly source: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly tls: boolean; readonly source: string }
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
