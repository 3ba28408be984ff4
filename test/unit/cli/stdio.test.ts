import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { descriptorWriter, type DescriptorWriterHost } from '../../../src/cli/stdio';

/** A fake descriptor: `plan` says what each writeSync call does (write up to n bytes, or throw a code). */
function fakeHost(plan: (number | string)[]) {
  const direct: Buffer[] = [];
  const streamed: Buffer[] = [];
  let streams = 0;
  const host: DescriptorWriterHost = {
    writeSync(_fd, data, offset) {
      const step = plan.shift() ?? Number.POSITIVE_INFINITY;
      if (typeof step === 'string') throw Object.assign(new Error(step), { code: step });
      const bytes = data.subarray(offset, offset + Math.min(step, data.length - offset));
      direct.push(Buffer.from(bytes));
      return bytes.length;
    },
    stream() {
      streams++;
      return { write: (data: Uint8Array) => streamed.push(Buffer.from(data)) };
    },
  };
  return { host, direct, streamed, streams: () => streams };
}

test('descriptor writer: what goes to the descriptor and what to the stream, in order', () => {
  const cases: { name: string; plan: (number | string)[]; texts: string[]; platform?: NodeJS.Platform; direct: string; streamed: string; streams: number }[] = [
    { name: 'all at once', plan: [], texts: ['[\n', ']\n'], direct: '[\n]\n', streamed: '', streams: 0 },
    { name: 'short writes are continued', plan: [2, 1, 3], texts: ['abcdefgh'], direct: 'abcdefgh', streamed: '', streams: 0 },
    { name: 'multi-byte characters split across writes', plan: [1], texts: ['é€x'], direct: 'é€x', streamed: '', streams: 0 },
    { name: 'EAGAIN: the rest and every later text go to the stream', plan: [3, 'EAGAIN'], texts: ['abcdef', 'gh'], direct: 'abc', streamed: 'defgh', streams: 1 },
    { name: 'EPIPE at once: the stream reports it as before', plan: ['EPIPE'], texts: ['abc', 'd'], direct: '', streamed: 'abcd', streams: 1 },
    { name: 'a write of 0 bytes does not loop', plan: [0], texts: ['abc'], direct: '', streamed: 'abc', streams: 1 },
    { name: 'empty texts write nothing', plan: ['EAGAIN'], texts: ['', ''], direct: '', streamed: '', streams: 0 },
    { name: 'Windows: always the stream', plan: [], texts: ['a', 'b'], platform: 'win32', direct: '', streamed: 'ab', streams: 1 },
  ];
  for (const c of cases) {
    const fake = fakeHost([...c.plan]);
    const write = descriptorWriter(1, fake.host, c.platform ?? 'linux');
    for (const text of c.texts) write(text);
    // Bytes, joined: a short write may end inside a character's UTF-8 sequence.
    assert.equal(Buffer.concat(fake.direct).toString('utf8'), c.direct, c.name);
    assert.equal(Buffer.concat(fake.streamed).toString('utf8'), c.streamed, c.name);
    assert.equal(fake.streams(), c.streams, `${c.name}: streams created`);
  }
});

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-stdio-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('the CLI writes a report bigger than a pipe buffer whole, to a pipe and to a file, and exits as before', () => {
  // 400 services with a missing build context: about 150 KB of JSON, more than a pipe holds (64 KB on Linux).
  const repository = path.resolve(__dirname, '../../../..');
  const cli = path.join(root, 'cli.js');
  const build = spawnSync(process.execPath, [path.join(repository, 'scripts/build.mjs'), '--production', '--no-generate', '--cli-out', cli], { cwd: repository, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  const services = Array.from({ length: 400 }, (_, i) => `  s${i}:\n    build: ./build/s${i}\n    image: registry.example.com/s${i}:1.0.0\n`).join('');
  fs.writeFileSync(path.join(root, 'docker-compose.yml'), `services:\n${services}`);
  const env = { ...process.env, COMPOSE_BLUEPRINT_CACHE_DIR: path.join(root, 'cache') };
  const piped = spawnSync(process.execPath, [cli, 'lint', 'docker-compose.yml', '--format', 'json'], { cwd: root, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(piped.status, 1, piped.stderr);
  assert.equal(piped.stderr, '');
  assert.ok(piped.stdout.length > 128 * 1024, `${piped.stdout.length} bytes`);
  const findings = JSON.parse(piped.stdout) as { rule: string }[];
  assert.equal(findings.filter((f) => f.rule === 'build-missing').length, 400);
  const out = path.join(root, 'report.json');
  const file = fs.openSync(out, 'w');
  const toFile = spawnSync(process.execPath, [cli, 'lint', 'docker-compose.yml', '--format', 'json'], { cwd: root, stdio: ['ignore', file, 'pipe'], encoding: 'utf8', env });
  fs.closeSync(file);
  assert.equal(toFile.status, 1);
  assert.equal(fs.readFileSync(out, 'utf8'), piped.stdout);
  // Usage errors still go to standard error.
  const usage = spawnSync(process.execPath, [cli, 'lint', '--format', 'xml'], { cwd: root, encoding: 'utf8', env });
  assert.equal(usage.status, 2);
  assert.equal(usage.stdout, '');
  assert.match(usage.stderr, /Unknown format "xml"/);
});
