import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { runCli } from '../../src/cli/main';
import { CATALOGUE } from '../../src/core/scaffold/catalogue';
import { PRESETS } from '../../src/core/scaffold/presets';
import { needsDaemon, TEST_IMAGE } from './daemon';

// What the scaffolder writes, checked by the real tools: Debian's docker-compose v1 reads the dev and prod
// configs, bash and shellcheck read every script, and the busybox test preset really starts on the daemon.

interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(command, [...args], { ...options, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 127) : 0;
      resolve({ code, stdout, stderr: stderr || (error && code === 127 ? error.message : '') });
    });
  });
}

const isCi = process.env.CI === 'true' || process.env.CI === '1';

/** True when the tool runs; otherwise skips the test with how to get it, or fails under CI. */
async function needsTool(t: TestContext, tool: string, install: string): Promise<boolean> {
  const probe = await run(tool, ['--version']);
  if (probe.code === 0) return true;
  const message = `${tool} is not installed (${install})`;
  if (isCi) throw new Error(message);
  t.skip(message);
  return false;
}

async function generate(root: string, args: readonly string[], env: Record<string, string> = {}): Promise<void> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  let err = '';
  try {
    const code = await runCli(['new', root, ...args], { cwd: os.tmpdir(), out: () => undefined, err: (text) => (err += text) });
    assert.equal(code, 0, err);
  } finally {
    for (const key of Object.keys(env)) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
  fs.copyFileSync(path.join(root, '.env.example'), path.join(root, '.env'));
}

const projects: { label: string; args: string[] }[] = [
  ...PRESETS.map((preset) => ({ label: `preset ${preset.id}`, args: ['--preset', preset.id, '--lang', preset.id === 'elk' ? 'es' : 'en'] })),
  ...CATALOGUE.map((entry) => ({ label: `service ${entry.id}`, args: ['--services', entry.id] })),
];

function tempRoot(t: TestContext): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-scaffold-docker-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  return root;
}

test('docker-compose config accepts base + override and base + prod of every preset and catalogue service', async (t) => {
  if (!(await needsTool(t, 'docker-compose', 'apt-get install docker-compose, or bash scripts/docker-engine.sh up'))) return;
  const root = tempRoot(t);
  const checks: { label: string; folder: string; overlay: string }[] = [];
  for (const { label, args } of projects) {
    const folder = path.join(root, label.replace(/\W+/g, '-'));
    await generate(folder, [...args, '--name', 'cfg-test']);
    for (const overlay of ['docker-compose.override.yml', 'docker-compose.prod.yml']) checks.push({ label, folder, overlay });
  }
  // docker-compose v1 takes about two seconds to start: run the checks a few at a time.
  await inPool(checks, 8, async ({ label, folder, overlay }) => {
    const result = await run('docker-compose', ['-f', 'docker-compose.yml', '-f', overlay, 'config', '-q'], { cwd: folder });
    assert.equal(result.code, 0, `${label} with ${overlay}: ${result.stderr}`);
    assert.doesNotMatch(result.stderr, /WARN|variable is not set/i, `${label} with ${overlay}: ${result.stderr}`);
  });
});

async function inPool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

test('every generated shell script passes bash -n (or sh -n) and shellcheck', async (t) => {
  if (!(await needsTool(t, 'shellcheck', 'bash scripts/apt-install.sh shellcheck'))) return;
  const root = tempRoot(t);
  const scripts: string[] = [];
  for (const { label, args } of projects) {
    const folder = path.join(root, label.replace(/\W+/g, '-'));
    await generate(folder, args);
    for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.sh')) scripts.push(path.join(entry.parentPath, entry.name));
    }
  }
  assert.ok(scripts.length > 40, `found ${scripts.length} scripts`);
  for (const script of scripts) {
    const shell = fs.readFileSync(script, 'utf8').startsWith('#!/bin/sh') ? 'sh' : 'bash';
    const syntax = await run(shell, ['-n', script]);
    assert.equal(syntax.code, 0, `${shell} -n ${script}: ${syntax.stderr}`);
    assert.ok((fs.statSync(script).mode & 0o111) !== 0, `${script} is executable`);
  }
  const check = await run('shellcheck', ['--severity=style', ...scripts]);
  assert.equal(check.code, 0, check.stdout + check.stderr);
});

test('the busybox test preset comes up with docker-compose up -d and every service reaches healthy', async (t) => {
  if (!(await needsDaemon(t))) return;
  if (!(await needsTool(t, 'docker-compose', 'bash scripts/docker-engine.sh up'))) return;
  const root = tempRoot(t);
  const folder = path.join(root, 'live');
  const project = `cbscaffold${crypto.randomBytes(4).toString('hex')}`;
  await generate(folder, ['--preset', 'busybox-test', '--name', 'live-test'], { DOCKER_TEST_IMAGE: TEST_IMAGE });
  const compose = (...args: string[]) => run('docker-compose', ['-p', project, ...args], { cwd: folder });
  t.after(async () => {
    await compose('down', '-v', '-t', '1', '--remove-orphans');
  });
  const up = await compose('up', '-d');
  assert.equal(up.code, 0, up.stderr);
  const deadline = Date.now() + 60_000;
  const health = new Map<string, string>();
  for (;;) {
    const ids = (await run('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`])).stdout.split('\n').filter((line) => line.trim() !== '');
    health.clear();
    for (const id of ids) {
      const inspect = await run('docker', ['inspect', '--format', '{{index .Config.Labels "com.docker.compose.service"}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}', id]);
      const [service, status] = inspect.stdout.trim().split(' ');
      health.set(service!, status!);
    }
    if (health.size === 3 && [...health.values()].every((status) => status === 'healthy')) break;
    if (Date.now() > deadline) assert.fail(`not healthy in 60 s: ${JSON.stringify([...health])}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.deepEqual([...health.keys()].sort(), ['front', 'store', 'worker']);
  // The stateful service writes under ./bd/store-data through its bind mount.
  const write = await compose('exec', '-T', 'store', 'sh', '-c', 'echo kept > /data/probe');
  assert.equal(write.code, 0, write.stderr);
  assert.equal(fs.readFileSync(path.join(folder, 'bd/store-data/probe'), 'utf8'), 'kept\n');
  const down = await compose('down', '-v', '-t', '1');
  assert.equal(down.code, 0, down.stderr);
  const left = await run('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`]);
  assert.equal(left.stdout.trim(), '');
});
