import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { cacheFileName, compileWithCodeCache, defaultCacheDir, persistPrepared, type CodeCacheOptions } from '../../src/cliLoader';
import { compileSchemaValidators } from '../../src/core/schema/validator';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-code-cache-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

// Big enough that V8 writes a real cache, with an inner function that only runs when called.
const source = `
const table = [${Array.from({ length: 200 }, (_, i) => `{ n: ${i}, s: 'v${i}' }`).join(', ')}];
function sum(limit) { let total = 0; for (const row of table) if (row.n < limit) total += row.n; return total; }
module.exports = { sum, file: __filename, dir: __dirname };
`;

// V8 also keeps compiled scripts in memory by their text, and would answer a second compile of the same text
// from there without reading the cache file. Each load gets a new comment of the same length: V8's check of a
// cache file looks at the source's length (which is why the loader keys its files by a hash of the bundle).
let loads = 0;
const fresh = () => `${source}/* load ${String(++loads).padStart(6, '0')} */`;

function load(dir: string | undefined, overrides: Partial<CodeCacheOptions> = {}) {
  const options: CodeCacheOptions = { source: fresh(), sourceHash: 'abc123', filename: path.join(root, 'fake-cli.js'), flavour: 'lint', cacheDir: dir, ...overrides };
  const loaded = compileWithCodeCache(options);
  const module = { exports: {} as { sum(limit: number): number; file: string; dir: string } };
  loaded.run(module.exports, require, module, options.filename, path.dirname(options.filename));
  return { loaded, exports: module.exports };
}

test('code cache: a miss writes the cache, the next run takes it, and both run the same program', () => {
  const dir = path.join(root, 'hit', 'nested');
  const first = load(dir);
  assert.equal(first.loaded.cache, 'miss');
  assert.equal(first.exports.sum(10), 45);
  first.loaded.persist();
  const file = path.join(dir, cacheFileName('abc123', 'lint'));
  assert.ok(fs.statSync(file).size > 0, 'the cache file is written');
  const second = load(dir);
  assert.equal(second.loaded.cache, 'hit');
  assert.equal(second.exports.sum(10), 45);
  assert.equal(second.exports.file, path.join(root, 'fake-cli.js'));
  assert.equal(second.exports.dir, root);
  // A hit has nothing to write; the file stays as it was.
  const before = fs.statSync(file).mtimeMs;
  second.loaded.persist();
  assert.equal(fs.statSync(file).mtimeMs, before);
});

test('code cache: a damaged or foreign cache is refused by V8, the program still runs, and the cache is rewritten', () => {
  const cases: [string, (file: string) => void][] = [
    ['garbage', (file) => fs.writeFileSync(file, Buffer.from('not a V8 code cache at all'))],
    ['truncated', (file) => fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 64))],
    ['empty', (file) => fs.writeFileSync(file, Buffer.alloc(0))],
  ];
  for (const [name, damage] of cases) {
    const dir = path.join(root, `damaged-${name}`);
    const first = load(dir);
    first.loaded.persist();
    const file = path.join(dir, cacheFileName('abc123', 'lint'));
    damage(file);
    const second = load(dir);
    assert.ok(second.loaded.cache === 'rejected' || second.loaded.cache === 'miss', `${name}: ${second.loaded.cache}`);
    assert.equal(second.exports.sum(5), 10, name);
    second.loaded.persist();
    assert.equal(load(dir).loaded.cache, 'hit', `${name}: rewritten`);
  }
  // Another source under the same key (a stale hash) is refused too, and runs as its own source says.
  const dir = path.join(root, 'other-source');
  load(dir).loaded.persist();
  const other = compileWithCodeCache({ source: 'module.exports = 7;', sourceHash: 'abc123', filename: 'x.js', flavour: 'lint', cacheDir: dir });
  const module = { exports: {} as unknown };
  other.run(module.exports, require, module, 'x.js', '.');
  assert.equal(module.exports, 7);
  assert.equal(other.cache, 'rejected');
});

test('code cache: an unwritable or absent cache folder never stops the program', () => {
  const blocked = path.join(root, 'blocked');
  fs.writeFileSync(blocked, 'a file where the folder should be');
  for (const dir of [path.join(blocked, 'cache'), undefined]) {
    const { loaded, exports } = load(dir);
    assert.equal(loaded.cache, dir ? 'miss' : 'off');
    assert.equal(exports.sum(3), 3);
    assert.doesNotThrow(() => loaded.persist());
  }
});

test('code cache: each flavour keeps its own file, and caches of other builds are removed when one is written', () => {
  const dir = path.join(root, 'stale');
  fs.mkdirSync(dir, { recursive: true });
  const stale = path.join(dir, cacheFileName('old999', 'lint'));
  const unrelated = path.join(dir, 'notes.txt');
  fs.writeFileSync(stale, 'old');
  fs.writeFileSync(unrelated, 'keep');
  load(dir, { flavour: 'other' }).loaded.persist();
  load(dir, { flavour: 'lint' }).loaded.persist();
  assert.deepEqual(fs.readdirSync(dir).sort(), [cacheFileName('abc123', 'lint'), cacheFileName('abc123', 'other'), 'notes.txt'].sort());
});

test('code cache folder: the platform cache folder, or what the environment says', () => {
  const home = os.homedir();
  const cases: [string, NodeJS.ProcessEnv, NodeJS.Platform, string | undefined][] = [
    ['turned off', { COMPOSE_BLUEPRINT_CODE_CACHE: '0', COMPOSE_BLUEPRINT_CACHE_DIR: '/x' }, 'linux', undefined],
    ['moved', { COMPOSE_BLUEPRINT_CACHE_DIR: '/somewhere/else' }, 'linux', '/somewhere/else'],
    ['linux, XDG', { XDG_CACHE_HOME: '/xdg' }, 'linux', path.join('/xdg', 'compose-blueprint', 'cli-code-cache')],
    ['linux', {}, 'linux', path.join(home, '.cache', 'compose-blueprint', 'cli-code-cache')],
    ['macOS', {}, 'darwin', path.join(home, 'Library', 'Caches', 'compose-blueprint', 'cli-code-cache')],
    ['Windows', { LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local' }, 'win32', path.join('C:\\Users\\me\\AppData\\Local', 'compose-blueprint', 'cli-code-cache')],
  ];
  for (const [name, env, platform, expected] of cases) assert.equal(defaultCacheDir(env, platform), expected, name);
});

test('the production CLI gives the same report with its code cache missing, warm, turned off and unwritable', () => {
  const repository = path.resolve(__dirname, '../../..');
  const cli = path.join(root, 'build', 'cli.js');
  const build = spawnSync(process.execPath, [path.join(repository, 'scripts/build.mjs'), '--production', '--no-generate', '--cli-out', cli], { cwd: repository, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const project = path.join(root, 'project');
  fs.mkdirSync(project, { recursive: true });
  fs.writeFileSync(path.join(project, 'docker-compose.yml'), 'services:\n  web:\n    image: nginx:latest\n    ports: [8080]\n    unknown_key: 1\n');
  const cache = path.join(root, 'cli-cache');
  const blocked = path.join(root, 'cli-cache-blocked');
  fs.writeFileSync(blocked, 'a file where the folder should be');
  const lint = (env: NodeJS.ProcessEnv) => {
    const run = spawnSync(process.execPath, [cli, 'lint', 'docker-compose.yml', '--format', 'json'], { cwd: project, encoding: 'utf8', env: { ...process.env, ...env } });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  };
  const first = lint({ COMPOSE_BLUEPRINT_CACHE_DIR: cache });
  const cached = fs.readdirSync(cache);
  assert.equal(cached.length, 1, 'the first lint writes one cache file');
  assert.match(cached[0]!, /-lint\.bin$/);
  const written = fs.statSync(path.join(cache, cached[0]!)).ino;
  const warm = lint({ COMPOSE_BLUEPRINT_CACHE_DIR: cache });
  // V8 took the cache: a refused one would have been written again (a new file, renamed into place).
  assert.equal(fs.statSync(path.join(cache, cached[0]!)).ino, written, 'the warm run used the cache');
  const off = lint({ COMPOSE_BLUEPRINT_CODE_CACHE: '0', COMPOSE_BLUEPRINT_CACHE_DIR: cache });
  const unwritable = lint({ COMPOSE_BLUEPRINT_CACHE_DIR: path.join(blocked, 'cache') });
  const rules = (JSON.parse(first.stdout) as { rule: string }[]).map((finding) => finding.rule);
  assert.ok(rules.includes('schema') && rules.includes('image-unpinned'), first.stdout);
  assert.equal(first.status, 1);
  assert.equal(first.stderr, '');
  for (const [name, run] of Object.entries({ warm, off, unwritable })) assert.deepEqual(run, first, name);
});

test('code cache: the program\'s prepareCodeCache runs before the cache is written, and its failure or absence writes it anyway', () => {
  const programs: [string, string, boolean][] = [
    ['prepares', 'let prepared = 0; module.exports = { prepareCodeCache() { prepared++; globalThis.__cbPrepared = prepared; } };', true],
    ['throws', "module.exports = { prepareCodeCache() { globalThis.__cbPrepared = -1; throw new Error('no'); } };", true],
    ['has none', 'module.exports = { other: 1 };', false],
  ];
  for (const [name, program, calls] of programs) {
    const dir = path.join(root, `prepare-${name}`);
    const options: CodeCacheOptions = { source: `${program}\n${source}`.replace('module.exports = { sum, file: __filename, dir: __dirname };', ''), sourceHash: 'abc123', filename: path.join(root, 'fake-cli.js'), flavour: 'lint', cacheDir: dir };
    const loaded = compileWithCodeCache(options);
    const module = { exports: {} as unknown };
    loaded.run(module.exports, require, module, options.filename, root);
    (globalThis as { __cbPrepared?: number }).__cbPrepared = 0;
    persistPrepared(loaded, module.exports);
    assert.equal((globalThis as { __cbPrepared?: number }).__cbPrepared !== 0, calls, `${name}: prepareCodeCache called`);
    assert.ok(fs.statSync(path.join(dir, cacheFileName('abc123', 'lint'))).size > 0, `${name}: the cache is written`);
  }
  delete (globalThis as { __cbPrepared?: number }).__cbPrepared;
});

test('the validators\' warm-up document is valid for both, so warming them walks all of it', () => {
  assert.equal(compileSchemaValidators(), true);
});
