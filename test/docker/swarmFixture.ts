// A single-node Swarm on the real daemon for the Swarm tests and benchmark: `docker swarm init` on loopback when
// the engine is not in a swarm yet, throwaway stacks (names prefixed `bpswarm`) deployed with the docker CLI from
// the local test image, removed again (waiting until their containers and networks are gone). Arguments are
// always arrays (execFile); nothing goes through a shell.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from './composeProject';
import { TEST_IMAGE } from './daemon';

export { TEST_IMAGE };

const STACK_LABEL = 'com.docker.stack.namespace';

let initialisedHere = false;

/** Makes the engine a single-node Swarm manager; says whether this call initialised it. */
export async function ensureSwarm(): Promise<{ initialised: boolean }> {
  const state = (await run('docker', ['info', '--format', '{{.Swarm.LocalNodeState}}'])).trim();
  if (state === 'active') return { initialised: false };
  await run('docker', ['swarm', 'init', '--advertise-addr', '127.0.0.1']);
  initialisedHere = true;
  return { initialised: true };
}

/** A unique stack name for this run. */
export function stackName(what: string): string {
  return `bpswarm${what}${crypto.randomBytes(3).toString('hex')}`;
}

/**
 * Deploys a stack from a compose file body (its `services:` and whatever follows; `version: "3.8"` is added,
 * the 20.10 CLI wants it) with `--resolve-image never`: the local image, no registry.
 */
export async function deployStack(name: string, yamlText: string): Promise<void> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bpswarm-'));
  try {
    const file = path.join(folder, 'stack.yml');
    const body = /^version:/m.test(yamlText) ? yamlText : `version: "3.8"\n${yamlText}`;
    fs.writeFileSync(file, body);
    await run('docker', ['stack', 'deploy', '--resolve-image', 'never', '-c', file, name]);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

async function countLabelled(kind: 'containers' | 'networks' | 'services', name: string): Promise<number> {
  const filter = `label=${STACK_LABEL}=${name}`;
  const args = kind === 'containers' ? ['ps', '-aq', '--filter', filter] : kind === 'networks' ? ['network', 'ls', '-q', '--filter', filter] : ['service', 'ls', '-q', '--filter', filter];
  const out = await run('docker', args);
  return out.split('\n').filter((line) => line.trim() !== '').length;
}

/** Waits until a stack has no services, containers or networks left (stack rm is asynchronous, ~7 s). */
export async function waitStackGone(name: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [services, containers, networks] = await Promise.all([countLabelled('services', name), countLabelled('containers', name), countLabelled('networks', name)]);
    if (services + containers + networks === 0) return;
    if (Date.now() > deadline) throw new Error(`stack ${name} still has ${services} services, ${containers} containers, ${networks} networks`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** `docker stack rm` and wait until it is really gone. Safe to call for a stack that is already gone. */
export async function removeStack(name: string): Promise<void> {
  await run('docker', ['stack', 'rm', name]).catch(() => undefined);
  await waitStackGone(name);
  // A network can outlive its stack for a moment when the last task container went late.
  const networks = (await run('docker', ['network', 'ls', '-q', '--filter', `label=${STACK_LABEL}=${name}`])).split('\n').filter((l) => l.trim() !== '');
  for (const id of networks) await run('docker', ['network', 'rm', id]).catch(() => undefined);
}

/**
 * Leaves the swarm only when this process initialised it and nothing else runs on it (another engineer's or
 * test's stacks and services keep it alive). Returns whether it left.
 */
export async function leaveSwarmIfOurs(): Promise<boolean> {
  if (!initialisedHere) return false;
  const services = (await run('docker', ['service', 'ls', '-q'])).split('\n').filter((line) => line.trim() !== '');
  if (services.length > 0) return false;
  await run('docker', ['swarm', 'leave', '--force']);
  // `swarm init` leaves docker_gwbridge behind.
  await run('docker', ['network', 'rm', 'docker_gwbridge']).catch(() => undefined);
  initialisedHere = false;
  return true;
}

/** Task container ids of a stack's service (by the swarm labels), running ones only unless `all`. */
export async function taskContainerIds(fullServiceName: string, all = false): Promise<string[]> {
  const out = await run('docker', ['ps', ...(all ? ['-a'] : []), '-q', '--no-trunc', '--filter', `label=com.docker.swarm.service.name=${fullServiceName}`]);
  return out.split('\n').filter((line) => line.trim() !== '');
}

/** Restarts the daemon with scripts/docker-engine.sh (only one it started itself). */
/**
 * Why the daemon cannot be restarted here, or undefined when it can: only a dockerd that
 * scripts/docker-engine.sh started (its pidfile names a live process) is restarted, never a system service.
 */
export function daemonRestartUnavailable(): string | undefined {
  const state = process.env.DOCKER_ENGINE_STATE ?? '/tmp/compose-blueprint-dockerd';
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(state, 'dockerd.pid'), 'utf8').trim());
  } catch {
    return `the Docker daemon was not started by scripts/docker-engine.sh (no ${state}/dockerd.pid), so the test does not restart it`;
  }
  try {
    process.kill(pid, 0);
    return undefined;
  } catch {
    return `the dockerd named by ${state}/dockerd.pid (${pid}) is not running: this daemon was started some other way`;
  }
}

export async function restartDaemon(): Promise<void> {
  const script = path.resolve(__dirname, '../../../scripts/docker-engine.sh');
  await run('bash', [script, 'restart']);
}
