import assert from 'node:assert/strict';
import net from 'node:net';
import { test, type TestContext } from 'node:test';
import { parseDockerHost, type DockerEndpoint } from '../../src/core/docker/endpoint';
import { buildProjects, type ProjectNode, type ServiceNode } from '../../src/core/docker/servicesModel';
import { chooseEndpoint } from '../../src/host/docker/connect';
import { LiveContainers, type LiveConnection } from '../../src/host/docker/liveContainers';
import { detectComposeTool } from '../../src/host/docker/composeTool';
import { ComposeProject, run } from './composeProject';
import { needsDaemon } from './daemon';
import { DockerSocketProxy } from './socketProxy';

// The live model against the real daemon: a compose project brought up with docker-compose, changed with the
// docker CLI, and read only through LiveContainers (one list + inspects, then the events stream; no resync
// timer runs in these tests, so every change seen here came through an event).

async function waitFor<T>(read: () => T, done: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value, (k, v: unknown) => (k === 'probes' ? undefined : v))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function liveFor(project: ComposeProject, endpoint: () => DockerEndpoint = () => chooseEndpoint()): LiveContainers {
  return new LiveContainers({ endpoint, projects: () => new Set([project.name]), coalesceMs: 50, backoffInitialMs: 200, backoffMaxMs: 1000 });
}

function tree(live: LiveContainers, project: ComposeProject, services = ['web', 'worker']): ProjectNode {
  return buildProjects([{ key: project.folder, name: project.name, services }], live.containers.values(), live.isConnected)[0]!;
}

const service = (node: ProjectNode, name: string): ServiceNode => node.services.find((s) => s.name === name)!;

async function setUp(t: TestContext, services?: string[]): Promise<ComposeProject | undefined> {
  if (!(await needsDaemon(t))) return undefined;
  const project = new ComposeProject(services);
  t.after(() => project.dispose());
  return project;
}

test('up -> healthy; exec touch -> unhealthy; stop -> exited; start -> healthy again (events only)', async (t) => {
  const project = await setUp(t);
  if (!project) return;
  const live = liveFor(project);
  t.after(() => live.dispose());
  live.start();
  assert.equal((await live.settled()).status, 'connected');
  assert.deepEqual(
    tree(live, project).services.map((s) => s.state),
    ['not-created', 'not-created'],
    'declared services are listed before anything is created',
  );

  await project.compose('up', '-d');
  await waitFor(() => service(tree(live, project), 'web'), (s) => s.state === 'running' && s.health === 'healthy', 'web healthy');
  const [webId] = await project.containerIds('web');
  assert.ok(webId);

  await project.docker('exec', webId, 'touch', '/tmp/unhealthy');
  const unhealthy = await waitFor(() => service(tree(live, project), 'web'), (s) => s.health === 'unhealthy', 'web unhealthy');
  assert.ok(unhealthy.containers[0]!.failingStreak >= 1);
  assert.ok(unhealthy.containers[0]!.probes.some((p) => p.exitCode !== 0), 'the failing probe is in the log');
  assert.equal(tree(live, project).unhealthy, 1);

  await project.compose('stop', '-t', '1', 'web');
  const exited = await waitFor(() => service(tree(live, project), 'web'), (s) => s.state === 'exited', 'web exited');
  assert.equal(exited.health, 'none');
  assert.equal(typeof exited.exitCode, 'number');

  await project.docker('start', webId);
  // The flag file is gone with the stopped process? No: the container's filesystem keeps /tmp/unhealthy.
  await waitFor(() => service(tree(live, project), 'web'), (s) => s.state === 'running' && s.health !== 'none', 'web running again');
  assert.equal(live.connection.status, 'connected');
});

test('scale to 3 -> three containers, "3/3"; scale to 1 -> destroy events remove two', async (t) => {
  const project = await setUp(t, ['web']);
  if (!project) return;
  const live = liveFor(project);
  t.after(() => live.dispose());
  live.start();
  await live.settled();
  await project.compose('up', '-d', '--scale', 'web=3');
  const scaled = await waitFor(() => service(tree(live, project, ['web']), 'web'), (s) => s.replicas === 3 && s.running === 3, 'three replicas running');
  assert.deepEqual(
    scaled.containers.map((c) => c.number),
    [1, 2, 3],
  );
  await project.compose('up', '-d', '--scale', 'web=1');
  await waitFor(() => service(tree(live, project, ['web']), 'web'), (s) => s.replicas === 1, 'one replica left');
});

test('the daemon unreachable gives a reason, not an exception', async (t) => {
  const sockets = new Set<net.Socket>();
  const tlsServer = net.createServer((socket) => {
    sockets.add(socket);
    socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
  });
  await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', () => resolve()));
  t.after(() => {
    for (const socket of sockets) socket.destroy();
    tlsServer.close();
  });
  const port = (tlsServer.address() as net.AddressInfo).port;
  const table: [string, DockerEndpoint, LiveConnection['status'], string][] = [
    ['no socket', parseDockerHost('unix:///tmp/compose-blueprint-no-such.sock', 'test')!, 'unreachable', 'no-socket'],
    ['connection refused', parseDockerHost('tcp://127.0.0.1:1', 'test')!, 'unreachable', 'connection-refused'],
    ['TLS to a plain server', { kind: 'tcp', host: '127.0.0.1', port, tls: true, source: 'test' }, 'unreachable', 'tls'],
  ];
  for (const [name, endpoint, status, reason] of table) {
    const live = new LiveContainers({ endpoint: () => endpoint, backoffInitialMs: 60_000, requestTimeoutMs: 3000 });
    live.start();
    const state = await live.settled();
    live.dispose();
    assert.equal(state.status, status, name);
    assert.equal(state.status === 'unreachable' ? state.unreachable.reason : '', reason, name);
  }
});

test('the daemon going away and coming back: unreachable, retries with backoff, recovers and resyncs by itself', async (t) => {
  const project = await setUp(t, ['web']);
  if (!project) return;
  const real = chooseEndpoint();
  if (real.kind !== 'socket') return t.skip('needs the daemon on a unix socket');
  const proxy = new DockerSocketProxy(real.socketPath);
  t.after(() => proxy.dispose());
  await proxy.open();
  const live = liveFor(project, () => ({ kind: 'socket', socketPath: proxy.socketPath, source: 'proxy' }));
  t.after(() => live.dispose());
  const states: string[] = [];
  live.onDidChangeConnection((state) => states.push(state.status === 'unreachable' ? `unreachable:${state.unreachable.reason}` : state.status));
  live.start();
  await project.compose('up', '-d');
  await waitFor(() => service(tree(live, project, ['web']), 'web'), (s) => s.health === 'healthy', 'web healthy through the proxy');

  await proxy.shut();
  await waitFor(() => live.connection.status, (s) => s === 'unreachable', 'unreachable after the socket went away');
  assert.equal(service(tree(live, project, ['web']), 'web').state, 'unknown');
  // While it is away, something changes: the resync after the reconnect must see it.
  await project.compose('stop', '-t', '1', 'web');
  await waitFor(() => live.connection, (c) => c.status === 'unreachable' && c.attempts >= 2, 'a second attempt (backoff)');

  await proxy.open();
  await waitFor(() => service(tree(live, project, ['web']), 'web'), (s) => s.state === 'exited', 'recovered, with the change made while away', 10_000);
  assert.ok(states.includes('unreachable:no-socket'), states.join(' '));
  assert.equal(states.at(-1), 'connected');
});

test('the installed Compose is detected as the CLI reports it (docker compose v2, else docker-compose)', async (t) => {
  if (!(await needsDaemon(t))) return;
  const tool = await detectComposeTool();
  assert.ok(tool, 'a Compose is installed on test machines');
  const plugin = await run('docker', ['compose', 'version']).then(
    () => true,
    () => false,
  );
  assert.equal(tool.kind, plugin ? 'v2' : 'v1');
  assert.match(tool.version, /^\d+\.\d+\.\d+/);
});
