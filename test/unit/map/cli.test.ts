import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { runCli } from '../../../src/cli/main';
import { COMMENTBOT_BASE, COMMENTBOT_OVERRIDE, COMMENTBOT_PROD } from './fixtures';

function project(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-map-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'docker-compose.yml'), COMMENTBOT_BASE);
  fs.writeFileSync(path.join(dir, 'docker-compose.override.yml'), COMMENTBOT_OVERRIDE);
  fs.writeFileSync(path.join(dir, 'docker-compose.prod.yml'), COMMENTBOT_PROD);
  return dir;
}

async function cli(cwd: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { cwd, out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

test('map prints the development flowchart of the folder by default', async (t) => {
  const dir = project(t);
  const { code, out } = await cli(dir, 'map');
  assert.equal(code, 0);
  assert.match(out, /^flowchart RL\n/);
  assert.match(out, /s_debug_tools\[/);
  assert.doesNotMatch(out, /s_backup\[/);
});

test('map --env prod --format svg writes an SVG once; a second write needs --force', async (t) => {
  const dir = project(t);
  const first = await cli(dir, 'map', '.', '--env', 'prod', '--format', 'svg', '--out', 'architecture.svg');
  assert.equal(first.code, 0, first.err);
  const svg = fs.readFileSync(path.join(dir, 'architecture.svg'), 'utf8');
  assert.match(svg, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg /);
  assert.match(svg, /data-service="backup"/);
  fs.writeFileSync(path.join(dir, 'architecture.svg'), 'mine');
  const second = await cli(dir, 'map', '--format=svg', '--out', 'architecture.svg');
  assert.equal(second.code, 2);
  assert.equal(fs.readFileSync(path.join(dir, 'architecture.svg'), 'utf8'), 'mine');
  assert.equal((await cli(dir, 'map', '--format=svg', '--out', 'architecture.svg', '--force')).code, 0);
});

test('map: usage errors and a folder without compose files', async (t) => {
  const dir = project(t);
  assert.equal((await cli(dir, 'map', '--format', 'png')).code, 2);
  assert.equal((await cli(dir, 'map', '--bogus')).code, 2);
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-map-empty-'));
  t.after(() => fs.rmSync(empty, { recursive: true, force: true }));
  const none = await cli(empty, 'map');
  assert.equal(none.code, 1);
  assert.match(none.err, /no compose\.yaml/);
});
