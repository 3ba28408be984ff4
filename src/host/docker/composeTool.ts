import { execFile } from 'node:child_process';
import { parseComposeVersion, type ComposeTool } from '../../core/docker/composeCommand';

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(command, [...args], { timeout: 10_000, env, windowsHide: true }, (error, stdout) => resolve(error ? undefined : stdout));
  });
}

/**
 * The installed Compose: the `docker compose` v2 plugin when `docker compose version` answers, else the
 * standalone `docker-compose` (v1 or a v2 binary installed under that name). Undefined when neither runs.
 */
export async function detectComposeTool(env: NodeJS.ProcessEnv = process.env, docker = 'docker', standalone = 'docker-compose'): Promise<ComposeTool | undefined> {
  const plugin = await run(docker, ['compose', 'version'], env);
  const pluginVersion = plugin !== undefined ? parseComposeVersion(plugin) : undefined;
  if (pluginVersion) return { kind: 'v2', docker, version: pluginVersion };
  const legacy = await run(standalone, ['version', '--short'], env);
  const legacyVersion = legacy !== undefined ? parseComposeVersion(legacy) : undefined;
  if (legacyVersion) return { kind: 'v1', path: standalone, version: legacyVersion };
  return undefined;
}
