// Services view benchmark against the real daemon (`npm run bench:services`; `bash scripts/docker-engine.sh up` first).
// Prints: time to first full view with 200 labelled containers, event-to-model latency (median, p95), Docker API
// requests during an idle window (through a counting proxy on a unix socket), and CPU during that window.
// Baselines measured in the same run: a bare list + inspect of the same containers, a bare events stream's latency.
// CPU is the in-process model (LiveContainers + buildProjects in this Node process), not a VS Code extension host.
import crypto from 'node:crypto';
import type Docker from 'dockerode';
import { containerFromInspect, parseEngineEvent, PROJECT_LABEL, splitJsonLines } from '../src/core/docker/containers';
import { buildProjects, type ProjectInput } from '../src/core/docker/servicesModel';
import { chooseEndpoint, createDockerClient } from '../src/host/docker/connect';
import { LiveContainers } from '../src/host/docker/liveContainers';
import { DockerSocketProxy } from '../test/docker/socketProxy';

const IMAGE = process.env.DOCKER_TEST_IMAGE ?? 'compose-blueprint/busybox-health:1';
const CONTAINERS = Number(process.env.BENCH_CONTAINERS ?? 200);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 40);
const project = `cbbench${crypto.randomBytes(3).toString('hex')}`;
const SERVICES = 10;

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function mapLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

async function cleanUp(docker: Docker): Promise<void> {
  const leftovers = await docker.listContainers({ all: true, filters: { label: [`${PROJECT_LABEL}=${project}`] } });
  await mapLimit(leftovers, 16, (c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined));
}

async function main(): Promise<void> {
  const endpoint = chooseEndpoint();
  if (endpoint.kind !== 'socket') throw new Error('the benchmark needs the daemon on a unix socket (for the counting proxy)');
  const docker = createDockerClient(endpoint);
  const version = await docker.version();
  console.log(`Docker ${version.Version} (API ${version.ApiVersion}); project ${project}; ${CONTAINERS} containers in ${SERVICES} services`);
  process.on('SIGINT', () => void cleanUp(docker).finally(() => process.exit(130)));
  const proxy = new DockerSocketProxy(endpoint.socketPath);
  await proxy.open();
  let live: LiveContainers | undefined;
  try {
    // ---- 200 running containers with Compose labels (no healthcheck, so 200 probes a second do not skew the figures) ----
    const created = performance.now();
    const ids: string[] = [];
    await mapLimit(
      Array.from({ length: CONTAINERS }, (_, i) => i),
      12,
      async (i) => {
        const container = await docker.createContainer({
          Image: IMAGE,
          name: `${project}_svc${i % SERVICES}_${Math.floor(i / SERVICES) + 1}`,
          Labels: { [PROJECT_LABEL]: project, 'com.docker.compose.service': `svc${i % SERVICES}`, 'com.docker.compose.container-number': String(Math.floor(i / SERVICES) + 1) },
          Healthcheck: { Test: ['NONE'] },
          HostConfig: { Init: true },
        });
        await container.start();
        ids.push(container.id);
      },
    );
    console.log(`setup: ${CONTAINERS} containers created and started in ${((performance.now() - created) / 1000).toFixed(1)} s`);
    const inputs: ProjectInput[] = [{ key: 'bench', name: project, services: Array.from({ length: SERVICES }, (_, i) => `svc${i}`) }];

    // ---- baseline: a bare list + inspect of every container, no model ----
    const bareStart = performance.now();
    const bareList = await docker.listContainers({ all: true, filters: { label: [`${PROJECT_LABEL}=${project}`] } });
    await mapLimit(bareList, 8, async (c) => containerFromInspect(await docker.getContainer(c.Id).inspect()));
    const bareMs = performance.now() - bareStart;

    // ---- time to first full view ----
    const viaProxy = { kind: 'socket' as const, socketPath: proxy.socketPath, source: 'bench proxy' };
    live = new LiveContainers({ endpoint: () => viaProxy, createClient: (e) => createDockerClient(e), projects: () => new Set([project]) });
    const liveRef = live;
    const firstStart = performance.now();
    let firstListMs = 0;
    let fullMs = 0;
    await new Promise<void>((resolve) => {
      const subscription = liveRef.onDidChange(() => {
        const tree = buildProjects(inputs, liveRef.containers.values(), liveRef.isConnected)[0]!;
        const count = tree.services.reduce((sum, s) => sum + s.containers.length, 0);
        if (!firstListMs && count === CONTAINERS) firstListMs = performance.now() - firstStart;
        if (count === CONTAINERS && [...liveRef.containers.values()].every((c) => c.inspected)) {
          fullMs = performance.now() - firstStart;
          subscription.dispose();
          resolve();
        }
      });
      liveRef.start();
    });
    console.log(`\ntime to first view (connect + list, states from the list): ${ms(firstListMs)}`);
    console.log(`time to first full view (+ inspect of all ${CONTAINERS}: health, restarts, probes): ${ms(fullMs)}`);
    console.log(`  baseline, same run: bare list + inspect of the same containers, no model: ${ms(bareMs)}`);

    // ---- event-to-model latency: pause/unpause one container, through the events stream ----
    const target = ids[0]!;
    const fromEvent: number[] = [];
    const fromCall: number[] = [];
    const bareStream = await docker.getEvents({ filters: { type: ['container'], event: ['pause', 'unpause'], label: [`${PROJECT_LABEL}=${project}`] } });
    const bareLatency: number[] = [];
    let rest = '';
    bareStream.on('data', (chunk: Buffer) => {
      const split = splitJsonLines(rest, chunk.toString());
      rest = split.rest;
      for (const message of split.messages) {
        const event = parseEngineEvent(message);
        if (event?.timeNano) bareLatency.push(Date.now() - event.timeNano / 1e6);
      }
    });
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const wanted = i % 2 === 0 ? 'paused' : 'running';
      const seen = new Promise<void>((resolve) => {
        const subscription = liveRef.onDidChange((change) => {
          if (liveRef.containers.get(target)?.state !== wanted) return;
          const now = Date.now();
          if (change.eventTimeNano) fromEvent.push(now - change.eventTimeNano / 1e6);
          subscription.dispose();
          resolve();
        });
      });
      const called = performance.now();
      await (wanted === 'paused' ? docker.getContainer(target).pause() : docker.getContainer(target).unpause());
      await seen;
      fromCall.push(performance.now() - called);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    (bareStream as unknown as { destroy(): void }).destroy();
    console.log(`\nevent-to-model latency over ${LATENCY_SAMPLES} pause/unpause events (coalescing window 75 ms, then one inspect):`);
    console.log(`  from the daemon's event time: median ${ms(percentile(fromEvent, 50))}, p95 ${ms(percentile(fromEvent, 95))}`);
    console.log(`  from the API call to the model showing it: median ${ms(percentile(fromCall, 50))}, p95 ${ms(percentile(fromCall, 95))}`);
    console.log(`  baseline, same run: a bare events stream receiving the same events: median ${ms(percentile(bareLatency, 50))}, p95 ${ms(percentile(bareLatency, 95))}`);

    // ---- idle: requests and CPU ----
    liveRef.setResyncEnabled(true); // as with the view visible: the 5-minute safety net is armed
    await new Promise((resolve) => setTimeout(resolve, 500));
    const idleStart = Date.now();
    const cpuStart = process.cpuUsage();
    const hrStart = performance.now();
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    const cpu = process.cpuUsage(cpuStart);
    const wall = performance.now() - hrStart;
    const idleRequests = proxy.requestsSince(idleStart);
    const streams = proxy.requests.filter((r) => r.path.includes('/events'));
    console.log(`\nidle ${IDLE_SECONDS} s with ${CONTAINERS} containers (view visible, resync armed at 5 min):`);
    console.log(`  Docker API requests: ${idleRequests.length}${idleRequests.length ? ' ' + JSON.stringify(idleRequests.map((r) => `${r.method} ${r.path}`)) : ''} (the events stream stays open: ${streams.length} opened in total)`);
    console.log(`  CPU of this process (in-process model, not an extension host): ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms over ${(wall / 1000).toFixed(1)} s = ${(((cpu.user + cpu.system) / 1000 / wall) * 100).toFixed(3)} %`);
    console.log(`  requests through the proxy in the whole run: ${proxy.requests.length}; LiveContainers' own count: ${liveRef.requests}`);
  } finally {
    live?.dispose();
    await proxy.dispose();
    const cleanStart = performance.now();
    await cleanUp(docker);
    console.log(`\ncleanup: removed the benchmark's containers in ${((performance.now() - cleanStart) / 1000).toFixed(1)} s`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
