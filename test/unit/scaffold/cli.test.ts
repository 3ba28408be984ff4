import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { runCli } from '../../../src/cli/main';
import { planNewProject, resolvePlan } from '../../../src/core/scaffold/plan';
import { readExisting, writePlan } from '../../../src/host/scaffold/apply';

function tempDir(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-scaffold-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function cli(cwd: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { cwd, out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

function listFiles(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name))).sort();
}

test('new writes the project, prints the plan, marks scripts executable; a second run has nothing to do', async (t) => {
  const dir = tempDir(t);
  const first = await cli(dir, 'new', 'shop', '--preset', 'web-app', '--lang', 'es');
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /create {4}docker-compose\.yml/);
  const root = path.join(dir, 'shop');
  assert.ok(fs.existsSync(path.join(root, 'bd/postgres-data/.gitkeep')));
  assert.equal(fs.statSync(path.join(root, 'data/scripts/dev-setup.sh')).mode & 0o111, 0o111);
  assert.equal(fs.statSync(path.join(root, 'docker-compose.yml')).mode & 0o111, 0);
  assert.match(fs.readFileSync(path.join(root, 'README.md'), 'utf8'), /## Producción/);
  const second = await cli(dir, 'new', 'shop', '--preset', 'web-app', '--lang', 'es');
  assert.equal(second.code, 0);
  assert.match(second.out, /Nothing to do/);
  assert.deepEqual(listFiles(root).filter((f) => f.includes('.cb-')), [], 'no temporary files left');
});

test('new refuses a differing existing file and writes nothing; --force overwrites it', async (t) => {
  const root = tempDir(t);
  fs.writeFileSync(path.join(root, 'README.md'), '# mine\n');
  const refused = await cli(root, 'new', '.', '--preset', 'elk', '--name', 'logs');
  assert.equal(refused.code, 1);
  assert.match(refused.out, /conflict {2}README\.md/);
  assert.match(refused.err, /-# mine/);
  assert.deepEqual(listFiles(root), ['README.md'], 'all or nothing: nothing else was written');
  assert.equal(fs.readFileSync(path.join(root, 'README.md'), 'utf8'), '# mine\n');
  const dry = await cli(root, 'new', '.', '--preset', 'elk', '--name', 'logs', '--force', '--dry-run');
  assert.equal(dry.code, 0);
  assert.deepEqual(listFiles(root), ['README.md']);
  const forced = await cli(root, 'new', '.', '--preset', 'elk', '--name', 'logs', '--force');
  assert.equal(forced.code, 0, forced.err);
  assert.match(fs.readFileSync(path.join(root, 'README.md'), 'utf8'), /^# logs/);
});

test('add appends a service to an existing project and keeps the user text', async (t) => {
  const root = tempDir(t);
  fs.writeFileSync(path.join(root, 'docker-compose.yml'), '# mine\nservices:\n  web:\n    image: nginx:1.27.2-alpine # pinned\n');
  const added = await cli(root, 'add', '.', 'redis', '--depends-on', 'web');
  assert.equal(added.code, 0, added.err);
  const base = fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
  assert.ok(base.startsWith('# mine\nservices:\n  web:\n    image: nginx:1.27.2-alpine # pinned\n'));
  assert.match(base, /\n {2}redis:\n/);
  assert.match(base, /web:\n\s+condition: service_started/, 'web has no healthcheck');
  assert.match(added.out, /note/);
  const again = await cli(root, 'add', '.', 'redis', '--depends-on', 'web');
  assert.equal(again.code, 0);
  assert.match(again.out, /Nothing to do/);
  const custom = await cli(root, 'add', '.', 'billing');
  assert.equal(custom.code, 0, custom.err);
  assert.ok(fs.existsSync(path.join(root, 'build/billing/Dockerfile')), 'a name outside the catalogue gets the generic built service');
});

test('usage and I/O problems exit 2; bad names and unknown services are refused', async (t) => {
  const root = tempDir(t);
  const cases: [string[], number, RegExp][] = [
    [['new'], 2, /exactly one target folder/],
    [['new', 'x'], 2, /--preset/],
    [['new', 'x', '--preset', 'elk', '--lang', 'fr'], 2, /--lang/],
    [['new', 'x', '--preset', 'elk', '--name', 'Bad Name'], 2, /lowercase/],
    [['new', 'x', '--preset', 'nope'], 1, /Unknown preset/],
    [['new', 'x', '--bogus'], 2, /Unknown option/],
    [['add', 'missing-folder', 'redis'], 2, /No such project folder/],
    [['add', '.', '../evil'], 2, /path separator/],
    [['add', '.', 'redis'], 1, /No compose file/],
  ];
  for (const [args, code, pattern] of cases) {
    const result = await cli(root, ...args);
    assert.equal(result.code, code, args.join(' '));
    assert.match(result.out + result.err, pattern, args.join(' '));
  }
  assert.deepEqual(listFiles(root), []);
});

test('writePlan is all-or-nothing: a failure part-way restores every file and removes what it created', (t) => {
  const root = tempDir(t);
  fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules/\n');
  // A file where the plan needs a folder: writing data/scripts/... fails after other files were staged.
  fs.writeFileSync(path.join(root, 'data'), 'not a folder');
  const input = { name: 'p', lang: 'en' as const, preset: 'web-app' };
  const existing = readExisting(root, ['.gitignore', 'README.md', 'docker-compose.yml']);
  const plan = planNewProject(input, existing);
  assert.ok(plan.edits.some((e) => e.path === '.gitignore'));
  assert.throws(() => writePlan(root, resolvePlan(plan, new Map()), existing));
  assert.deepEqual(listFiles(root), ['.gitignore', 'data']);
  assert.equal(fs.readFileSync(path.join(root, '.gitignore'), 'utf8'), 'node_modules/\n');
});

test('writePlan refuses when a file changed after the plan was made', (t) => {
  const root = tempDir(t);
  fs.writeFileSync(path.join(root, '.gitignore'), 'a\n');
  const existing = readExisting(root, ['.gitignore']);
  const plan = planNewProject({ name: 'p', lang: 'en', preset: 'empty' }, existing);
  fs.writeFileSync(path.join(root, '.gitignore'), 'a\nb\n');
  assert.throws(() => writePlan(root, resolvePlan(plan, new Map()), existing), /changed since the plan/);
  assert.deepEqual(listFiles(root), ['.gitignore']);
});
