import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import type Docker from 'dockerode';
import { classifyConnectionError, type DockerEndpoint } from '../../../src/core/docker/endpoint';
import { LiveContainers, type LiveChange } from '../../../src/host/docker/liveContainers';

// LiveContainers against a fake Engine fed with the recorded 1.41 JSON: counts what it asks the daemon for.
const fixtures = path.resolve(__dirname, '../../../../test/unit/docker/fixtures/engine-20.10-api-1.41');
const list = JSON.parse(fs.readFileSync(path.join(fixtures, 'containers-list.json'), 'utf8')) as { Id: string }[];
const inspect = JSON.parse(fs.readFileSync(path.join(fixtures, 'containers-inspect.json'), 'utf8')) as Record<string, unknown>;
const endpoint: DockerEndpoint = { kind: 'socket', socketPath: '/fake.sock', source: 'test' };

class FakeEngine {
  calls: string[] = [];
  streams: PassThrough[] = [];
  up = true;
  listOptions: unknown[] = [];
  /** While set, inspects wait for it: the engine blocks an inspect while it stops or removes a container. */
  inspectGate: Promise<void> | undefined;
  client(): Docker {
    const refuse = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    return {
      version: () => (this.calls.push('version'), this.up ? Promise.resolve({ Version: '20.10.24', ApiVersion: '1.41' }) : refuse()),
      getEvents: (options: unknown) => {
        this.calls.push(`events ${JSON.stringify(options)}`);
        const stream = new PassThrough();
        this.streams.push(stream);
        return Promise.resolve(stream);
      },
      listContainers: (options: unknown) => (this.calls.push('list'), this.listOptions.push(options), Promise.resolve(list)),
      getContainer: (id: string) => ({
        inspect: () => {
          this.calls.push(`inspect ${id.slice(0, 6)}`);
          // The answer is what the container was when asked, even if it arrives late.
          const answer = id in inspect ? Promise.resolve(inspect[id]) : Promise.reject(Object.assign(new Error('no such container'), { statusCode: 404 }));
          return this.inspectGate ? this.inspectGate.then(() => answer) : answer;
        },
      }),
    } as unknown as Docker;
  }
}

function event(id: string, action: string): string {
  return JSON.stringify({ Type: 'container', Action: action, Actor: { ID: id, Attributes: { 'com.docker.compose.project': 'cbcap', 'com.docker.compose.service': 'web' } }, timeNano: Date.now() * 1e6 }) + '\n';
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('connect: version, events stream first, one label-filtered list without sizes, one inspect per container', async () => {
  const engine = new FakeEngine();
  const live = new LiveContainers({ endpoint: () => endpoint, createClient: () => engine.client(), coalesceMs: 20 });
  live.start();
  await until(() => engine.calls.filter((c) => c.startsWith('inspect')).length === list.length, 'initial inspects');
  await until(() => [...live.containers.values()].every((c) => c.inspected), 'model filled from inspect');
  assert.equal(engine.calls[0], 'version');
  // Containers and networks (to notice `docker swarm init`); the Compose label is checked on our side.
  assert.match(engine.calls[1]!, /^events .*"type":\["container","network"\].*"health_status"/);
  assert.equal(engine.calls[2], 'list');
  assert.deepEqual(engine.listOptions, [{ all: true, size: false, filters: { label: ['com.docker.compose.project'] } }]);
  assert.equal(live.containers.size, list.length);
  live.dispose();
});

test('a burst of events for one container is coalesced into one inspect; destroy removes without inspecting', async () => {
  const engine = new FakeEngine();
  const live = new LiveContainers({ endpoint: () => endpoint, createClient: () => engine.client(), coalesceMs: 30 });
  const changes: LiveChange[] = [];
  live.onDidChange((change) => changes.push(change));
  live.start();
  await until(() => engine.calls.filter((c) => c.startsWith('inspect')).length === list.length, 'initial inspects');
  await until(() => changes.filter((c) => !c.full).length >= 1, 'first partial change');
  await new Promise((resolve) => setTimeout(resolve, 20));
  engine.calls = [];
  changes.length = 0;
  const web = list[0]!.Id;
  const stream = engine.streams[0]!;
  // Split across chunks on purpose: the stream is newline-delimited JSON, not one message per chunk.
  const burst = ['kill', 'die', 'stop', 'start', 'health_status: healthy'].map((a) => event(web, a)).join('');
  stream.write(burst.slice(0, 50));
  stream.write(burst.slice(50));
  await until(() => changes.length === 1, 'one change for the burst');
  assert.deepEqual(engine.calls, [`inspect ${web.slice(0, 6)}`]);
  assert.deepEqual(changes[0]!.ids, [web]);
  assert.ok((changes[0]!.eventTimeNano ?? 0) > 0);

  engine.calls = [];
  stream.write(event(web, 'destroy'));
  await until(() => changes.length === 2, 'destroy applied');
  assert.deepEqual(engine.calls, []);
  assert.equal(live.containers.has(web), false);
  live.dispose();
});

test('a slow inspect answered after the container was removed does not bring it back', async () => {
  const engine = new FakeEngine();
  const live = new LiveContainers({ endpoint: () => endpoint, createClient: () => engine.client(), coalesceMs: 10 });
  const changes: LiveChange[] = [];
  live.onDidChange((change) => changes.push(change));
  live.start();
  await until(() => engine.calls.filter((c) => c.startsWith('inspect')).length === list.length && changes.some((c) => !c.full), 'initial inspects');
  const web = list[0]!.Id;
  const stream = engine.streams[0]!;
  let release = (): void => undefined;
  engine.inspectGate = new Promise<void>((resolve) => (release = resolve));
  engine.calls = [];
  changes.length = 0;
  stream.write(event(web, 'die'));
  await until(() => engine.calls.length === 1, 'the die event inspected (and blocked)');
  stream.write(event(web, 'destroy'));
  await until(() => changes.length === 1, 'destroy applied while the inspect still waits');
  assert.equal(live.containers.has(web), false);
  release();
  await until(() => changes.length === 2, 'the late inspect batch finished');
  assert.equal(live.containers.has(web), false, 'the late answer is older than the destroy');
  live.dispose();
});

test('the stream ending means the daemon went away: unreachable with a reason, backoff, then a full resync', async () => {
  const engine = new FakeEngine();
  const live = new LiveContainers({ endpoint: () => endpoint, createClient: () => engine.client(), coalesceMs: 10, backoffInitialMs: 20, backoffMaxMs: 40 });
  const states: string[] = [];
  live.onDidChangeConnection((s) => states.push(s.status === 'unreachable' ? `unreachable ${s.unreachable.reason} ${s.retryInMs}` : s.status));
  live.start();
  await until(() => live.containers.size === list.length, 'connected and listed');
  engine.up = false;
  engine.streams[0]!.end();
  await until(() => states.filter((s) => s.startsWith('unreachable')).length >= 3, 'three failed attempts');
  assert.equal(live.containers.size, 0, 'nothing is claimed while unreachable');
  assert.deepEqual(states.filter((s) => s.startsWith('unreachable')).slice(0, 3), ['unreachable connection-refused 20', 'unreachable connection-refused 40', 'unreachable connection-refused 40']);
  engine.calls = [];
  engine.up = true;
  await until(() => live.connection.status === 'connected' && live.containers.size === list.length, 'recovered');
  assert.ok(engine.calls.includes('list'), 'a full list after reconnecting');
  assert.equal(engine.streams.length, 2, 'a new events stream');
  live.dispose();
});

test('no polling: with the resync disabled nothing is asked while idle; enabled, only at its period', async () => {
  const engine = new FakeEngine();
  const live = new LiveContainers({ endpoint: () => endpoint, createClient: () => engine.client(), resyncMs: 60 });
  live.start();
  await until(() => [...live.containers.values()].every((c) => c.inspected) && live.containers.size === list.length, 'loaded');
  engine.calls = [];
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(engine.calls, [], 'hidden view: no request at all');
  live.setResyncEnabled(true);
  await until(() => engine.calls.includes('list'), 'one resync');
  live.setResyncEnabled(false);
  live.dispose();
});

test('connection errors are classified into the reasons the view shows', () => {
  const table: [string | undefined, string, string][] = [
    ['ENOENT', 'connect ENOENT /var/run/docker.sock', 'no-socket'],
    ['EACCES', 'connect EACCES /var/run/docker.sock', 'permission-denied'],
    ['ECONNREFUSED', 'connect ECONNREFUSED', 'connection-refused'],
    ['ETIMEDOUT', 'no answer', 'timeout'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'Hostname/IP does not match', 'tls'],
    ['EPROTO', 'SSL routines:ssl3_get_record:wrong version number', 'tls'],
    [undefined, 'something else', 'other'],
  ];
  for (const [code, detail, reason] of table) assert.equal(classifyConnectionError(endpoint, code, detail).reason, reason, `${code}`);
});
