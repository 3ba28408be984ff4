import type Docker from 'dockerode';

let dockerode: typeof Docker | undefined;
/**
 * dockerode (with its gRPC and protobuf dependencies) takes about 250 ms to load: load it on the first
 * connection, not while the extension activates.
 */
function DockerClass(): typeof Docker {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  dockerode ??= require('dockerode') as typeof Docker;
  return dockerode;
}
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import {
  classifyConnectionError,
  currentContextName,
  DEFAULT_CONTEXT,
  describeEndpoint,
  endpointFromContextMeta,
  parseDockerHost,
  resolveEndpoint,
  type DockerEndpoint,
  type Unreachable,
} from '../../core/docker/endpoint';

export interface EndpointChoice {
  /** Overrides everything, from the `composeBlueprint.docker.host` setting. */
  readonly setting?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** The home folder, for `~/.docker` when DOCKER_CONFIG is not set. */
  readonly home?: string;
}

/** The docker CLI's configuration folder: DOCKER_CONFIG, else `~/.docker`. */
export function dockerConfigDir(env: NodeJS.ProcessEnv, home: string = os.homedir()): string {
  return env.DOCKER_CONFIG && env.DOCKER_CONFIG.trim() !== '' ? env.DOCKER_CONFIG : path.join(home, '.docker');
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The current docker context (other than `default`) and its endpoint, read from the docker CLI's files. */
export function readCurrentContext(env: NodeJS.ProcessEnv, home?: string): { name: string; endpoint: DockerEndpoint | undefined } | undefined {
  const configDir = dockerConfigDir(env, home);
  const name = currentContextName(env, readText(path.join(configDir, 'config.json')));
  if (name === DEFAULT_CONTEXT) return undefined;
  const digest = crypto.createHash('sha256').update(name).digest('hex');
  const meta = readText(path.join(configDir, 'contexts', 'meta', digest, 'meta.json'));
  if (meta === undefined) return { name, endpoint: undefined };
  const tlsDir = path.join(configDir, 'contexts', 'tls', digest, 'docker');
  const hasTls = ['ca.pem', 'cert.pem', 'key.pem'].some((file) => fs.existsSync(path.join(tlsDir, file)));
  return { name, endpoint: endpointFromContextMeta(name, meta, hasTls ? tlsDir : undefined) };
}

/** The endpoint to use: the setting, else DOCKER_HOST, else the current docker context, else the platform's default socket. */
export function chooseEndpoint(choice: EndpointChoice = {}): DockerEndpoint {
  const env = choice.env ?? process.env;
  const settingEndpoint = choice.setting?.trim() ? parseDockerHost(choice.setting, 'setting') : undefined;
  // Contexts are only read when neither the setting nor DOCKER_HOST decides.
  const context = settingEndpoint || env.DOCKER_HOST ? undefined : readCurrentContext(env, choice.home);
  return resolveEndpoint({ ...(choice.setting ? { setting: choice.setting } : {}), env, platform: process.platform, ...(context ? { context } : {}) });
}

/** A dockerode client for an endpoint. Creating it does no I/O. */
export function createDockerClient(endpoint: DockerEndpoint, env: NodeJS.ProcessEnv = process.env): Docker {
  switch (endpoint.kind) {
    case 'socket':
      return new (DockerClass())({ socketPath: endpoint.socketPath });
    case 'ssh':
      // docker-modem runs `docker system dial-stdio` on the remote host through ssh2, authenticated by the ssh agent.
      return new (DockerClass())({
        protocol: 'ssh',
        host: endpoint.host,
        port: endpoint.port,
        ...(endpoint.username ? { username: endpoint.username } : {}),
        ...(env.SSH_AUTH_SOCK ? { sshOptions: { agent: env.SSH_AUTH_SOCK } } : {}),
      });
    case 'tcp': {
      if (!endpoint.tls) return new (DockerClass())({ protocol: 'http', host: endpoint.host, port: endpoint.port });
      const certDir = endpoint.certDir ?? env.DOCKER_CERT_PATH ?? dockerConfigDir(env);
      const read = (name: string): Buffer | undefined => {
        const file = path.join(certDir, name);
        return fs.existsSync(file) ? fs.readFileSync(file) : undefined;
      };
      const ca = read('ca.pem');
      const cert = read('cert.pem');
      const key = read('key.pem');
      const material = { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
      // docker-modem has no switch for an unverified server certificate; an https agent carries it.
      const agent = endpoint.skipVerify ? new https.Agent({ ...material, rejectUnauthorized: false, keepAlive: true }) : undefined;
      return new (DockerClass())({ protocol: 'https', host: endpoint.host, port: endpoint.port, ...material, ...(agent ? { agent } : {}) });
    }
  }
}

export type PingResult = { readonly ok: true; readonly version: string; readonly apiVersion: string } | ({ readonly ok: false } & Unreachable);

/** Asks the daemon for its version; an unreachable daemon is a result, not an exception. */
export async function pingDocker(client: Docker, endpoint: DockerEndpoint, timeoutMs = 5000): Promise<PingResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const version = await Promise.race([
      client.version(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`no answer from ${describeEndpoint(endpoint)}`), { code: 'ETIMEDOUT' })), timeoutMs);
      }),
    ]);
    return { ok: true, version: version.Version, apiVersion: version.ApiVersion };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { ok: false, ...classifyConnectionError(endpoint, code, error instanceof Error ? error.message : String(error)) };
  } finally {
    if (timer) clearTimeout(timer);
  }
}
