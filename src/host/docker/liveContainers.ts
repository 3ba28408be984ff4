import type Docker from 'dockerode';
import {
  containerFromInspect,
  containerFromSummary,
  parseEngineEvent,
  PROJECT_LABEL,
  splitJsonLines,
  WATCHED_EVENTS,
  type ContainerInfo,
  type EngineEvent,
} from '../../core/docker/containers';
import type { SwarmSnapshot } from '../../core/docker/swarm';
import { SwarmLive } from './swarmLive';
import { classifyConnectionError, describeEndpoint, type DockerEndpoint, type Unreachable } from '../../core/docker/endpoint';
import { createDockerClient, pingDocker } from './connect';
import { mapLimit, withTimeout } from './requests';

export type LiveConnection =
  | { readonly status: 'idle' }
  | { readonly status: 'connecting'; readonly endpoint: DockerEndpoint }
  | { readonly status: 'connected'; readonly endpoint: DockerEndpoint; readonly version: string; readonly apiVersion: string }
  | { readonly status: 'unreachable'; readonly endpoint: DockerEndpoint; readonly unreachable: Unreachable; readonly retryInMs: number; readonly attempts: number };

export interface LiveChange {
  /** Every container may have changed (first list, resync, disconnect). */
  readonly full: boolean;
  /** Containers inspected or removed since the last change. */
  readonly ids: readonly string[];
  /** The daemon's time (ns since the epoch) of the newest event behind this change, to measure latency. */
  readonly eventTimeNano?: number;
  /**
   * Set when the Swarm snapshot (`LiveContainers.swarm`) changed: the ids of the services whose spec or
   * tasks changed, or `true` when anything may have (first load, node events, resync, disconnect).
   * Task containers changed (health) are listed by their service too.
   */
  readonly swarm?: { readonly services: readonly string[] } | true;
}

export interface LiveLog {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

export interface LiveOptions {
  /** Asked on every (re)connection, so a changed setting or context takes effect on Retry. */
  readonly endpoint: () => DockerEndpoint;
  readonly createClient?: (endpoint: DockerEndpoint) => Docker;
  /** Compose projects of interest; containers of other projects are neither inspected nor kept. Undefined: all. */
  readonly projects?: () => ReadonlySet<string> | undefined;
  /** Events within this window are handled together (one inspect per container). */
  readonly coalesceMs?: number;
  /** Safety-net full resync while enabled (`setResyncEnabled`); the event stream does the real work. */
  readonly resyncMs?: number;
  readonly backoffInitialMs?: number;
  readonly backoffMaxMs?: number;
  readonly inspectConcurrency?: number;
  readonly requestTimeoutMs?: number;
  readonly log?: LiveLog;
  /** Delays of the bounded follow-up task re-reads while a Swarm task's state lags its container (ms). */
  readonly swarmSettleDelaysMs?: readonly number[];
}

type Listener<T> = (value: T) => void;

/** The `ingress` network's creation: the engine has just initialised or joined a Swarm. */
function joinedSwarm(message: unknown): boolean {
  if (typeof message !== 'object' || message === null) return false;
  const { Type, Action, Actor } = message as { Type?: unknown; Action?: unknown; Actor?: { Attributes?: Record<string, unknown> } };
  return Type === 'network' && Action === 'create' && Actor?.Attributes?.name === 'ingress' && Actor.Attributes.type === 'overlay';
}

const silentLog: LiveLog = { info: () => undefined, warn: () => undefined, debug: () => undefined };

/**
 * Live containers of compose projects from one Docker daemon: one list and one inspect per container at
 * connection, then one events stream; each event inspects only its container (bursts coalesced). When the
 * stream ends or errors the daemon is assumed gone: reconnect with exponential backoff (forever, capped),
 * and resync fully once it answers again. Never polls; never asks for sizes.
 */
export class LiveContainers {
  /** Containers of Compose projects (never Swarm task containers). */
  readonly containers = new Map<string, ContainerInfo>();
  /**
   * Containers of Swarm tasks while connected to a manager, read like Compose containers so their health
   * shows (`project` is `swarm/<stack>`, see taskContainerProject; `service` the full service name). Kept
   * apart from `containers` so they never join a Compose project. Pass them to `buildStacks`.
   */
  readonly taskContainers: ReadonlyMap<string, ContainerInfo>;
  private readonly swarmLive: SwarmLive;
  private settleTimer: NodeJS.Timeout | undefined;
  private settleDue = 0;
  private state: LiveConnection = { status: 'idle' };
  private generation = 0;
  private client: Docker | undefined;
  private stream: NodeJS.ReadableStream | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private resyncEnabled = false;
  private attempts = 0;
  private readonly pending = new Map<string, EngineEvent>();
  /**
   * Batches overlap (an inspect can block for a second while the engine stops a container), so a slow
   * batch's answer may arrive after a later one's: each container keeps the number of the newest event
   * applied to it, and older answers are dropped. A removed container keeps its number, so a late inspect
   * cannot bring it back (ids are never reused).
   */
  private eventNumber = 0;
  private readonly pendingNumbers = new Map<string, number>();
  private readonly appliedNumbers = new Map<string, number>();
  private readonly changeListeners = new Set<Listener<LiveChange>>();
  private readonly connectionListeners = new Set<Listener<LiveConnection>>();
  private readonly log: LiveLog;
  /** Requests made to the daemon besides the events stream (for the log and the benchmark). */
  requests = 0;

  constructor(private readonly options: LiveOptions) {
    this.log = options.log ?? silentLog;
    this.swarmLive = new SwarmLive({
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      inspectConcurrency: options.inspectConcurrency ?? 8,
      ...(options.swarmSettleDelaysMs ? { settleDelaysMs: options.swarmSettleDelaysMs } : {}),
      count: () => void this.requests++,
      warn: (message) => this.log.warn(message),
      debug: (message) => this.log.debug(message),
      schedule: (delayMs) => (delayMs > 0 ? this.scheduleSettle(delayMs) : this.scheduleFlush()),
      lostManager: () => {
        if (this.state.status !== 'connected' || !this.swarmLive.snapshot) return;
        this.log.info('the engine is no longer a Swarm manager; reconnecting');
        this.connectNow();
      },
      lateChange: (services) => {
        if (this.state.status === 'connected') this.emit({ full: false, ids: [], swarm: { services } });
      },
    });
    this.taskContainers = this.swarmLive.taskContainers;
  }

  get connection(): LiveConnection {
    return this.state;
  }

  get isConnected(): boolean {
    return this.state.status === 'connected';
  }

  onDidChange(listener: Listener<LiveChange>): { dispose(): void } {
    this.changeListeners.add(listener);
    return { dispose: () => this.changeListeners.delete(listener) };
  }

  onDidChangeConnection(listener: Listener<LiveConnection>): { dispose(): void } {
    this.connectionListeners.add(listener);
    return { dispose: () => this.connectionListeners.delete(listener) };
  }

  /** Connects (idempotent while connecting or connected). */
  start(): void {
    if (this.state.status === 'connecting' || this.state.status === 'connected') return;
    this.connectNow();
  }

  /** Drops the current connection and connects again now, resetting the backoff (the Retry action, a changed setting). */
  retry(): void {
    this.attempts = 0;
    this.connectNow();
  }

  /** Resolves once connected or unreachable (after the current attempt). */
  settled(): Promise<LiveConnection> {
    if (this.state.status === 'connected' || this.state.status === 'unreachable' || this.state.status === 'idle') return Promise.resolve(this.state);
    return new Promise((resolve) => {
      const subscription = this.onDidChangeConnection((state) => {
        if (state.status === 'connected' || state.status === 'unreachable' || state.status === 'idle') {
          subscription.dispose();
          resolve(state);
        }
      });
    });
  }

  /** The slow safety-net resync runs only while enabled (the view is visible). */
  setResyncEnabled(enabled: boolean): void {
    this.resyncEnabled = enabled;
    this.scheduleResync();
  }

  stop(): void {
    this.generation++;
    this.closeStream();
    this.clearTimers();
    this.pending.clear();
    this.pendingNumbers.clear();
    this.swarmLive.clear();
    this.setState({ status: 'idle' });
  }

  dispose(): void {
    this.stop();
    this.changeListeners.clear();
    this.connectionListeners.clear();
  }

  /** The Swarm state when the engine is a Swarm manager and connected; undefined otherwise. */
  get swarm(): SwarmSnapshot | undefined {
    return this.state.status === 'connected' ? this.swarmLive.snapshot : undefined;
  }

  /** A dockerode client for actions, or undefined while not connected. */
  get docker(): Docker | undefined {
    return this.state.status === 'connected' ? this.client : undefined;
  }

  /** Lists and inspects every compose container again, replacing what is known. */
  async resync(): Promise<void> {
    const generation = this.generation;
    const client = this.client;
    if (!client || this.state.status !== 'connected') return;
    // Becoming (or ceasing to be) a Swarm manager changes what the events stream must carry: reconnect.
    const wasManager = this.swarmLive.manager;
    const role = await this.swarmLive.readRole(client);
    if (generation !== this.generation) return;
    if (role.manager !== wasManager) {
      this.log.info(role.manager ? 'the engine became a Swarm manager' : 'the engine is no longer a Swarm manager');
      this.connectNow();
      return;
    }
    await this.loadAll(client, generation);
  }

  /** Re-reads one Swarm service and its tasks now (after an action, to not wait for its events). */
  refreshSwarmService(serviceId: string): void {
    if (!this.swarmLive.snapshot) return;
    this.swarmLive.requestService(serviceId);
    this.scheduleFlush();
  }

  /** Inspects one container now and applies the result (after an action, to not wait for its event). */
  async refreshContainer(id: string): Promise<void> {
    const client = this.client;
    if (!client) return;
    const generation = this.generation;
    const number = ++this.eventNumber;
    const info = await this.inspect(client, id);
    if (generation !== this.generation || !this.isNewest(id, number)) return;
    if (info === 'gone') this.containers.delete(id);
    else if (info) this.containers.set(id, info);
    this.emit({ full: false, ids: [id] });
  }

  private connectNow(): void {
    const generation = ++this.generation;
    this.closeStream();
    this.clearTimers();
    this.pending.clear();
    this.pendingNumbers.clear();
    const hadSwarm = this.swarmLive.snapshot !== undefined;
    this.swarmLive.clear();
    if (hadSwarm) this.emit({ full: false, ids: [], swarm: true });
    const endpoint = this.options.endpoint();
    this.setState({ status: 'connecting', endpoint });
    void this.connect(endpoint, generation).catch((error: unknown) => {
      if (generation !== this.generation) return;
      const code = (error as { code?: string }).code;
      this.fail(endpoint, generation, classifyConnectionError(endpoint, code, error instanceof Error ? error.message : String(error)));
    });
  }

  private async connect(endpoint: DockerEndpoint, generation: number): Promise<void> {
    const client = (this.options.createClient ?? createDockerClient)(endpoint);
    this.client = client;
    this.requests++;
    const ping = await pingDocker(client, endpoint, this.options.requestTimeoutMs ?? 5000);
    if (generation !== this.generation) return;
    if (!ping.ok) {
      this.fail(endpoint, generation, { reason: ping.reason, message: ping.message });
      return;
    }
    // Whether to follow Swarm decides what the events stream carries.
    const role = await this.swarmLive.readRole(client);
    if (generation !== this.generation) return;
    // The stream opens before the list, so no change between the two is missed.
    await this.openEvents(client, generation, role.manager);
    if (generation !== this.generation) return;
    this.attempts = 0;
    this.log.info(`Docker ${ping.version} (API ${ping.apiVersion}) at ${describeEndpoint(endpoint)} (${endpoint.source})`);
    this.setState({ status: 'connected', endpoint, version: ping.version, apiVersion: ping.apiVersion });
    await this.loadAll(client, generation);
    this.scheduleResync();
  }

  private fail(endpoint: DockerEndpoint, generation: number, unreachable: Unreachable): void {
    if (generation !== this.generation) return;
    this.closeStream();
    const retryInMs = Math.min(this.options.backoffMaxMs ?? 30_000, (this.options.backoffInitialMs ?? 500) * 2 ** this.attempts);
    this.attempts++;
    const hadContainers = this.containers.size > 0;
    const hadSwarm = this.swarmLive.snapshot !== undefined;
    this.containers.clear();
    this.swarmLive.clear();
    this.log.warn(`${unreachable.reason} at ${describeEndpoint(endpoint)}; retrying in ${retryInMs} ms (attempt ${this.attempts})`);
    this.setState({ status: 'unreachable', endpoint, unreachable, retryInMs, attempts: this.attempts });
    if (hadContainers || hadSwarm) this.emit({ full: true, ids: [], ...(hadSwarm ? { swarm: true as const } : {}) });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (generation === this.generation) this.connectNow();
    }, retryInMs);
  }

  private async openEvents(client: Docker, generation: number, swarm: boolean): Promise<void> {
    // A Swarm manager's stream also carries service, node and task-container events (which have no Compose
    // label, so the label filter moves to this side); health probes' exec_* events stay filtered out.
    // A plain engine's stream also carries network events: `docker swarm init` or `join` sends no event of
    // its own, but creates the `ingress` network, which is how we learn to follow the new Swarm at once.
    // (A label filter would hide it, so the Compose label check is ours here too.)
    const stream = await client.getEvents({
      filters: swarm ? SwarmLive.eventsFilter(WATCHED_EVENTS) : { type: ['container', 'network'], event: [...WATCHED_EVENTS] },
    });
    if (generation !== this.generation) {
      destroyStream(stream);
      return;
    }
    this.stream = stream;
    let rest = '';
    stream.on('data', (chunk: Buffer | string) => {
      const split = splitJsonLines(rest, chunk.toString());
      rest = split.rest;
      for (const message of split.messages) {
        if (!swarm && joinedSwarm(message)) {
          this.log.info('the engine created the Swarm ingress network: checking whether it became a Swarm manager');
          void this.resync().catch((error: unknown) => this.log.warn(`re-reading the engine after a Swarm change failed: ${String(error)}`));
          continue;
        }
        if (this.swarmLive.onMessage(message)) continue;
        const event = parseEngineEvent(message);
        if (event) this.onEvent(event);
      }
    });
    const lost = (why: string) => {
      if (generation !== this.generation || this.stream !== stream) return;
      this.log.warn(`Docker events stream ${why}; reconnecting`);
      this.stream = undefined;
      this.connectNow();
    };
    stream.on('end', () => lost('ended'));
    stream.on('close', () => lost('closed'));
    stream.on('error', (error: Error) => lost(`failed: ${error.message}`));
  }

  private interesting(project: string | undefined): boolean {
    if (project === undefined) return false;
    const projects = this.options.projects?.();
    return projects === undefined || projects.has(project);
  }

  private onEvent(event: EngineEvent): void {
    if (!this.interesting(event.project) && !this.containers.has(event.id)) return;
    this.log.debug(`event ${event.action}${event.health ? ': ' + event.health : ''} ${event.name ?? event.id.slice(0, 12)}`);
    const previous = this.pending.get(event.id);
    // A destroy wins: the container is gone whatever came before it in the window.
    this.pending.set(event.id, previous?.action === 'destroy' ? previous : event);
    this.pendingNumbers.set(event.id, ++this.eventNumber);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      const generation = this.generation;
      void this.flush(generation).catch((error: unknown) => this.log.warn(`applying Docker events failed: ${String(error)}`));
    }, this.options.coalesceMs ?? 75);
  }

  /** One timer for the Swarm follow-up re-reads: the earliest due wins. */
  private scheduleSettle(delayMs: number): void {
    const due = Date.now() + delayMs;
    if (this.settleTimer && this.settleDue <= due) return;
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleDue = due;
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      this.swarmLive.takeDelayed();
      this.scheduleFlush();
    }, delayMs);
  }

  private async flush(generation: number): Promise<void> {
    const client = this.client;
    if (!client || generation !== this.generation) return;
    const batch = [...this.pending.values()];
    const numbers = batch.map((event) => this.pendingNumbers.get(event.id) ?? 0);
    this.pending.clear();
    this.pendingNumbers.clear();
    const stale = () => generation !== this.generation;
    const [results, swarm] = await Promise.all([
      mapLimit(batch, this.options.inspectConcurrency ?? 8, async (event) => (event.action === 'destroy' ? ('gone' as const) : this.inspect(client, event.id))),
      this.swarmLive.flush(client, stale),
    ]);
    if (generation !== this.generation) return;
    if (batch.length === 0 && !swarm) return;
    const eventTimeNano = Math.max(
      batch.reduce((newest, event) => Math.max(newest, event.timeNano ?? 0), 0),
      swarm?.eventTimeNano ?? 0,
    );
    batch.forEach((event, index) => {
      const result = results[index];
      if (!this.isNewest(event.id, numbers[index]!)) return;
      if (result === 'gone') this.containers.delete(event.id);
      else if (result && this.interesting(result.project)) this.containers.set(event.id, result);
    });
    this.emit({
      full: false,
      ids: batch.map((event) => event.id),
      ...(eventTimeNano > 0 ? { eventTimeNano } : {}),
      ...(swarm ? { swarm: swarm.services === true ? (true as const) : { services: swarm.services } } : {}),
    });
  }

  /** Records `number` as applied to the container unless a newer event's answer was applied already. */
  private isNewest(id: string, number: number): boolean {
    if ((this.appliedNumbers.get(id) ?? 0) > number) return false;
    this.appliedNumbers.delete(id);
    this.appliedNumbers.set(id, number);
    // Bounded: forget the oldest entries of containers no longer known (their late answers are long gone).
    if (this.appliedNumbers.size > 4096) {
      for (const known of this.appliedNumbers.keys()) {
        if (this.appliedNumbers.size <= 2048) break;
        if (!this.containers.has(known)) this.appliedNumbers.delete(known);
      }
    }
    return true;
  }

  private async inspect(client: Docker, id: string): Promise<ContainerInfo | 'gone' | undefined> {
    this.requests++;
    try {
      const json: unknown = await withTimeout(client.getContainer(id).inspect(), this.options.requestTimeoutMs ?? 10_000);
      return containerFromInspect(json) ?? 'gone';
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return 'gone';
      this.log.warn(`inspect ${id.slice(0, 12)} failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private async loadAll(client: Docker, generation: number): Promise<void> {
    this.requests++;
    const list: unknown[] = await withTimeout(
      client.listContainers({ all: true, size: false, filters: { label: [PROJECT_LABEL] } }),
      this.options.requestTimeoutMs ?? 10_000,
    );
    if (generation !== this.generation) return;
    const summaries = list.map(containerFromSummary).filter((c): c is ContainerInfo => c !== undefined && this.interesting(c.project));
    // Keep what an inspect already told us about a container whose list entry did not change state.
    const next = new Map<string, ContainerInfo>();
    for (const summary of summaries) {
      const known = this.containers.get(summary.id);
      next.set(summary.id, known && known.state === summary.state ? known : summary);
    }
    this.containers.clear();
    for (const [id, info] of next) this.containers.set(id, info);
    this.emit({ full: true, ids: [] });
    if (this.swarmLive.manager) {
      try {
        if (await this.swarmLive.load(client, () => generation !== this.generation)) this.emit({ full: false, ids: [], swarm: true });
      } catch (error) {
        // Compose containers still show; the next reconnect or resync tries Swarm again.
        this.log.warn(`reading the Swarm state failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (generation !== this.generation) return;
    }
    // Health, probes and restart counts come from inspect (API 1.41 lists carry no health).
    const ids = summaries.map((s) => s.id);
    const chunkSize = 25;
    for (let start = 0; start < ids.length; start += chunkSize) {
      const chunk = ids.slice(start, start + chunkSize);
      const results = await mapLimit(chunk, this.options.inspectConcurrency ?? 8, (id) => this.inspect(client, id));
      if (generation !== this.generation) return;
      chunk.forEach((id, index) => {
        const result = results[index];
        if (result === 'gone') this.containers.delete(id);
        else if (result) this.containers.set(id, result);
      });
      this.emit({ full: false, ids: chunk });
    }
  }

  private scheduleResync(): void {
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.resyncTimer = undefined;
    if (!this.resyncEnabled) return;
    const every = this.options.resyncMs ?? 5 * 60_000;
    this.resyncTimer = setInterval(() => {
      if (this.state.status !== 'connected') return;
      void this.resync().catch((error: unknown) => this.log.warn(`resync failed: ${String(error)}`));
    }, every);
    this.resyncTimer.unref?.();
  }

  private closeStream(): void {
    const stream = this.stream;
    this.stream = undefined;
    if (stream) destroyStream(stream);
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.retryTimer = undefined;
    this.flushTimer = undefined;
    this.settleTimer = undefined;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.resyncTimer = undefined;
  }

  private setState(state: LiveConnection): void {
    this.state = state;
    for (const listener of [...this.connectionListeners]) listener(state);
  }

  private emit(change: LiveChange): void {
    for (const listener of [...this.changeListeners]) listener(change);
  }
}

function destroyStream(stream: NodeJS.ReadableStream): void {
  const destroyable = stream as NodeJS.ReadableStream & { destroy?: () => void };
  stream.removeAllListeners('data');
  stream.removeAllListeners('end');
  stream.removeAllListeners('close');
  // An error after destroy must not become an uncaught exception.
  stream.removeAllListeners('error');
  stream.on('error', () => undefined);
  destroyable.destroy?.();
}
