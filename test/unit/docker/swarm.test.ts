import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { ContainerInfo } from '../../../src/core/docker/containers';
import { formatMessage, type Message } from '../../../src/core/message';
import {
  buildStacks,
  diffStacks,
  imageWithoutDigest,
  LOOSE_STACK_KEY,
  parseSwarmEvent,
  replicaText,
  stackLabel,
  stackRollup,
  stackServiceDescription,
  stackServiceSpeech,
  stackSpeech,
  swarmNodeFromJson,
  swarmRoleFromInfo,
  swarmServiceFromJson,
  swarmSnapshotFromJson,
  swarmTaskFromJson,
  TASK_HISTORY_PER_SERVICE,
  taskContainerFromInspect,
  taskContainerFromSummary,
  taskOfContainerEvent,
  taskSpeech,
  taskStateText,
  updateStateText,
  withNodes,
  withService,
  withServiceTasks,
  type StackNode,
  type SwarmSnapshot,
  type SwarmTaskInfo,
} from '../../../src/core/docker/swarm';
import { classifySwarmError, parseReplicas } from '../../../src/core/docker/swarmErrors';
import { LogLineSplitter, type ServiceLogLine } from '../../../src/host/docker/swarmActions';

// Recorded from a real single-node swarm (Engine 20.10.24, API 1.41): see fixtures/swarm/README.md.
const fixtures = path.resolve(__dirname, '../../../../test/unit/docker/fixtures/swarm');
const read = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(fixtures, name), 'utf8'));
const servicesJson = read('services.json') as unknown[];
const tasksJson = read('tasks.json') as unknown[];
const nodesJson = read('nodes.json') as unknown[];
const info = read('info.json');
const inspected = read('task-containers-inspect.json') as Record<string, unknown>;
const listed = read('task-containers-list.json') as unknown[];
const events = fs
  .readFileSync(path.join(fixtures, 'events.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as unknown);

const role = swarmRoleFromInfo(info);
const snapshot = swarmSnapshotFromJson(role.nodeId ?? '', servicesJson, tasksJson, nodesJson);
const containers: ContainerInfo[] = Object.values(inspected).map((json) => taskContainerFromInspect(json)!);
const speak = (parts: readonly Message[]) => parts.map((m) => formatMessage(m)).join(', ');
const byName = (stacks: readonly StackNode[], stack: string, service: string) => stacks.find((s) => s.name === stack)!.services.find((s) => s.name === service)!;

test('info: an active manager on loopback, with its node id', () => {
  assert.equal(role.manager, true);
  assert.equal(role.localNodeState, 'active');
  assert.equal(role.nodeId, 'fo8igoymmuc8ps63gsjikimjz');
  const table: [unknown, boolean, string][] = [
    [{ Swarm: { LocalNodeState: 'inactive', ControlAvailable: false } }, false, 'inactive'],
    [{ Swarm: { LocalNodeState: 'active', ControlAvailable: false, NodeID: 'w' } }, false, 'active'],
    [{ Swarm: { LocalNodeState: 'locked' } }, false, 'locked'],
    [{}, false, 'inactive'],
    ['junk', false, 'inactive'],
  ];
  for (const [json, manager, state] of table) assert.deepEqual([swarmRoleFromInfo(json).manager, swarmRoleFromInfo(json).localNodeState], [manager, state], JSON.stringify(json));
});

test('services: name, stack label, mode, replicas, published ports, healthcheck from the spec', () => {
  type Row = [name: string, stack: string | undefined, mode: string, replicas: number | undefined, ports: string, healthcheck: boolean | undefined];
  const rows = servicesJson
    .map((json) => swarmServiceFromJson(json)!)
    .map((s): Row => [s.name, s.stack, s.mode, s.desiredReplicas, s.ports.map((p) => `${p.hostPort}:${p.containerPort}/${p.protocol}/${p.publishMode}`).join(), s.healthcheck])
    .sort((a, b) => a[0].localeCompare(b[0]));
  assert.deepEqual(rows, [
    ['bpswarmcap_crashy', 'bpswarmcap', 'replicated', 1, '', false],
    ['bpswarmcap_web', 'bpswarmcap', 'replicated', 2, '18080:80/tcp/host', undefined],
    ['bpswarmcap_worker', 'bpswarmcap', 'global', undefined, '', false],
    ['bpswarmloose', undefined, 'replicated', 2, '', undefined],
  ]);
  const loose = servicesJson.map((json) => swarmServiceFromJson(json)!).find((s) => s.name === 'bpswarmloose')!;
  assert.equal(loose.forceUpdate, 1, 'updated with --force once');
  assert.ok(loose.version > 0);
  assert.equal(loose.image, 'compose-blueprint/busybox-health:1');
});

test('services, tasks and nodes: junk and partial JSON give undefined or defaults, never a throw', () => {
  for (const junk of [undefined, null, 3, 'x', [], {}, { ID: 'x' }, { Spec: { Name: 'n' } }]) {
    assert.equal(swarmServiceFromJson(junk), undefined, JSON.stringify(junk));
    assert.equal(swarmTaskFromJson(junk), undefined, JSON.stringify(junk));
  }
  assert.equal(swarmNodeFromJson({}), undefined);
  assert.deepEqual(swarmNodeFromJson({ ID: 'abcdefabcdefabcdef' }), { id: 'abcdefabcdefabcdef', hostname: 'abcdefabcdef', role: 'worker', availability: 'active', state: 'unknown', leader: false });
  const newer = swarmServiceFromJson({
    ID: 's1',
    Version: { Index: 9 },
    Spec: { Name: 'app_api', Labels: { 'com.docker.stack.namespace': 'app' }, Mode: { ReplicatedJob: { MaxConcurrent: 1 } }, TaskTemplate: { ContainerSpec: { Image: 'api:2@sha256:abc' } } },
    UpdateStatus: { State: 'rollback_started', Message: 'update rolled back due to failure or early termination of task x' },
    ServiceStatus: { RunningTasks: 0, DesiredTasks: 1, CompletedTasks: 0 },
  })!;
  assert.deepEqual([newer.mode, newer.image, newer.updateState, newer.runningTasks, newer.desiredTasks], ['replicated-job', 'api:2', 'rollback_started', 0, 1]);
  assert.equal(imageWithoutDigest('busybox@sha256:0123'), 'busybox');
  assert.equal(imageWithoutDigest('reg:5000/a/b:1'), 'reg:5000/a/b:1');
});

test('tasks: slot, node, state, desired state, error, exit code of ended tasks only, container', () => {
  const tasks = tasksJson.map((json) => swarmTaskFromJson(json)!);
  const failed = tasks.filter((t) => t.state === 'failed');
  assert.equal(failed.length, 3);
  for (const t of failed) assert.deepEqual([t.error, t.exitCode, t.desiredState, t.slot], ['task: non-zero exit (3)', 3, 'shutdown', 1]);
  const pending = tasks.find((t) => t.state === 'pending')!;
  assert.equal(pending.nodeId, undefined);
  assert.equal(pending.containerId, undefined);
  // The scheduler's reason is in Status.Err, not in Message, while the task stays pending.
  assert.equal(pending.error, 'no suitable node (host-mode port already in use on 1 node)');
  assert.equal(pending.message, 'pending task scheduling');
  const running = tasks.filter((t) => t.state === 'running');
  assert.ok(running.every((t) => t.exitCode === undefined && t.containerId !== undefined && t.nodeId === role.nodeId));
  assert.equal(tasks.filter((t) => t.slot === undefined).length, 1, 'the global task has no slot');
});

test('nodes: hostname, role, availability, state, leader', () => {
  assert.deepEqual(
    nodesJson.map((json) => {
      const n = swarmNodeFromJson(json)!;
      return [n.hostname, n.role, n.availability, n.state, n.leader];
    }),
    [['vm', 'manager', 'active', 'ready', true]],
  );
});

test('task containers: read with their health, as project swarm/<stack>; Compose and other containers are not task containers', () => {
  const web2 = containers.find((c) => c.name.startsWith('bpswarmcap_web.2.'))!;
  assert.deepEqual([web2.project, web2.service, web2.state, web2.health], ['swarm/bpswarmcap', 'bpswarmcap_web', 'running', 'healthy']);
  const loose = containers.find((c) => c.name.startsWith('bpswarmloose.2.'))!;
  assert.deepEqual([loose.project, loose.health], ['swarm', 'healthy']);
  assert.equal(listed.map(taskContainerFromSummary).filter(Boolean).length, listed.length);
  const composeInspect = Object.values(read('../engine-20.10-api-1.41/containers-inspect.json') as Record<string, unknown>);
  assert.ok(composeInspect.every((json) => taskContainerFromInspect(json) === undefined));
});

test('buildStacks: stacks by name, loose services last; services by short name; replica counts as docker service ls', () => {
  const stacks = buildStacks(snapshot, containers);
  assert.deepEqual(
    stacks.map((s) => [s.key, s.name, s.loose, s.services.map((x) => x.name)]),
    [
      ['swarm\u0000bpswarmcap', 'bpswarmcap', false, ['crashy', 'web', 'worker']],
      [LOOSE_STACK_KEY, '', true, ['bpswarmloose']],
    ],
  );
  type Row = [service: string, running: number, desired: number, status: string, health: string, tasks: string];
  const rows = stacks.flatMap((s) =>
    s.services.map((x): Row => [x.fullName, x.running, x.desired, x.status, x.health, x.tasks.map((t) => `${t.name}:${t.state}${t.current ? '' : '(h)'}:${t.health}`).join(' ')]),
  );
  assert.deepEqual(rows, [
    ['bpswarmcap_crashy', 0, 1, 'failing', 'none', 'crashy.1:failed(h):none crashy.1:failed(h):none crashy.1:failed(h):none'],
    ['bpswarmcap_web', 1, 2, 'pending', 'healthy', 'web.1:pending:none web.2:running:healthy'],
    ['bpswarmcap_worker', 1, 1, 'ok', 'none', 'worker.fo8igoymmuc8ps63gsjikimjz:running:none'],
    ['bpswarmloose', 2, 2, 'ok', 'healthy', 'bpswarmloose.1:running:healthy bpswarmloose.2:running:healthy bpswarmloose.1:shutdown(h):none'],
  ]);
  const [cap, loose] = stacks;
  assert.deepEqual([cap!.running, cap!.desired, cap!.healthy, cap!.unhealthy, cap!.total], [2, 4, 1, 1, 3]);
  assert.deepEqual([loose!.running, loose!.desired, loose!.healthy, loose!.unhealthy, loose!.total], [2, 2, 1, 0, 1]);
  const web = byName(stacks, 'bpswarmcap', 'web');
  assert.equal(web.tasks[0]!.nodeName, '', 'an unscheduled task has no node');
  assert.equal(web.tasks[1]!.nodeName, 'vm');
  const crashy = byName(stacks, 'bpswarmcap', 'crashy');
  assert.deepEqual(
    crashy.tasks.map((t) => t.since),
    [...crashy.tasks.map((t) => t.since)].sort().reverse(),
    'history newest first',
  );
});

test('buildStacks: history is capped per service, newest kept; a task without its container has no health', () => {
  const service = snapshot.services.get('l6e8n9ogig87m3ru4bgm8b07l')!;
  const base = snapshot.tasks.get('bmi7og32hys2ej8zeewdk5bb2')!;
  const many: SwarmTaskInfo[] = Array.from({ length: 8 }, (_, i) => ({ ...base, id: `t${i}`, timestamp: `2026-11-28T05:3${i}:00Z`, version: i }));
  const stacks = buildStacks(withServiceTasks(snapshot, service.id, many), []);
  const crashy = byName(stacks, 'bpswarmcap', 'crashy');
  assert.equal(crashy.tasks.length, TASK_HISTORY_PER_SERVICE);
  assert.deepEqual(
    crashy.tasks.map((t) => t.id),
    ['t7', 't6', 't5'],
  );
  assert.ok(buildStacks(snapshot, []).every((s) => s.services.every((x) => x.tasks.every((t) => t.health === 'none'))));
});

test('buildStacks: status table (updating, scaled to zero, starting, failing, ok)', () => {
  const web = snapshot.services.get('v8am70l0pyuegs8g9flsgm3ss') ?? [...snapshot.services.values()].find((s) => s.name === 'bpswarmcap_web')!;
  const running = [...snapshot.tasks.values()].find((t) => t.serviceId === web.id && t.state === 'running')!;
  const table: [what: string, service: Partial<typeof web>, tasks: Partial<SwarmTaskInfo>[], status: string, runningCount: number][] = [
    ['update in progress', { updateState: 'updating' }, [{}], 'updating', 1],
    ['rollback', { updateState: 'rollback_started' }, [{}], 'updating', 1],
    ['scaled to zero', { desiredReplicas: 0 }, [], 'scaled-to-zero', 0],
    ['starting (health not yet passed)', { desiredReplicas: 1 }, [{ state: 'starting' }], 'starting', 0],
    ['failing: a failed task in history', { desiredReplicas: 1 }, [{ state: 'preparing' }, { id: 'old', state: 'failed', desiredState: 'shutdown', error: 'task: non-zero exit (1)' }], 'failing', 0],
    ['ok', { desiredReplicas: 1 }, [{}], 'ok', 1],
    ['complete update', { desiredReplicas: 1, updateState: 'completed' }, [{}], 'ok', 1],
  ];
  for (const [what, serviceChange, taskChanges, status, runningCount] of table) {
    let next = withService(snapshot, web.id, { ...web, ...serviceChange });
    next = withServiceTasks(
      next,
      web.id,
      taskChanges.map((change, i) => ({ ...running, id: `x${i}`, ...change })),
    );
    const node = byName(buildStacks(next, containers), 'bpswarmcap', 'web');
    assert.deepEqual([node.status, node.running], [status, runningCount], what);
  }
});

test('snapshot updates: a removed service takes its tasks; nodes are replaced', () => {
  const crashyId = [...snapshot.services.values()].find((s) => s.name === 'bpswarmcap_crashy')!.id;
  const without = withService(snapshot, crashyId, undefined);
  assert.equal(without.services.has(crashyId), false);
  assert.equal([...without.tasks.values()].filter((t) => t.serviceId === crashyId).length, 0);
  assert.equal(snapshot.services.has(crashyId), true, 'the original snapshot is not changed');
  const renamed = withNodes(snapshot, [{ ...snapshot.nodes.values().next().value!, hostname: 'other' }]);
  assert.ok(buildStacks(renamed, containers).every((s) => s.services.every((x) => x.tasks.every((t) => t.nodeName === '' || t.nodeName === 'other'))));
});

test('diffStacks: a health flip redraws one task and its service; a new stack redraws the root', () => {
  const before = buildStacks(snapshot, containers);
  assert.deepEqual(diffStacks(before, buildStacks(snapshot, containers)), { root: false, stacks: [], services: [], tasks: [] });
  const web2 = containers.find((c) => c.name.startsWith('bpswarmcap_web.2.'))!;
  const flipped = containers.map((c) => (c === web2 ? { ...c, health: 'unhealthy' as const } : c));
  const after = buildStacks(snapshot, flipped);
  const change = diffStacks(before, after);
  const web = byName(after, 'bpswarmcap', 'web');
  assert.deepEqual(change.tasks, [web.tasks[1]!.key]);
  assert.deepEqual(change.services, [web.key]);
  assert.deepEqual(change.stacks, ['swarm\u0000bpswarmcap'], 'its rollup moved (one more unhealthy service)');
  assert.equal(change.root, false);

  const other: SwarmSnapshot = withService(snapshot, 'new', { ...byNameInfo('bpswarmloose'), id: 'new', name: 'zz_api', stack: 'zz' });
  assert.equal(diffStacks(before, buildStacks(other, containers)).root, true);
});

function byNameInfo(name: string) {
  return [...snapshot.services.values()].find((s) => s.name === name)!;
}

test('events: service (scale carries replicas), node; task containers by their swarm labels; others ignored', () => {
  const swarmEvents = events.map(parseSwarmEvent).filter((e) => e !== undefined);
  assert.ok(swarmEvents.length >= 3);
  const scale = swarmEvents.find((e) => e.replicas !== undefined)!;
  assert.deepEqual([scale.type, scale.action, scale.name, scale.replicas], ['service', 'update', 'bpswarmloose', { old: 1, new: 2 }]);
  assert.ok(swarmEvents.every((e) => typeof e.timeNano === 'number'));
  const taskEvents = events.map(taskOfContainerEvent).filter((e) => e !== undefined);
  assert.ok(taskEvents.length >= 5);
  assert.ok(taskEvents.every((e) => e.serviceId === '68ei790hds5z1aybk0wlr0nr4' && e.taskId.length === 25 && e.containerId.length === 64));
  assert.equal(parseSwarmEvent({ Type: 'node', Action: 'update', Actor: { ID: 'n1', Attributes: { name: 'vm' } } })?.type, 'node');
  assert.equal(parseSwarmEvent({ Type: 'container', Action: 'start', Actor: { ID: 'c' } }), undefined);
  assert.equal(taskOfContainerEvent({ Type: 'network', Action: 'connect', Actor: { ID: 'n', Attributes: {} } }), undefined);
  assert.equal(taskOfContainerEvent({ Type: 'container', Action: 'start', Actor: { ID: 'c', Attributes: { 'com.docker.compose.project': 'p' } } }), undefined);
});

test('words: replicas, status, update state, task state and speech', () => {
  const stacks = buildStacks(snapshot, containers);
  const web = byName(stacks, 'bpswarmcap', 'web');
  const worker = byName(stacks, 'bpswarmcap', 'worker');
  assert.equal(replicaText(web), '1/2');
  assert.equal(stackServiceDescription(web), '1/2 · 18080:80');
  assert.equal(stackServiceDescription(worker), '1/1 global');
  assert.equal(speak(stackServiceSpeech(web)), 'web, 1 of 2 replicas running, waiting for tasks');
  assert.equal(speak(taskSpeech(web.tasks[0]!)), 'web.1, pending, no suitable node (host-mode port already in use on 1 node)');
  assert.equal(speak(taskSpeech(web.tasks[1]!)), 'web.2, running, on node vm, healthy');
  const crashy = byName(stacks, 'bpswarmcap', 'crashy');
  assert.equal(speak(taskSpeech(crashy.tasks[0]!)), 'crashy.1, failed with exit code 3, history, on node vm, task: non-zero exit (3)');
  assert.equal(speak(stackSpeech(stacks[0]!)), 'bpswarmcap, swarm stack, 1/3 services running, 1 failing or unhealthy');
  assert.equal(formatMessage(stackLabel(stacks[1]!)), 'services without a stack');
  assert.equal(formatMessage(stackRollup(stacks[1]!)), '1/1 services running');
  const table: [string, string | undefined, string][] = [
    ['updating', undefined, 'update in progress'],
    ['paused', 'update paused due to failure or early termination of task abc', 'update paused: update paused due to failure or early termination of task abc'],
    ['completed', 'update completed', 'update completed'],
    ['rollback_completed', undefined, 'rolled back'],
    ['something_new', undefined, 'update state something_new'],
  ];
  for (const [state, message, text] of table) assert.equal(formatMessage(updateStateText(state, message)), text);
  assert.equal(formatMessage(taskStateText('shutdown')), 'shut down');
  assert.equal(formatMessage(taskStateText('failed', 137)), 'failed with exit code 137');
  assert.equal(formatMessage(taskStateText('weird')), 'task state weird');
});

test('action errors are classified into messages a view shows', () => {
  const table: [action: Parameters<typeof classifySwarmError>[0], status: number | undefined, text: string, code: string | undefined, reason: string][] = [
    ['scale', 503, 'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.', undefined, 'not-a-manager'],
    ['scale', 404, 'service abc not found', undefined, 'not-found'],
    ['force-update', 500, 'rpc error: code = Unknown desc = update out of sequence', undefined, 'out-of-sequence'],
    ['logs', 500, 'configured logging driver does not support reading', undefined, 'logs-unsupported'],
    ['remove-stack', undefined, '', 'ECONNREFUSED', 'unreachable'],
    ['scale', 500, 'something else', undefined, 'engine'],
  ];
  for (const [action, status, text, code, reason] of table) assert.equal(classifySwarmError(action, 'web', status, text, code).reason, reason, text);
  assert.equal(formatMessage(classifySwarmError('scale', 'app_web', 500, 'boom').message), 'Scaling app_web failed: boom');
  assert.deepEqual(['3', ' 0 ', '1000', '1001', '-1', '2.5', 'x', ''].map(parseReplicas), [3, 0, 1000, undefined, undefined, undefined, undefined, undefined]);
});

test('service logs: multiplexed frames split by stream and line, across chunk boundaries; TTY output is stdout', () => {
  const frame = (type: number, text: string) => {
    const payload = Buffer.from(text);
    const header = Buffer.alloc(8);
    header[0] = type;
    header.writeUInt32BE(payload.length, 4);
    return Buffer.concat([header, payload]);
  };
  const bytes = Buffer.concat([frame(1, 'one\ntw'), frame(2, 'err\n'), frame(1, 'o\n'), frame(1, 'tail')]);
  for (const cut of [1, 5, 9, 13, bytes.length - 2]) {
    const lines: ServiceLogLine[] = [];
    const splitter = new LogLineSplitter(false, (line) => lines.push(line));
    splitter.push(bytes.subarray(0, cut));
    splitter.push(bytes.subarray(cut));
    splitter.end();
    assert.deepEqual(
      lines.map((l) => `${l.stream}:${l.text}`),
      ['stdout:one', 'stderr:err', 'stdout:two', 'stdout:tail'],
      `cut at ${cut}`,
    );
  }
  const tty: ServiceLogLine[] = [];
  const splitter = new LogLineSplitter(true, (line) => tty.push(line));
  splitter.push(Buffer.from('a\r\nb'));
  splitter.end();
  assert.deepEqual(tty, [
    { stream: 'stdout', text: 'a' },
    { stream: 'stdout', text: 'b' },
  ]);
});
