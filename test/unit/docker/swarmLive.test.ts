import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { test, type TestContext } from 'node:test';
import type Docker from 'dockerode';
import type { DockerEndpoint } from '../../../src/core/docker/endpoint';
import { LiveContainers, type LiveChange } from '../../../src/host/docker/liveContainers';

// LiveContainers' Swarm path against a fake manager that answers with the JSON recorded from a real single-node
// swarm (fixtures/swarm) and counts what it is asked: one events stream, lists at connection, then one
// `listTasks` per changed service per batch.
const fixtures = path.resolve(__dirname, '../../../../test/unit/docker/fixtures/swarm');
const read = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(fixtures, name), 'utf8'));
type Json = Record<string, unknown> & { ID?: string; Id?: string; ServiceID?: string };
const endpoint: DockerEndpoint = { kind: 'socket', socketPath: '/fake.sock', source: 'test' };
const recordedEvents = fs
  .readFileSync(path.join(fixtures, 'events.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Json);
const LOOSE = '68ei790hds5z1aybk0wlr0nr4';
// What Engine 20.10 answers a worker or a node outside a swarm.
const NOT_A_MANAGER = 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';

class FakeManager {
  calls: string[] = [];
  streams: PassThrough[] = [];
  eventOptions: unknown[] = [];
  up = true;
  manager = true;
  services = read('services.json') as Json[];
  tasks = read('tasks.json') as Json[];
  nodes = read('nodes.json') as Json[];
  info = read('info.json') as Json;
  taskList = read('task-containers-list.json') as Json[];
  inspect = read('task-containers-inspect.json') as Record<string, Json>;

  client(): Docker {
    const refuse = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const log = (call: string) => this.calls.push(call);
    return {
      version: () => (log('version'), this.up ? Promise.resolve({ Version: '20.10.24', ApiVersion: '1.41' }) : refuse()),
      info: () => (log('info'), Promise.resolve(this.manager ? this.info : { ...this.info, Swarm: { LocalNodeState: 'inactive', ControlAvailable: false } })),
      getEvents: (options: unknown) => {
        log('events');
        this.eventOptions.push(options);
        const stream = new PassThrough();
        this.streams.push(stream);
        return Promise.resolve(stream);
      },
      listContainers: (options: { filters: { label: string[] } }) => {
        const swarm = options.filters.label.includes('com.docker.swarm.task.id');
        log(swarm ? 'list task containers' : 'list');
        return Promise.resolve(swarm ? this.taskList : []);
      },
      listServices: () => (log('services'), Promise.resolve(this.services)),
      listTasks: (options?: { filters?: { service?: string[] } }) => {
        const service = options?.filters?.service?.[0];
        log(service ? `tasks ${service.slice(0, 6)}` : 'tasks');
        if (!this.manager) return Promise.reject(Object.assign(new Error('(HTTP code 503) unexpected'), { statusCode: 503, json: { message: NOT_A_MANAGER } }));
        return Promise.resolve(service ? this.tasks.filter((t) => t.ServiceID === service) : this.tasks);
      },
      listNodes: () => (log('nodes'), Promise.resolve(this.nodes)),
      getService: (id: string) => ({
        inspect: () => {
          log(`service ${id.slice(0, 6)}`);
          const found = this.services.find((s) => s.ID === id);
          return found ? Promise.resolve(found) : Promise.reject(Object.assign(new Error('no such service'), { statusCode: 404 }));
        },
      }),
      getContainer: (id: string) => ({
        inspect: () => {
          log(`inspect ${id.slice(0, 6)}`);
          return id in this.inspect ? Promise.resolve(this.inspect[id]) : Promise.reject(Object.assign(new Error('no such container'), { statusCode: 404 }));
        },
      }),
    } as unknown as Docker;
  }

  send(...messages: Json[]): void {
    const text = messages.map((m) => JSON.stringify(m) + '\n').join('');
    // Split mid-message on purpose: the stream is newline-delimited JSON, not one message per chunk.
    const stream = this.streams.at(-1)!;
    stream.write(text.slice(0, 17));
    stream.write(text.slice(17));
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function connected(t: TestContext, engine: FakeManager, options: Partial<ConstructorParameters<typeof LiveContainers>[0]> = {}) {
  const live = new LiveContainers({ endpoint: () => endpoint, createClient: () => engine.client(), coalesceMs: 20, swarmSettleDelaysMs: [], ...options });
  // Disposed even when an assertion fails: a live model left reconnecting would keep the test process alive.
  t.after(() => live.dispose());
  const changes: LiveChange[] = [];
  live.onDidChange((change) => changes.push(change));
  live.start();
  await until(() => changes.some((c) => c.swarm === true), 'swarm loaded');
  await sleep(30);
  return { live, changes };
}

test('a manager: info, one events stream for containers, services and nodes (no label filter, no exec_*), then the lists', async (t) => {
  const engine = new FakeManager();
  const { live, changes } = await connected(t, engine);
  assert.deepEqual(engine.calls.slice(0, 3), ['version', 'info', 'events']);
  const filters = (engine.eventOptions[0] as { filters: { type: string[]; event: string[]; label?: string[] } }).filters;
  assert.deepEqual(filters.type, ['container', 'service', 'node']);
  assert.equal(filters.label, undefined);
  assert.ok(filters.event.includes('health_status') && filters.event.includes('update') && filters.event.includes('remove'));
  assert.ok(!filters.event.some((e) => e.startsWith('exec')));
  assert.deepEqual(
    engine.calls.filter((c) => ['services', 'tasks', 'nodes', 'list task containers'].includes(c)).sort(),
    ['list task containers', 'nodes', 'services', 'tasks'],
  );
  const running = engine.taskList.filter((c) => c.State === 'running').length;
  assert.equal(engine.calls.filter((c) => c.startsWith('inspect')).length, running, 'only running task containers are inspected (health)');
  assert.equal(live.swarm?.services.size, 4);
  assert.equal(live.swarm?.tasks.size, engine.tasks.length);
  assert.equal(live.taskContainers.size, engine.taskList.length);
  assert.equal(live.containers.size, 0, 'task containers are not Compose containers');
  assert.ok(changes.some((c) => c.swarm === true));
  live.dispose();
});

test('task container events (recorded): one listTasks per service per batch, one inspect per container; exec_* noise ignored', async (t) => {
  const engine = new FakeManager();
  const { live, changes } = await connected(t, engine);
  engine.calls = [];
  changes.length = 0;
  const containerEvents = recordedEvents.filter((e) => e.Type === 'container');
  const probe = { ...containerEvents[0]!, Action: 'exec_start: /bin/sh -c test ! -f /tmp/unhealthy' };
  engine.send(probe, ...containerEvents);
  await until(() => changes.length === 1, 'one change');
  await sleep(40);
  assert.equal(changes.length, 1);
  const ids = new Set(containerEvents.map((e) => (e.Actor as Json).ID as string));
  assert.deepEqual(engine.calls.filter((c) => c.startsWith('tasks')), [`tasks ${LOOSE.slice(0, 6)}`]);
  const destroyed = new Set(containerEvents.filter((e) => e.Action === 'destroy').map((e) => (e.Actor as Json).ID as string));
  assert.equal(engine.calls.filter((c) => c.startsWith('inspect')).length, ids.size - destroyed.size);
  assert.deepEqual(changes[0]!.swarm, { services: [LOOSE] });
  assert.deepEqual(changes[0]!.ids, [], 'no Compose container changed');
  assert.ok((changes[0]!.eventTimeNano ?? 0) > 0);
  live.dispose();
});

test('service events: update re-reads the service and its tasks; remove drops it with no request; node events re-list nodes', async (t) => {
  const engine = new FakeManager();
  const { live, changes } = await connected(t, engine);
  const scale = recordedEvents.find((e) => e.Type === 'service' && (e.Actor as { Attributes: Json }).Attributes['replicas.new'] !== undefined)!;
  engine.calls = [];
  changes.length = 0;
  engine.services = engine.services.map((s) => (s.ID === LOOSE ? { ...s, Spec: { ...(s.Spec as Json), Mode: { Replicated: { Replicas: 5 } } } } : s));
  engine.send(scale);
  await until(() => changes.length === 1, 'service change');
  assert.deepEqual(engine.calls.sort(), [`service ${LOOSE.slice(0, 6)}`, `tasks ${LOOSE.slice(0, 6)}`]);
  assert.equal(live.swarm?.services.get(LOOSE)?.desiredReplicas, 5);
  assert.deepEqual(changes[0]!.swarm, { services: [LOOSE] });

  engine.calls = [];
  engine.send({ ...scale, Action: 'remove' });
  await until(() => changes.length === 2, 'removal');
  assert.deepEqual(engine.calls, []);
  assert.equal(live.swarm?.services.has(LOOSE), false);
  assert.equal([...live.swarm.tasks.values()].some((t) => t.serviceId === LOOSE), false);

  engine.calls = [];
  engine.send({ Type: 'node', Action: 'update', Actor: { ID: 'fo8igoymmuc8ps63gsjikimjz', Attributes: { name: 'fo8igoymmuc8ps63gsjikimjz' } }, scope: 'swarm', time: 1, timeNano: 1e18 });
  await until(() => changes.length === 3, 'node change');
  assert.deepEqual(engine.calls, ['nodes']);
  assert.equal(changes[2]!.swarm, true);
  live.dispose();
});

test('a task lagging its container is re-read a bounded number of times, then nothing more is asked', async (t) => {
  const engine = new FakeManager();
  // The manager still says "starting" for a task whose container is already healthy.
  engine.tasks = engine.tasks.map((t) => (t.ServiceID === LOOSE && (t.Status as Json).State === 'running' ? { ...t, Status: { ...(t.Status as Json), State: 'starting' } } : t));
  const { live } = await connected(t, engine, { swarmSettleDelaysMs: [10, 20, 30] });
  engine.calls = [];
  engine.send(recordedEvents.find((e) => e.Type === 'container' && e.Action === 'start')!);
  await sleep(400);
  assert.equal(engine.calls.filter((c) => c.startsWith('tasks')).length, 4, 'the event, then three follow-ups');
  engine.calls = [];
  await sleep(200);
  assert.deepEqual(engine.calls, [], 'then quiet');
  live.dispose();
});

test('the manager goes away: no snapshot while unreachable; back with new task ids: rebuilt from scratch', async (t) => {
  const engine = new FakeManager();
  const { live, changes } = await connected(t, engine, { backoffInitialMs: 20, backoffMaxMs: 40 });
  changes.length = 0;
  engine.up = false;
  engine.streams.at(-1)!.end();
  await until(() => live.connection.status === 'unreachable', 'unreachable');
  assert.equal(live.swarm, undefined);
  assert.equal(live.taskContainers.size, 0);
  assert.ok(changes.some((c) => c.swarm === true), 'the view is told the swarm is gone');
  // dockerd restarted: the same services, new tasks and containers.
  engine.tasks = engine.tasks.map((t) => ({ ...t, ID: `new${String(t.ID)}` }));
  engine.calls = [];
  engine.up = true;
  await until(() => live.connection.status === 'connected' && live.swarm !== undefined && [...live.swarm.tasks.keys()].every((id) => id.startsWith('new')), 'rebuilt', 5000);
  assert.ok(engine.calls.includes('tasks') && engine.calls.includes('services'));
  live.dispose();
});

/** LiveContainers connected to an engine that is not a Swarm manager, once it has listed the containers. */
async function connectedToPlainEngine(t: TestContext): Promise<{ engine: FakeManager; live: LiveContainers }> {
  const engine = new FakeManager();
  engine.manager = false;
  const live = new LiveContainers({ endpoint: () => endpoint, createClient: () => engine.client(), coalesceMs: 20 });
  t.after(() => live.dispose());
  live.start();
  await until(() => engine.calls.includes('list'), 'listed');
  return { engine, live };
}

test('not a manager: the Compose-only stream and no Swarm request; undefined snapshot', async (t) => {
  const { engine, live } = await connectedToPlainEngine(t);
  await sleep(30);
  assert.deepEqual(engine.calls, ['version', 'info', 'events', 'list']);
  assert.deepEqual((engine.eventOptions[0] as { filters: { type: string[] } }).filters.type, ['container', 'network']);
  assert.equal(live.swarm, undefined);
  live.dispose();
});

test('swarm init while connected: the ingress network\'s creation makes it follow the new Swarm at once', async (t) => {
  const { engine, live } = await connectedToPlainEngine(t);
  engine.manager = true;
  // Another network's creation is not a Swarm change.
  engine.send({ Type: 'network', Action: 'create', Actor: { ID: 'n1', Attributes: { name: 'shop_default', type: 'bridge' } }, scope: 'local' });
  await sleep(60);
  assert.equal(engine.streams.length, 1);
  // What Engine 20.10 sends on `docker swarm init` (recorded).
  engine.send({ Type: 'network', Action: 'create', Actor: { ID: 'lerfuntlloyurbdlebtjt1u7l', Attributes: { name: 'ingress', type: 'overlay' } }, scope: 'local', time: 1795848626 });
  await until(() => engine.streams.length === 2 && live.connection.status === 'connected' && live.swarm !== undefined, 'following the Swarm');
  assert.deepEqual((engine.eventOptions[1] as { filters: { type: string[] } }).filters.type, ['container', 'service', 'node']);
  live.dispose();
});

test('the engine leaves the swarm while connected: its 503 ends following Swarm (reconnect, Compose-only stream)', async (t) => {
  const engine = new FakeManager();
  const { live, changes } = await connected(t, engine);
  changes.length = 0;
  engine.manager = false;
  engine.send(recordedEvents.find((e) => e.Type === 'container' && e.Action === 'start')!);
  await until(() => engine.streams.length === 2 && live.connection.status === 'connected', 'reconnected');
  assert.equal(live.swarm, undefined);
  assert.deepEqual((engine.eventOptions[1] as { filters: { type: string[] } }).filters.type, ['container', 'network']);
  assert.ok(changes.some((c) => c.swarm === true), 'the view is told');
});
