// Swarm benchmark (`npm run bench:swarm`; `bash scripts/docker-engine.sh up` first). Prints, no asserts:
// 1. on a real single-node swarm (initialised on loopback when needed, left again only if this run did it and
//    nothing else is deployed): event-to-snapshot latency of LiveContainers for task changes (scale up/down with
//    scaleService, `docker kill` of a task container), from the daemon's event time to the LiveChange that carried
//    it (median, p95), and from the action to the snapshot showing the outcome; requests per operation.
//    Same-run baseline: one `GET /tasks?filters={service}` round trip (the floor of any refresh after an event).
// 2. the model with 50 services and 200 tasks (recorded-shape JSON): snapshot from JSON + buildStacks +
//    diffStacks, CPU time and retained heap. Same-run baselines: JSON.parse of the same payload, and
//    buildProjects + diffProjects over 200 Compose containers (the services view's existing model).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { containerFromInspect, type ContainerInfo } from '../src/core/docker/containers';
import { diffProjects, buildProjects } from '../src/core/docker/servicesModel';
import { buildStacks, diffStacks, swarmSnapshotFromJson, taskContainerFromInspect } from '../src/core/docker/swarm';
import { chooseEndpoint, createDockerClient } from '../src/host/docker/connect';
import { LiveContainers, type LiveChange } from '../src/host/docker/liveContainers';
import { scaleService } from '../src/host/docker/swarmActions';
import { DockerSocketProxy } from '../test/docker/socketProxy';
import * as swarm from '../test/docker/swarmFixture';

const ROUNDS = Number(process.env.BENCH_SWARM_ROUNDS ?? 5);
const MODEL_ITERATIONS = Number(process.env.BENCH_SWARM_ITERATIONS ?? 200);
const root = path.resolve(__dirname, '../..');
const fixtures = path.join(root, 'test/unit/docker/fixtures');

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;
const stats = (values: readonly number[]) => `median ${ms(percentile(values, 50))}, p95 ${ms(percentile(values, 95))} (n=${values.length})`;
const sleep = (msDelay: number) => new Promise((resolve) => setTimeout(resolve, msDelay));

function docker(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => execFile('docker', [...args], (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(stdout))));
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
  return Date.now();
}

// ---- 1. the real swarm ----

async function realSwarm(): Promise<void> {
  const endpoint = chooseEndpoint();
  if (endpoint.kind !== 'socket') throw new Error('the benchmark counts requests through a proxy on the daemon unix socket');
  const client = createDockerClient(endpoint);
  const version = await client.version();
  const { initialised } = await swarm.ensureSwarm();
  const stack = swarm.stackName('b');
  console.log(`Docker ${version.Version} (API ${version.ApiVersion}); swarm ${initialised ? 'initialised by this run' : 'already active'}; stack ${stack}; ${ROUNDS} rounds`);
  const proxy = new DockerSocketProxy(endpoint.socketPath);
  await proxy.open();
  let live: LiveContainers | undefined;
  try {
    await swarm.deployStack(
      stack,
      `services:\n  web:\n    image: ${swarm.TEST_IMAGE}\n    stop_grace_period: 1s\n    deploy:\n      replicas: 1\n      restart_policy:\n        condition: any\n        delay: 0s\n`,
    );
    const debug = process.env.BENCH_SWARM_DEBUG === '1' ? (message: string) => console.log(`  [${Date.now()}] ${message}`) : () => undefined;
    live = new LiveContainers({
      endpoint: () => ({ kind: 'socket', socketPath: proxy.socketPath, source: 'bench' }),
      projects: () => new Set<string>(),
      coalesceMs: 50,
      log: { info: debug, warn: debug, debug },
    });
    const changes: { at: number; change: LiveChange }[] = [];
    live.onDidChange((change) => changes.push({ at: Date.now(), change }));
    live.start();
    const web = () => {
      const snapshot = live!.swarm;
      if (!snapshot) return undefined;
      const service = [...snapshot.services.values()].find((s) => s.name === `${stack}_web`);
      if (!service) return undefined;
      const tasks = [...snapshot.tasks.values()].filter((t) => t.serviceId === service.id);
      return { service, tasks, running: tasks.filter((t) => t.state === 'running' && t.desiredState === 'running') };
    };
    await waitFor(() => web()?.running.length === 1, 'web 1/1');
    await sleep(1500);

    // Baseline: one task list round trip.
    const serviceId = web()!.service.id;
    const roundTrips: number[] = [];
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      await client.listTasks({ filters: { service: [serviceId] } });
      roundTrips.push(performance.now() - start);
    }

    const eventLatency: number[] = [];
    const scaleUp: number[] = [];
    const scaleDown: number[] = [];
    const killSeen: number[] = [];
    const killReplaced: number[] = [];
    const requestsPerOp: number[] = [];
    const killed = new Set<string>();
    const eventLatencySince = (from: number) => {
      for (const { at, change } of changes.filter((c) => c.at >= from && c.change.swarm !== undefined && c.change.eventTimeNano)) {
        eventLatency.push(at - change.eventTimeNano! / 1e6);
        if (process.env.BENCH_SWARM_DEBUG === '1' && at - change.eventTimeNano! / 1e6 > 300) console.log('slow change', at - change.eventTimeNano! / 1e6, JSON.stringify(change));
      }
    };
    for (let round = 0; round < ROUNDS; round++) {
      let from = Date.now();
      let before = proxy.requests.length;
      await scaleService(client, serviceId, 3);
      scaleUp.push((await waitFor(() => web()?.running.length === 3, 'web 3/3')) - from);
      requestsPerOp.push(proxy.requests.length - before);
      eventLatencySince(from);

      from = Date.now();
      before = proxy.requests.length;
      await scaleService(client, serviceId, 1);
      scaleDown.push((await waitFor(() => web()?.running.length === 1 && web()!.tasks.filter((t) => t.desiredState === 'running').length === 1, 'web 1/1')) - from);
      requestsPerOp.push(proxy.requests.length - before);
      eventLatencySince(from);
      await sleep(1000);

      // Kill the running task's container: the task fails, the orchestrator starts a new one.
      await waitFor(() => web()?.running.length === 1 && !killed.has(web()!.running[0]!.id), 'web 1/1 with a new task');
      const victim = web()!.running[0]!;
      killed.add(victim.id);
      from = Date.now();
      before = proxy.requests.length;
      await docker(['kill', victim.containerId!]);
      const seen = await waitFor(() => {
        const task = web()?.tasks.find((t) => t.id === victim.id);
        return task !== undefined && task.state !== 'running';
      }, 'the killed task seen failed');
      const finishedAt = Date.parse((await docker(['inspect', '--format', '{{.State.FinishedAt}}', victim.containerId!])).trim());
      killSeen.push(seen - finishedAt);
      killReplaced.push((await waitFor(() => (web()?.running ?? []).some((t) => t.id !== victim.id), 'a replacement running')) - from);
      requestsPerOp.push(proxy.requests.length - before);
      eventLatencySince(from);
      await sleep(1000);
    }
    // Baseline: how late the manager itself reports a killed task, read by polling listTasks every 20 ms (the
    // bench only; the product never polls). The model cannot be faster than this.
    const managerLag: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await sleep(1000);
      await waitFor(() => web()?.running.length === 1 && !killed.has(web()!.running[0]!.id), 'web 1/1 with a new task before the baseline kill');
      const victim = web()!.running[0]!;
      killed.add(victim.id);
      await docker(['kill', victim.containerId!]);
      let reported = 0;
      while (reported === 0) {
        const tasks = (await client.listTasks({ filters: { service: [serviceId] } })) as { ID: string; Status: { State: string } }[];
        if (tasks.find((t) => t.ID === victim.id)?.Status.State !== 'running') reported = Date.now();
        else await sleep(20);
      }
      const finishedAt = Date.parse((await docker(['inspect', '--format', '{{.State.FinishedAt}}', victim.containerId!])).trim());
      managerLag.push(reported - finishedAt);
    }
    console.log('\nReal swarm (single node), LiveContainers through a counting proxy:');
    console.log(`  event -> snapshot (daemon event time to LiveChange), all Swarm changes: ${stats(eventLatency)}`);
    console.log(`  kill: container exit (daemon FinishedAt) -> snapshot shows the task not running: ${stats(killSeen)}`);
    console.log(`  baseline, same run: container exit -> the manager reports the task not running (listTasks polled every 20 ms): ${stats(managerLag)}`);
    console.log(`  kill -> a replacement task running in the snapshot (engine restart + health check): ${stats(killReplaced)}`);
    console.log(`  scale 1 -> 3 (scaleService) -> snapshot 3/3 running (includes the engine's health checks): ${stats(scaleUp)}`);
    console.log(`  scale 3 -> 1 -> snapshot 1/1: ${stats(scaleDown)}`);
    console.log(`  Docker API requests per operation (besides the one events stream): ${stats(requestsPerOp).replace(/ ms/g, '')}`);
    console.log(`  baseline, same run: one GET /tasks?filters={service} round trip: ${stats(roundTrips)}`);
  } finally {
    live?.dispose();
    await proxy.dispose();
    await swarm.removeStack(stack);
    if (await swarm.leaveSwarmIfOurs()) console.log('left the swarm this run initialised');
  }
}

// ---- 2. the model with 50 services and 200 tasks ----

type Json = Record<string, unknown>;

function syntheticSwarm(services: number, tasksPerService: number) {
  const read = (name: string) => JSON.parse(fs.readFileSync(path.join(fixtures, 'swarm', name), 'utf8')) as Json[];
  const serviceTemplate = read('services.json').find((s) => (s.Spec as Json).Name === 'bpswarmcap_web')!;
  const taskTemplate = read('tasks.json').find((t) => (t.Status as Json).State === 'running' && t.Slot !== undefined)!;
  const containerTemplate = Object.values(JSON.parse(fs.readFileSync(path.join(fixtures, 'swarm', 'task-containers-inspect.json'), 'utf8')) as Record<string, Json>).find(
    (c) => (c.State as Json).Status === 'running' && ((c.State as Json).Health as Json | undefined)?.Status === 'healthy',
  )!;
  const nodes = read('nodes.json');
  const servicesJson: Json[] = [];
  const tasksJson: Json[] = [];
  const containersJson: Json[] = [];
  for (let s = 0; s < services; s++) {
    const id = `svc${String(s).padStart(22, '0')}`;
    const stack = `stack${s % 5}`;
    const spec = serviceTemplate.Spec as Json;
    servicesJson.push({
      ...serviceTemplate,
      ID: id,
      Spec: { ...spec, Name: `${stack}_service${s}`, Labels: { ...(spec.Labels as Json), 'com.docker.stack.namespace': stack }, Mode: { Replicated: { Replicas: tasksPerService } } },
    });
    for (let t = 0; t < tasksPerService; t++) {
      const taskId = `task${String(s * tasksPerService + t).padStart(21, '0')}`;
      const containerId = `${taskId}`.padEnd(64, 'c');
      const status = taskTemplate.Status as Json;
      tasksJson.push({ ...taskTemplate, ID: taskId, ServiceID: id, Slot: t + 1, Status: { ...status, ContainerStatus: { ...(status.ContainerStatus as Json), ContainerID: containerId } } });
      const config = containerTemplate.Config as Json;
      containersJson.push({
        ...containerTemplate,
        Id: containerId,
        Name: `/${stack}_service${s}.${t + 1}.${taskId}`,
        Config: {
          ...config,
          Labels: {
            ...(config.Labels as Json),
            'com.docker.swarm.task.id': taskId,
            'com.docker.swarm.service.id': id,
            'com.docker.swarm.service.name': `${stack}_service${s}`,
            'com.docker.stack.namespace': stack,
          },
        },
      });
    }
  }
  return { text: JSON.stringify({ services: servicesJson, tasks: tasksJson, nodes, containers: containersJson }) };
}

function syntheticCompose(containers: number): string {
  const inspect = Object.values(JSON.parse(fs.readFileSync(path.join(fixtures, 'engine-20.10-api-1.41', 'containers-inspect.json'), 'utf8')) as Record<string, Json>);
  const list: Json[] = [];
  for (let i = 0; i < containers; i++) {
    const template = inspect[i % inspect.length]!;
    const config = template.Config as Json;
    list.push({ ...template, Id: `c${String(i).padStart(63, '0')}`, Config: { ...config, Labels: { ...(config.Labels as Json), 'com.docker.compose.service': `svc${i % 50}` } } });
  }
  return JSON.stringify(list);
}

function cpuMedian(iterations: number, work: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.cpuUsage();
    work();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  return percentile(times, 50);
}

function retainedKb(make: () => unknown): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const kept = make();
  gc?.();
  const after = process.memoryUsage().heapUsed;
  void kept;
  return (after - before) / 1024;
}

function model(): void {
  const { text } = syntheticSwarm(50, 4);
  const composeText = syntheticCompose(200);
  const fromJson = () => {
    const json = JSON.parse(text) as { services: unknown[]; tasks: unknown[]; nodes: unknown[]; containers: unknown[] };
    const snapshot = swarmSnapshotFromJson('n', json.services, json.tasks, json.nodes);
    const containers = json.containers.map((c) => taskContainerFromInspect(c)!);
    return { snapshot, containers };
  };
  const { snapshot, containers } = fromJson();
  const flipped = containers.map((c, i) => (i === 17 ? { ...c, health: 'unhealthy' as const } : c));
  const stacks = buildStacks(snapshot, containers);
  const change = diffStacks(stacks, buildStacks(snapshot, flipped));
  const projects = Array.from({ length: 1 }, () => ({ key: 'k', name: 'cbcap', services: Array.from({ length: 50 }, (_, i) => `svc${i}`) }));
  const composeContainers: ContainerInfo[] = (JSON.parse(composeText) as unknown[]).map((c) => containerFromInspect(c)!);
  const composeFlipped = composeContainers.map((c, i) => (i === 17 ? { ...c, health: 'unhealthy' as const } : c));
  const tree = buildProjects(projects, composeContainers, true);

  console.log(`\nModel: ${snapshot.services.size} services, ${snapshot.tasks.size} tasks in ${stacks.length} stacks (${(text.length / 1024).toFixed(0)} KB of recorded-shape JSON); ${MODEL_ITERATIONS} iterations, CPU ms medians`);
  console.log(`  a health flip redraws ${change.tasks.length} task, ${change.services.length} service, ${change.stacks.length} stack (root: ${change.root})`);
  const rows: [string, number][] = [
    ['JSON.parse of the payload (baseline)', cpuMedian(MODEL_ITERATIONS, () => JSON.parse(text))],
    ['JSON.parse + snapshot + task containers from JSON', cpuMedian(MODEL_ITERATIONS, fromJson)],
    ['buildStacks (50 services, 200 tasks)', cpuMedian(MODEL_ITERATIONS, () => buildStacks(snapshot, containers))],
    ['buildStacks + diffStacks after a health flip', cpuMedian(MODEL_ITERATIONS, () => diffStacks(stacks, buildStacks(snapshot, flipped)))],
    ['baseline: buildProjects (200 Compose containers)', cpuMedian(MODEL_ITERATIONS, () => buildProjects(projects, composeContainers, true))],
    ['baseline: buildProjects + diffProjects after a health flip', cpuMedian(MODEL_ITERATIONS, () => diffProjects(tree, buildProjects(projects, composeFlipped, true)))],
  ];
  for (const [what, value] of rows) console.log(`  ${what.padEnd(60)} ${value.toFixed(3)} ms`);
  const gcNote = (globalThis as { gc?: () => void }).gc ? '' : ' (run with --expose-gc for exact figures)';
  console.log(`  retained heap: snapshot + task containers ${retainedKb(fromJson).toFixed(0)} KB; stacks tree ${retainedKb(() => buildStacks(snapshot, containers)).toFixed(0)} KB; Compose tree of 200 containers (baseline) ${retainedKb(() => buildProjects(projects, composeContainers, true)).toFixed(0)} KB${gcNote}`);
}

async function main(): Promise<void> {
  model();
  if (process.env.BENCH_SWARM_MODEL_ONLY === '1') return;
  await realSwarm();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
