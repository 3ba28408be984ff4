import Docker from 'dockerode';
import fs from 'node:fs';
import path from 'node:path';
import { classifyConnectionError, DEFAULT_SOCKET, describeEndpoint, parseDockerHost, type DockerEndpoint, type Unreachable } from '../../core/docker/endpoint';

export interface EndpointChoice {
  /** Overrides everything, from the `composeBlueprint.docker.host` setting. */
  readonly setting?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** The endpoint to use: the setting, else DOCKER_HOST, else the platform's default socket. */
export function chooseEndpoint(choice: EndpointChoice = {}): DockerEndpoint {
  const env = choice.env ?? process.env;
  const fromSetting = choice.setting ? parseDockerHost(choice.setting, 'setting composeBlueprint.docker.host') : undefined;
  if (fromSetting) return fromSetting;
  const fromEnv = env.DOCKER_HOST ? parseDockerHost(env.DOCKER_HOST, 'DOCKER_HOST', env.DOCKER_TLS_VERIFY === '1') : undefined;
  if (fromEnv) return fromEnv;
  return { kind: 'socket', socketPath: process.platform === 'win32' ? '//./pipe/docker_engine' : DEFAULT_SOCKET, source: 'default' };
}

/** A dockerode client for an endpoint. Creating it does no I/O. */
export function createDockerClient(endpoint: DockerEndpoint, env: NodeJS.ProcessEnv = process.env): Docker {
  switch (endpoint.kind) {
    case 'socket':
      return new Docker({ socketPath: endpoint.socketPath });
    case 'ssh':
      return new Docker({ protocol: 'ssh', host: endpoint.host, port: endpoint.port, ...(endpoint.username ? { username: endpoint.username } : {}) });
    case 'tcp': {
      if (!endpoint.tls) return new Docker({ protocol: 'http', host: endpoint.host, port: endpoint.port });
      const certDir = env.DOCKER_CERT_PATH;
      const read = (name: string): Buffer | undefined => {
        if (!certDir) return undefined;
        const file = path.join(certDir, name);
        return fs.existsSync(file) ? fs.readFileSync(file) : undefined;
      };
      const ca = read('ca.pem');
      const cert = read('cert.pem');
      const key = read('key.pem');
      return new Docker({ protocol: 'https', host: endpoint.host, port: endpoint.port, ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) });
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
