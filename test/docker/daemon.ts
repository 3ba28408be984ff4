// Shared by the tests that need the real Docker daemon (`npm run test:docker`; `npm test` starts one).
import type { TestContext } from 'node:test';
import { chooseEndpoint, createDockerClient, pingDocker } from '../../src/host/docker/connect';

export const TEST_IMAGE = process.env.DOCKER_TEST_IMAGE ?? 'compose-blueprint/busybox-health:1';

let cached: Promise<string | undefined> | undefined;

/** Resolves to why the daemon cannot be used, or undefined when it answers. */
export function daemonProblem(): Promise<string | undefined> {
  cached ??= (async () => {
    const endpoint = chooseEndpoint();
    const ping = await pingDocker(createDockerClient(endpoint), endpoint);
    return ping.ok ? undefined : ping.message.args.length > 0 ? `${ping.reason}: ${ping.message.args.join(' ')}` : ping.reason;
  })();
  return cached;
}

/**
 * Call first in a test that needs the daemon: returns false (and marks the test skipped) when there is
 * none, except under CI, where a missing daemon fails the test with the reason: never a silent skip.
 */
export async function needsDaemon(t: TestContext): Promise<boolean> {
  const problem = await daemonProblem();
  if (!problem) return true;
  const message = `no Docker daemon (${problem}); run \`bash scripts/docker-engine.sh up\` or set DOCKER_HOST`;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(message);
  t.skip(message);
  return false;
}
