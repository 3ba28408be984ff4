import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSwarmState, SWARM_INFO_FORMAT, type SwarmState } from '../../core/docker/stackDeploy';

/** The docker CLI, run with argument arrays (never a shell), for what the Engine API does not say: the CLI's own version. */

interface Run {
  readonly stdout: string;
  readonly stderr: string;
  /** ENOENT and friends: the program itself could not be started. */
  readonly missing: boolean;
  readonly failed: boolean;
}

function run(docker: string, args: readonly string[], env: NodeJS.ProcessEnv, timeout = 15_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(docker, [...args], { timeout, env, windowsHide: true, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      const code = (error as NodeJS.ErrnoException | null)?.code;
      resolve({ stdout: String(stdout), stderr: String(stderr), missing: code === 'ENOENT' || code === 'EACCES', failed: error !== null });
    });
  });
}

export type ClientVersion = { readonly found: false } | { readonly found: true; readonly version?: string };

/**
 * The docker CLI's own version (`docker version --format '{{.Client.Version}}'`). The client part is printed
 * even when no daemon answers (the command then exits 1), so the output is read whatever the exit status.
 */
export async function dockerClientVersion(docker: string, env: NodeJS.ProcessEnv = process.env): Promise<ClientVersion> {
  const result = await run(docker, ['version', '--format', '{{.Client.Version}}'], env);
  if (result.missing) return { found: false };
  const version = /^v?\d+\.\d+[\w.+~-]*/m.exec(result.stdout.trim())?.[0];
  return version ? { found: true, version } : { found: true };
}

export type SwarmInfo = { readonly ok: true; readonly state: SwarmState } | { readonly ok: false; readonly error: string };

/** The engine's Swarm state through the CLI (same DOCKER_HOST / context the deploy will use). */
export async function dockerSwarmInfo(docker: string, env: NodeJS.ProcessEnv = process.env): Promise<SwarmInfo> {
  const result = await run(docker, ['info', '--format', SWARM_INFO_FORMAT], env);
  const state = result.failed ? undefined : parseSwarmState(result.stdout);
  if (state) return { ok: true, state };
  return { ok: false, error: (result.stderr.trim() || result.stdout.trim() || 'docker info failed').split('\n').slice(0, 3).join(' ') };
}

/** The docker context the CLI uses (`docker context show`), or undefined on CLIs without contexts. */
export async function dockerContextName(docker: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const result = await run(docker, ['context', 'show'], env, 5_000);
  const name = result.stdout.trim();
  return !result.failed && name !== '' ? name : undefined;
}

/** A private temporary file (folder 0700, file 0600) and how to remove it (idempotent, never throws). */
export interface PrivateTempFile {
  readonly path: string;
  remove(): void;
}

export function privateTempPath(prefix: string, fileName: string): PrivateTempFile {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = path.join(folder, fileName);
  let removed = false;
  return {
    path: file,
    remove() {
      if (removed) return;
      removed = true;
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Writes a file only its owner can read (it may hold the project's merged configuration). */
export function writePrivateFile(file: string, text: string): void {
  fs.writeFileSync(file, text, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
}
