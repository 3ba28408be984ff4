import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { containerFromInspect, containerFromSummary, parseEngineEvent, splitJsonLines, type ContainerInfo } from '../../../src/core/docker/containers';

// Recorded from a real Docker Engine 20.10.24 (API 1.41) with docker-compose 1.29.2 (project `cbcap`), plus one
// container created with Compose v2's naming (`cbcap-web-2`) and the same labels: see fixtures/README.md.
const fixtures = path.resolve(__dirname, '../../../../test/unit/docker/fixtures/engine-20.10-api-1.41');
const read = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(fixtures, name), 'utf8'));
const list = read('containers-list.json') as unknown[];
const inspected = read('containers-inspect.json') as Record<string, unknown>;

type Row = [name: string, service: string, state: string, exitCode: number | undefined, health: string];
const expectedFromInspect: Row[] = [
  ['cbcap-web-2', 'web', 'running', undefined, 'healthy'],
  ['cbcap_later_1', 'later', 'created', undefined, 'none'],
  // A crash loop: the daemon still reports the old "unhealthy" health; a restarting container's health means nothing.
  ['cbcap_crashy_1', 'crashy', 'restarting', 3, 'none'],
  ['cbcap_noprobe_1', 'noprobe', 'paused', undefined, 'none'],
  // Exited containers with a healthcheck report Health.Status "unhealthy"; the view says "no health" instead.
  ['cbcap_worker_2', 'worker', 'exited', 0, 'none'],
  ['cbcap_worker_1', 'worker', 'exited', 0, 'none'],
  ['cbcap_web_1', 'web', 'running', undefined, 'unhealthy'],
];

const row = (c: ContainerInfo): Row => [c.name, c.service, c.state, c.exitCode, c.health];

test('inspect JSON gives name, service (by label), state, exit code and live health', () => {
  const containers = Object.values(inspected).map(containerFromInspect);
  assert.deepEqual(containers.map((c) => (c ? row(c) : undefined)), expectedFromInspect);
  for (const c of containers) assert.equal(c?.project, 'cbcap');
});

test('inspect JSON gives the failing streak, the last probes, restart count, start time and ports', () => {
  const byName = new Map(Object.values(inspected).map((json) => containerFromInspect(json)!).map((c) => [c.name, c]));
  const web1 = byName.get('cbcap_web_1')!;
  assert.equal(web1.failingStreak, 24);
  assert.equal(web1.probes.length, 5);
  assert.ok(web1.probes.every((p) => p.exitCode === 1));
  assert.match(web1.startedAt ?? '', /^2026-/);
  assert.equal(web1.finishedAt, undefined, 'the zero time 0001-01-01 means "never"');
  assert.deepEqual(web1.ports, [{ containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 18080 }]);
  assert.equal(web1.number, 1);
  assert.equal(web1.workingDir, '/tmp/cbcap/demo');
  assert.equal(byName.get('cbcap_crashy_1')!.restartCount, 6);
  assert.equal(byName.get('cbcap-web-2')!.number, 2);
  assert.ok(web1.inspected);
});

test('API 1.41 list entries have no Health field: health comes from the Status text until an inspect', () => {
  const containers = list.map(containerFromSummary);
  assert.ok(containers.every((c) => c !== undefined));
  assert.ok(list.every((entry) => !('Health' in (entry as object))), 'the recorded 1.41 list carries no Health');
  const rows = containers.map((c) => [c.name, c.state, c.exitCode, c.health, c.inspected]);
  assert.deepEqual(rows, [
    ['cbcap-web-2', 'running', undefined, 'healthy', false],
    ['cbcap_later_1', 'created', undefined, 'none', false],
    ['cbcap_crashy_1', 'restarting', 3, 'none', false],
    ['cbcap_noprobe_1', 'paused', undefined, 'none', false],
    ['cbcap_worker_2', 'exited', 0, 'none', false],
    ['cbcap_worker_1', 'exited', 0, 'none', false],
    ['cbcap_web_1', 'running', undefined, 'unhealthy', false],
  ]);
});

test('API 1.52 list entries carry Health.Status, which wins over the Status text', () => {
  const entry = { ...(list[0] as object), Status: 'Up 3 seconds', Health: { Status: 'starting', FailingStreak: 0 } };
  assert.equal(containerFromSummary(entry)?.health, 'starting');
});

test('health "starting" from a fresh container (recorded inspect)', () => {
  const starting = containerFromInspect(read('inspect-health-starting.json'));
  assert.equal(starting?.health, 'starting');
  assert.equal(starting?.state, 'running');
});

test('JSON without compose labels, or malformed, gives undefined instead of throwing', () => {
  const web = Object.values(inspected)[0] as { Config: { Labels: Record<string, string> } };
  const unlabelled = { ...web, Config: { ...web.Config, Labels: {} } };
  for (const bad of [null, 42, 'x', [], {}, { Id: 'a' }, unlabelled, { Id: 'a', State: 'weird', Labels: { 'com.docker.compose.project': 'p', 'com.docker.compose.service': 's' } }]) {
    assert.equal(containerFromInspect(bad), undefined);
    assert.equal(containerFromSummary(bad), undefined);
  }
});

test('recorded events parse to actions, with health_status carrying its status', () => {
  const events = (read('events.json') as unknown[]).map(parseEngineEvent);
  assert.ok(events.every((e) => e !== undefined));
  const actions = events.map((e) => `${e.action}${e.health ? ':' + e.health : ''} ${e.name}`);
  assert.deepEqual(actions.slice(0, 4).map((a) => a.split(' ')[0]), ['create', 'create', 'create', 'create']);
  assert.ok(actions.includes('health_status:healthy cbcap_web_1'));
  assert.ok(actions.includes('health_status:unhealthy cbcap_web_1'));
  assert.ok(actions.includes('die cbcap_worker_1'));
  assert.ok(actions.includes('pause cbcap_noprobe_1'));
  assert.ok(events.every((e) => e.project === 'cbcap' && e.service !== undefined && (e.timeNano ?? 0) > 0));
});

test('events that are not container events, or not watched, are ignored', () => {
  assert.equal(parseEngineEvent({ Type: 'network', Action: 'connect', Actor: { ID: 'n' } }), undefined);
  assert.equal(parseEngineEvent({ Type: 'container', Action: 'exec_start: sh -c true', Actor: { ID: 'c' } }), undefined);
  assert.equal(parseEngineEvent({ Type: 'container', Action: 'start' }), undefined);
  assert.equal(parseEngineEvent('start'), undefined);
});

test('the events stream is split into whole JSON lines across chunk boundaries', () => {
  const lines = (read('events.json') as unknown[]).slice(0, 3).map((e) => JSON.stringify(e) + '\n');
  const whole = lines.join('');
  for (const cut of [1, 17, lines[0]!.length, lines[0]!.length + 1, whole.length - 1]) {
    const first = splitJsonLines('', whole.slice(0, cut));
    const second = splitJsonLines(first.rest, whole.slice(cut));
    assert.equal(first.messages.length + second.messages.length, 3, `cut at ${cut}`);
    assert.equal(second.rest, '');
  }
  assert.deepEqual(splitJsonLines('', 'not json\n{"a":1}\n').messages, [{ a: 1 }]);
});
