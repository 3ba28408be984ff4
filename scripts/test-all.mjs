// Runs every test level in order and prints a summary. Provisioning is idempotent:
//   Debian packages (Chromium for the real workbench, shellcheck, Docker Engine + Compose v1), code-server,
//   a running Docker daemon with a local busybox test image.
// Levels: typecheck, lint, unit (node --test), docker (node --test against the real daemon),
//   integration (mocha in the real extension host via @vscode/test-electron), ui (playwright on the workbench).
// `npm test -- --only unit,integration` runs a subset. Under CI=true a missing Docker daemon is a failure.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg >= 0 ? new Set(process.argv[onlyArg + 1].split(',')) : undefined;
const wanted = (level) => !only || only.has(level);
const isCi = process.env.CI === 'true' || process.env.CI === '1';
const results = [];
const env = { ...process.env };

function log(text) {
  process.stdout.write(`[test] ${text}\n`);
}

/** Runs a command with output streamed through, and returns its status and output for counting. */
function run(name, command, args, options = {}) {
  const started = Date.now();
  log(`== ${name}: ${[command, ...args].join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let output = '';
    const forward = (stream) => (chunk) => {
      output += chunk.toString();
      stream.write(chunk);
    };
    child.stdout.on('data', forward(process.stdout));
    child.stderr.on('data', forward(process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, output, ms: Date.now() - started }));
  });
}

function provisionStep(name, fn) {
  const started = Date.now();
  try {
    const detail = fn();
    results.push({ name, ok: true, ms: Date.now() - started, detail });
    return true;
  } catch (error) {
    results.push({ name, ok: false, ms: Date.now() - started, detail: error.message });
    log(`${name} failed: ${error.message}`);
    return false;
  }
}

function sh(args, what) {
  const result = spawnSync('bash', args, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error(`${what} (exit ${result.status})`);
  return result.stdout;
}

function counts(level, output) {
  const numbers = (re) => [...output.matchAll(re)].map((m) => Number(m[1]));
  const last = (re) => numbers(re).pop();
  if (level === 'unit' || level === 'docker') {
    return { passed: last(/^ℹ pass (\d+)/gm) ?? 0, failed: last(/^ℹ fail (\d+)/gm) ?? 0, skipped: last(/^ℹ skipped (\d+)/gm) ?? 0 };
  }
  if (level === 'integration') return { passed: last(/(\d+) passing/g) ?? 0, failed: last(/(\d+) failing/g) ?? 0, skipped: last(/(\d+) pending/g) ?? 0 };
  if (level === 'ui') {
    const match = [...output.matchAll(/^ui: (\d+) passed, (\d+) failed/gm)].pop();
    return { passed: Number(match?.[1] ?? 0), failed: Number(match?.[2] ?? 0), skipped: 0 };
  }
  return undefined;
}

async function level(name, command, args) {
  if (!wanted(name)) return;
  const result = await run(name, command, args);
  const tally = counts(name, result.output);
  // A runner that exits non-zero has failed even if its counts look clean (e.g. a crash before any test ran).
  const ok = result.code === 0 && (!tally || tally.failed === 0);
  results.push({ name, ok, ms: result.ms, tally, detail: ok ? '' : `exit ${result.code}` });
}

// ---- provisioning
const needsBrowser = wanted('integration') || wanted('ui');
if (needsBrowser || wanted('unit') || wanted('docker')) {
  const packages = ['shellcheck', ...(needsBrowser ? ['chromium', 'ripgrep', 'libkrb5-dev', 'pkg-config'] : [])];
  provisionStep('debian packages', () => (sh([path.join(root, 'scripts/apt-install.sh'), ...packages], `apt-get install ${packages.join(' ')}`), packages.join(' ')));
}
if (needsBrowser) {
  provisionStep('code-server', () => {
    const bin = sh([path.join(root, 'scripts/provision-code-server.sh')], 'code-server provisioning').trim().split('\n').pop();
    env.CODE_SERVER_BIN = bin;
    return bin;
  });
}
let dockerReady = false;
if (wanted('docker') || wanted('integration') || wanted('ui')) {
  dockerReady = provisionStep('docker engine', () => {
    const out = sh([path.join(root, 'scripts/docker-engine.sh'), 'up'], 'no Docker daemon is reachable and none could be started (scripts/docker-engine.sh up)');
    for (const line of out.split('\n')) {
      const match = /^(DOCKER_HOST|DOCKER_TEST_IMAGE)=(.*)$/.exec(line.trim());
      if (match) env[match[1]] = match[2];
    }
    return `${env.DOCKER_HOST} image ${env.DOCKER_TEST_IMAGE}`;
  });
  if (!dockerReady && !isCi) {
    // Outside CI a developer without Docker can still run the rest; the summary says what did not run.
    results[results.length - 1].ok = true;
    results[results.length - 1].detail = 'NOT AVAILABLE: docker tests will report it';
  }
}
if (results.some((r) => !r.ok)) {
  log('provisioning failed; not running tests');
} else {
  // ---- checks and tests
  await level('typecheck', 'npx', ['tsc', '-p', '.', '--noEmit']);
  await level('lint', 'npx', ['eslint', '--max-warnings', '0', '.']);
  await level('build', process.execPath, ['scripts/build.mjs']);
  if (wanted('unit') || wanted('docker') || wanted('integration') || wanted('ui')) await run('compile tests', process.execPath, ['scripts/build-tests.mjs']);
  await level('unit', process.execPath, ['--test', '--test-reporter=spec', 'out/test/unit/']);
  if (fs.existsSync(path.join(root, 'out/test/docker'))) await level('docker', process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=1', 'out/test/docker/']);
  await level('integration', process.execPath, ['out/test/integration/runTests.js']);
  await level('ui', process.execPath, ['out/test/ui/run.js']);
}

// ---- summary
let passed = 0;
let failed = 0;
log('summary');
for (const r of results) {
  const tally = r.tally ? ` ${r.tally.passed} passed, ${r.tally.failed} failed${r.tally.skipped ? `, ${r.tally.skipped} skipped` : ''}` : '';
  log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(16)} ${(r.ms / 1000).toFixed(1).padStart(6)} s${tally}${r.detail ? `  (${r.detail})` : ''}`);
  if (r.tally) {
    passed += r.tally.passed;
    failed += r.tally.failed;
  }
  if (!r.ok && !r.tally) failed += 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
