import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { containerFromInspect, type ContainerInfo } from '../../../src/core/docker/containers';
import { formatMessage } from '../../../src/core/message';
import {
  buildProjects,
  diffProjects,
  formatDuration,
  projectRollup,
  projectSpeech,
  serviceDescription,
  serviceSpeech,
  containerSpeech,
  unhealthyCount,
  uptimeText,
  type ProjectInput,
} from '../../../src/core/docker/servicesModel';

const fixtures = path.resolve(__dirname, '../../../../test/unit/docker/fixtures/engine-20.10-api-1.41');
const recorded: ContainerInfo[] = Object.values(JSON.parse(fs.readFileSync(path.join(fixtures, 'containers-inspect.json'), 'utf8')) as Record<string, unknown>).map(
  (json) => containerFromInspect(json)!,
);
const project: ProjectInput = { key: 'file:///ws/cbcap', name: 'cbcap', services: ['web', 'worker', 'noprobe', 'crashy', 'later', 'never'] };
const speak = (parts: readonly { template: string; args: readonly (string | number)[] }[]) => parts.map((m) => formatMessage(m)).join(', ');

test('services join their containers by labels: Compose v1 (p_s_1) and v2 (p-s-2) names alike', () => {
  const [tree] = buildProjects([project], recorded, true);
  const web = tree!.services.find((s) => s.name === 'web')!;
  assert.deepEqual(
    web.containers.map((c) => c.name),
    ['cbcap_web_1', 'cbcap-web-2'],
    'ordered by replica number',
  );
});

test('service state and health roll up from the containers; never-created services are listed', () => {
  const [tree] = buildProjects([project], recorded, true);
  const rows = tree!.services.map((s) => [s.name, s.state, s.exitCode, s.health, `${s.running}/${s.replicas}`, s.declared]);
  assert.deepEqual(rows, [
    ['web', 'running', undefined, 'unhealthy', '2/2', true],
    ['worker', 'exited', 0, 'none', '0/2', true],
    ['noprobe', 'paused', undefined, 'none', '0/1', true],
    ['crashy', 'restarting', 3, 'none', '0/1', true],
    ['later', 'created', undefined, 'none', '0/1', true],
    ['never', 'not-created', undefined, 'none', '0/0', true],
  ]);
});

test('project rollup "n/m healthy", unhealthy count for the badge, and spoken labels', () => {
  const [tree] = buildProjects([project], recorded, true);
  assert.equal(formatMessage(projectRollup(tree!)), '0/6 healthy');
  assert.equal(unhealthyCount([tree!]), 1);
  assert.equal(speak(projectSpeech(tree!)), 'cbcap, compose project, 0/6 healthy, 1 unhealthy');
  const speech = tree!.services.map((s) => speak(serviceSpeech(s)));
  assert.deepEqual(speech, [
    'web, running, unhealthy, 2 of 2 replicas running',
    'worker, exited with code 0, no health check, 0 of 2 replicas running',
    'noprobe, paused, no health check',
    'crashy, restarting, last exit code 3, no health check',
    'later, created, no health check',
    'never, not created',
  ]);
  const healthy = recorded.find((c) => c.name === 'cbcap-web-2')!;
  assert.equal(speak(containerSpeech(healthy)), 'cbcap-web-2, running, healthy');
});

test('a running service without a healthcheck counts as healthy; all healthy gives m/m', () => {
  const base = recorded.find((c) => c.name === 'cbcap-web-2')!;
  const containers: ContainerInfo[] = [
    { ...base, id: 'a', service: 'web', health: 'healthy' },
    { ...base, id: 'b', service: 'db', health: 'none' },
  ];
  const [tree] = buildProjects([{ key: 'k', name: 'cbcap', services: ['web', 'db'] }], containers, true);
  assert.equal(formatMessage(projectRollup(tree!)), '2/2 healthy');
  assert.equal(unhealthyCount([tree!]), 0);
});

test('while Docker is unreachable every declared service has an unknown state and no containers', () => {
  const [tree] = buildProjects([project], recorded, false);
  assert.ok(tree!.services.every((s) => s.state === 'unknown' && s.containers.length === 0));
  assert.equal(tree!.services.length, project.services.length, 'no orphans without a daemon');
  assert.equal(formatMessage(projectRollup(tree!)), 'state unknown');
  assert.equal(speak(serviceSpeech(tree!.services[0]!)), 'web, state unknown');
});

test('containers of undeclared services are shown as orphans; other projects are ignored', () => {
  const base = recorded[0]!;
  const containers = [...recorded, { ...base, id: 'o1', service: 'old' }, { ...base, id: 'x1', project: 'other' }];
  const [tree] = buildProjects([{ ...project, services: ['web'] }], containers, true);
  const names = tree!.services.map((s) => `${s.name}${s.declared ? '' : ' (orphan)'}`);
  assert.deepEqual(names, ['web', 'crashy (orphan)', 'later (orphan)', 'noprobe (orphan)', 'old (orphan)', 'worker (orphan)']);
  assert.equal(tree!.total, 1);
  assert.ok(!tree!.services.some((s) => s.containers.some((c) => c.id === 'x1')));
});

test('scale: three replicas of one service give "3/3" and three containers; one-off runs are not replicas', () => {
  const base = recorded.find((c) => c.name === 'cbcap-web-2')!;
  const replicas = [1, 2, 3].map((n) => ({ ...base, id: `w${n}`, name: `cbcap_worker_${n}`, service: 'worker', number: n }));
  const oneOff = { ...base, id: 'run', name: 'cbcap_worker_run_1', service: 'worker', oneOff: true, number: 1 };
  const [tree] = buildProjects([{ key: 'k', name: 'cbcap', services: ['worker'] }], [...replicas, oneOff], true);
  const worker = tree!.services[0]!;
  assert.equal(worker.containers.length, 4);
  assert.equal(`${worker.running}/${worker.replicas}`, '3/3');
  assert.equal(worker.containers.at(-1)!.id, 'run');
  assert.equal(serviceDescription(worker), '3/3');
});

test('the description gives replicas and published ports', () => {
  const [tree] = buildProjects([project], recorded, true);
  assert.equal(serviceDescription(tree!.services[0]!), '2/2 · 18080:80');
  assert.equal(serviceDescription(tree!.services.at(-1)!), '');
});

test('diff: a health flip redraws the container, its service and (when the rollup moved) its project only', () => {
  const before = buildProjects([project], recorded, true);
  const flipped = recorded.map((c) => (c.name === 'cbcap_web_1' ? { ...c, health: 'healthy' as const, failingStreak: 0 } : c));
  const after = buildProjects([project], flipped, true);
  const change = diffProjects(before, after);
  const web1 = recorded.find((c) => c.name === 'cbcap_web_1')!;
  assert.deepEqual(change, { root: false, projects: ['file:///ws/cbcap'], services: ['file:///ws/cbcap\u0000web'], containers: [web1.id] });
});

test('diff: a probe result that changes nothing visible but the tooltip redraws only the container', () => {
  const before = buildProjects([project], recorded, true);
  const probed = recorded.map((c) => (c.name === 'cbcap-web-2' ? { ...c, probes: [...c.probes.slice(1), { start: 's', end: 'e', exitCode: 0, output: '' }] } : c));
  const change = diffProjects(before, buildProjects([project], probed, true));
  assert.deepEqual([change.root, change.projects, change.services, change.containers.length], [false, [], [], 1]);
});

test('diff: identical trees change nothing; a new project changes the root', () => {
  const tree = buildProjects([project], recorded, true);
  assert.deepEqual(diffProjects(tree, buildProjects([project], recorded, true)), { root: false, projects: [], services: [], containers: [] });
  assert.equal(diffProjects(tree, buildProjects([project, { key: 'k2', name: 'other', services: [] }], recorded, true)).root, true);
});

test('durations and uptime', () => {
  const table: [number, string][] = [
    [0, '0s'],
    [59_999, '59s'],
    [60_000, '1m'],
    [3_600_000, '1h'],
    [3_900_000, '1h 5m'],
    [86_400_000, '1d'],
    [90_000_000, '1d 1h'],
  ];
  for (const [ms, text] of table) assert.equal(formatDuration(ms), text, String(ms));
  const running = recorded.find((c) => c.name === 'cbcap_web_1')!;
  const started = Date.parse(running.startedAt!);
  assert.equal(formatMessage(uptimeText(running, started + 125_000)!), 'up 2m');
  const exited = recorded.find((c) => c.name === 'cbcap_worker_1')!;
  assert.match(formatMessage(uptimeText(exited, Date.parse(exited.finishedAt!) + 5_000)!), /^finished 5s ago$/);
});
