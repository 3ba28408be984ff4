import fs from 'node:fs';
import path from 'node:path';
import { endpointFromContextMeta, type DockerEndpoint } from '../../core/docker/endpoint';
import { dockerConfigDir } from './connect';

export interface DockerContextInfo {
  readonly name: string;
  readonly description?: string;
  /** Undefined when the context has no docker endpoint we can use (e.g. a Kubernetes-only context). */
  readonly endpoint: DockerEndpoint | undefined;
}

/**
 * Every docker context the docker CLI knows (`<config>/contexts/meta/<sha256>/meta.json`), sorted by name.
 * Read from the CLI's files rather than by running `docker context ls`: no process, and it works when the CLI
 * is not installed. A broken meta.json is skipped.
 */
export function listDockerContexts(env: NodeJS.ProcessEnv = process.env, home?: string): DockerContextInfo[] {
  const configDir = dockerConfigDir(env, home);
  const metaRoot = path.join(configDir, 'contexts', 'meta');
  let folders: string[];
  try {
    folders = fs.readdirSync(metaRoot);
  } catch {
    return [];
  }
  const contexts: DockerContextInfo[] = [];
  for (const digest of folders) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(metaRoot, digest, 'meta.json'), 'utf8');
    } catch {
      continue;
    }
    let meta: unknown;
    try {
      meta = JSON.parse(text);
    } catch {
      continue;
    }
    const record = typeof meta === 'object' && meta !== null ? (meta as { Name?: unknown; Metadata?: unknown }) : {};
    if (typeof record.Name !== 'string' || record.Name === '') continue;
    const metadata = typeof record.Metadata === 'object' && record.Metadata !== null ? (record.Metadata as { Description?: unknown }) : {};
    const tlsDir = path.join(configDir, 'contexts', 'tls', digest, 'docker');
    const hasTls = ['ca.pem', 'cert.pem', 'key.pem'].some((file) => fs.existsSync(path.join(tlsDir, file)));
    contexts.push({
      name: record.Name,
      ...(typeof metadata.Description === 'string' && metadata.Description !== '' ? { description: metadata.Description } : {}),
      endpoint: endpointFromContextMeta(record.Name, text, hasTls ? tlsDir : undefined),
    });
  }
  return contexts.sort((a, b) => a.name.localeCompare(b.name));
}
