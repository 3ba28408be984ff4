// A real VS Code for tests on machines without a desktop build: code-server (VS Code 1.100 in the browser)
// driven by Debian's Chromium through playwright-core. Used by the integration runner (extension-host
// tests) and by the UI tests.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const repoRoot = path.resolve(__dirname, '../../..');
export const artifactsDir = path.join(repoRoot, '.test-artifacts');

/** The code-server binary: $CODE_SERVER_BIN, else provisioned (idempotently) into the tool cache. */
export function codeServerBinary(): string {
  if (process.env.CODE_SERVER_BIN && fs.existsSync(process.env.CODE_SERVER_BIN)) return process.env.CODE_SERVER_BIN;
  const result = spawnSync('bash', [path.join(repoRoot, 'scripts/provision-code-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const bin = result.stdout.trim().split('\n').pop() ?? '';
  if (result.status !== 0 || !fs.existsSync(bin)) throw new Error('could not provision code-server (scripts/provision-code-server.sh)');
  return bin;
}

export function chromiumBinary(): string {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((c): c is string => !!c);
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error('Chromium not found: install Debian\'s chromium (bash scripts/apt-install.sh chromium) or set CHROMIUM');
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
    server.on('error', reject);
  });
}

/** User settings that keep a test workbench quiet and deterministic. */
export function writeUserSettings(userDataDir: string, extra: Record<string, unknown> = {}): void {
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'chat.disableAIFeatures': true,
        'git.enabled': false,
        'files.autoSave': 'off',
        ...extra,
      },
      null,
      2,
    ),
  );
}

export interface CodeServer {
  readonly url: string;
  readonly authority: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts code-server on a free loopback port; resolves once it listens. */
export async function startCodeServer(options: { userDataDir: string; extensionsDir: string; logFile: string; workspace?: string; env?: NodeJS.ProcessEnv }): Promise<CodeServer> {
  const port = await freePort();
  const args = [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--user-data-dir', options.userDataDir, '--extensions-dir', options.extensionsDir,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened',
    ...(options.workspace ? [options.workspace] : []),
  ];
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.createWriteStream(options.logFile);
  const child = spawn(codeServerBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env, CS_DISABLE_FILE_DOWNLOADS: '1' } });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      log.write(chunk);
      if (/HTTP server listening/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code}:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    authority: `127.0.0.1:${port}`,
    process: child,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve();
        }, 5000);
        child.on('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      log.end();
    },
  };
}

/** Headless Chromium with a fresh profile and no background networking (this machine has no network). */
export async function launchBrowser(profileDir: string): Promise<BrowserContext> {
  fs.rmSync(profileDir, { recursive: true, force: true });
  fs.mkdirSync(profileDir, { recursive: true });
  return chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumBinary(),
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    ],
    viewport: { width: 1400, height: 900 },
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A fresh folder under .test-artifacts for one run: `<name>` normally, `<name>-<pid>` while another live
 * run holds `<name>` (two runs at once must not delete each other's files).
 */
export function claimRunDir(name: string): string {
  for (const candidate of [name, `${name}-${process.pid}`]) {
    const dir = path.join(artifactsDir, candidate);
    const ownerFile = path.join(dir, '.owner');
    const owner = fs.existsSync(ownerFile) ? Number(fs.readFileSync(ownerFile, 'utf8')) : NaN;
    if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(ownerFile, String(process.pid));
    return dir;
  }
  throw new Error(`cannot claim a run folder for ${name}`);
}

/** Copies a fixture workspace to a fresh folder, so tests never change the fixtures. */
export function freshWorkspace(name: string, fixture = path.join(repoRoot, 'test/fixtures/workspaces/main')): string {
  const target = path.join(claimRunDir(`workspace-${name}`), name);
  fs.cpSync(fixture, target, { recursive: true });
  return target;
}
