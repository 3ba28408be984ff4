import type Docker from 'dockerode';
import type { ContainerInfo } from '../../core/docker/containers';
import {
  parseSwarmEvent,
  SWARM_TASK_ID_LABEL,
  swarmNodeFromJson,
  swarmRoleFromInfo,
  swarmServiceFromJson,
  swarmSnapshotFromJson,
  swarmTaskFromJson,
  taskContainerFromInspect,
  taskContainerFromSummary,
  taskOfContainerEvent,
  withNodes,
  withService,
  withServiceTasks,
  type SwarmNodeInfo,
  type SwarmRole,
  type SwarmSnapshot,
  type SwarmTaskInfo,
} from '../../core/docker/swarm';
import { mapLimit, withTimeout } from './requests';

/**
 * The Swarm half of LiveContainers: what a manager runs, kept current from the same events stream.
 * The engine sends no task events: a task's state is re-read (`GET /tasks?filters={"service":[id]}`, one per
 * service per batch) when one of its containers changes, when its service changes, and, because the manager
 * records a task's new state a moment after the container event, again after a short delay while a task
 * still disagrees with its container (bounded: a few re-reads per event, never a timer of its own).
 */

export interface SwarmLiveOptions {
  readonly requestTimeoutMs: number;
  readonly inspectConcurrency: number;
  /** Delays of the follow-up re-reads while a task's state lags its container (ms). */
  readonly settleDelaysMs?: readonly number[];
  readonly count: () => void;
  readonly warn: (message: string) => void;
  readonly debug: (message: string) => void;
  /** Schedules a flush (the owner's coalescing timer) after `delayMs` (0: the usual coalescing window). */
  readonly schedule: (delayMs: number) => void;
  /** Task containers inspected after their batch was applied changed these services (health, state). */
  readonly lateChange: (serviceIds: readonly string[]) => void;
  /** How long a batch waits for its container inspects before applying the task states without them (ms). */
  readonly containerWaitMs?: number;
  /** The engine answered that it is no longer a Swarm manager (`docker swarm leave`, demoted): reconnect. */
  readonly lostManager: () => void;
}

/** Container actions whose event means the task may have moved. */
const TASK_CONTAINER_ACTIONS = new Set(['create', 'start', 'die', 'stop', 'kill', 'pause', 'unpause', 'destroy', 'oom', 'restart', 'health_status']);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

export class SwarmLive {
  snapshot: SwarmSnapshot | undefined;
  role: SwarmRole | undefined;
  readonly taskContainers = new Map<string, ContainerInfo>();
  private readonly pendingServices = new Set<string>();
  private readonly pendingTasks = new Set<string>();
  private readonly pendingContainers = new Map<string, { readonly what: 'inspect' | 'gone'; readonly serviceId: string }>();
  private pendingNodes = false;
  /** Services removed by an event: reported as changed, nothing to ask. */
  private readonly removedServices = new Set<string>();
  private newestEvent = 0;
  /** Follow-up re-reads per service: how many have been made since the last event for it. */
  private readonly settleAttempts = new Map<string, number>();
  private readonly delayed = new Set<string>();

  constructor(private readonly options: SwarmLiveOptions) {}

  get manager(): boolean {
    return this.role?.manager === true;
  }

  clear(): void {
    this.snapshot = undefined;
    this.taskContainers.clear();
    this.pendingServices.clear();
    this.pendingTasks.clear();
    this.pendingContainers.clear();
    this.settleAttempts.clear();
    this.delayed.clear();
    this.pendingNodes = false;
    this.removedServices.clear();
    this.newestEvent = 0;
  }

  /** Reads `GET /info`; an engine (or a fake) without it is not a manager. */
  async readRole(client: Docker): Promise<SwarmRole> {
    this.options.count();
    try {
      const info: unknown = await this.timed(client.info() as Promise<unknown>);
      this.role = swarmRoleFromInfo(info);
    } catch (error) {
      this.options.debug(`info failed (${error instanceof Error ? error.message : String(error)}); Swarm not followed`);
      this.role = { localNodeState: 'unknown', manager: false };
    }
    return this.role;
  }

  /** The events filter for a manager: containers (task containers carry no Compose label), services and nodes. */
  static eventsFilter(containerEvents: readonly string[]): Record<string, string[]> {
    return { type: ['container', 'service', 'node'], event: [...new Set([...containerEvents, 'create', 'update', 'remove'])] };
  }

  /**
   * Takes one message of the events stream. Returns true when it was a Swarm message (service, node, or a
   * task container's event), which the caller then does not treat as a Compose container event.
   */
  onMessage(json: unknown): boolean {
    if (!this.manager) return false;
    const swarmEvent = parseSwarmEvent(json);
    if (swarmEvent) {
      this.noteTime(swarmEvent.timeNano);
      this.options.debug(`${swarmEvent.type} ${swarmEvent.action} ${swarmEvent.name ?? swarmEvent.id}`);
      if (swarmEvent.type === 'node') this.pendingNodes = true;
      else if (swarmEvent.action === 'remove') this.removeService(swarmEvent.id);
      else this.pendingServices.add(swarmEvent.id);
      this.options.schedule(0);
      return true;
    }
    const task = taskOfContainerEvent(json);
    if (!task) return false;
    const message = json as Json;
    const action = (typeof message.Action === 'string' ? message.Action : '').split(':')[0]!.trim();
    // exec_create/exec_start/exec_die of health probes are filtered by the stream already; ignore anything else unknown.
    if (!TASK_CONTAINER_ACTIONS.has(action)) return true;
    this.noteTime(typeof message.timeNano === 'number' ? message.timeNano : undefined);
    const gone = action === 'destroy' || this.pendingContainers.get(task.containerId)?.what === 'gone';
    this.pendingContainers.set(task.containerId, { what: gone ? 'gone' : 'inspect', serviceId: task.serviceId });
    this.pendingTasks.add(task.serviceId);
    this.settleAttempts.delete(task.serviceId);
    this.options.schedule(0);
    return true;
  }

  /** Asks for a re-read of one service and its tasks (after an action, not to wait for its event). */
  requestService(serviceId: string): void {
    this.pendingServices.add(serviceId);
    this.settleAttempts.delete(serviceId);
  }

  get hasPending(): boolean {
    return this.pendingServices.size > 0 || this.pendingTasks.size > 0 || this.pendingContainers.size > 0 || this.pendingNodes || this.removedServices.size > 0;
  }

  /** Lists services, tasks, nodes and task containers; inspects the running task containers (health). */
  async load(client: Docker, stale: () => boolean): Promise<boolean> {
    const nodeId = this.role?.nodeId ?? '';
    const list = <T>(promise: Promise<T>) => (this.options.count(), this.timed(promise));
    const [services, tasks, nodes, containers] = await this.withLeaderRetry(
      () =>
        Promise.all([
          list(client.listServices() as Promise<unknown[]>),
          list(client.listTasks() as Promise<unknown[]>),
          list(client.listNodes() as Promise<unknown[]>),
          list(client.listContainers({ all: true, size: false, filters: { label: [SWARM_TASK_ID_LABEL] } }) as Promise<unknown[]>),
        ]),
      stale,
    );
    if (stale()) return false;
    this.snapshot = swarmSnapshotFromJson(nodeId, services, tasks, nodes);
    this.taskContainers.clear();
    for (const summary of containers.map(taskContainerFromSummary)) if (summary) this.taskContainers.set(summary.id, summary);
    const running = [...this.taskContainers.values()].filter((c) => c.state === 'running' || c.state === 'paused').map((c) => c.id);
    const inspected = await mapLimit(running, this.options.inspectConcurrency, (id) => this.inspect(client, id));
    if (stale()) return false;
    running.forEach((id, index) => this.applyContainer(id, inspected[index]));
    return true;
  }

  /** Applies what events asked for; returns the changed service ids (or true for all) when anything changed. */
  async flush(client: Docker, stale: () => boolean): Promise<{ services: readonly string[] | true; eventTimeNano?: number } | undefined> {
    if (!this.snapshot || !this.hasPending) return undefined;
    const services = [...this.pendingServices];
    const taskServices = [...new Set([...this.pendingServices, ...this.pendingTasks])];
    const containers = [...this.pendingContainers];
    const nodes = this.pendingNodes;
    const removed = [...this.removedServices];
    this.removedServices.clear();
    const eventTimeNano = this.newestEvent;
    this.pendingServices.clear();
    this.pendingTasks.clear();
    this.pendingContainers.clear();
    this.pendingNodes = false;
    this.newestEvent = 0;
    for (const id of taskServices) this.delayed.delete(id);

    const started = Date.now();
    // An inspect can take most of a second while the engine creates or stops that container (it holds the
    // container's lock): the task states do not wait for it longer than containerWaitMs.
    const inspections = mapLimit(containers, this.options.inspectConcurrency, ([id, { what }]) => (what === 'gone' ? Promise.resolve('gone' as const) : this.inspect(client, id)));
    const [serviceJson, taskLists, nodeList] = await Promise.all([
      mapLimit(services, this.options.inspectConcurrency, (id) => this.inspectService(client, id)),
      mapLimit(taskServices, this.options.inspectConcurrency, (id) => this.listTasks(client, id)),
      nodes ? this.listNodes(client) : Promise.resolve(undefined),
    ]);
    let containerWait: NodeJS.Timeout | undefined;
    const containerResults = await Promise.race([
      inspections,
      new Promise<undefined>((resolve) => {
        containerWait = setTimeout(() => resolve(undefined), this.options.containerWaitMs ?? 100);
      }),
    ]);
    clearTimeout(containerWait);
    this.options.debug(`swarm batch: ${services.length} services, ${taskServices.length} task lists, ${containers.length} containers${containerResults ? '' : ' (inspects still running)'} in ${Date.now() - started} ms`);
    if (stale() || !this.snapshot) return undefined;
    if (!containerResults) {
      void inspections.then((late) => {
        if (stale() || !this.snapshot) return;
        containers.forEach(([id], index) => this.applyContainer(id, late[index]));
        const changed = [...new Set(containers.map(([, { serviceId }]) => serviceId))];
        this.settle(changed);
        this.options.lateChange(changed);
      });
    }
    let snapshot: SwarmSnapshot = this.snapshot;
    services.forEach((id, index) => {
      const result = serviceJson[index];
      if (result === 'gone') snapshot = withService(snapshot, id, undefined);
      else if (result) snapshot = withService(snapshot, id, result);
    });
    taskServices.forEach((id, index) => {
      const tasks = taskLists[index];
      if (tasks && snapshot.services.has(id)) snapshot = withServiceTasks(snapshot, id, tasks);
    });
    if (nodeList) snapshot = withNodes(snapshot, nodeList);
    this.snapshot = snapshot;
    if (containerResults) containers.forEach(([id], index) => this.applyContainer(id, containerResults[index]));
    this.settle(taskServices);
    return { services: nodes ? true : [...new Set([...removed, ...taskServices])], ...(eventTimeNano > 0 ? { eventTimeNano } : {}) };
  }

  /**
   * The manager learns a task's new state from the node a moment after the container event (health turning
   * healthy moves a task from starting to running): re-read the tasks of a service while one disagrees with
   * its container, a bounded number of times.
   */
  private settle(serviceIds: readonly string[]): void {
    const delays = this.options.settleDelaysMs ?? [100, 200, 400, 800, 1600, 3200];
    for (const serviceId of serviceIds) {
      if (!this.lagging(serviceId)) {
        this.settleAttempts.delete(serviceId);
        continue;
      }
      const attempt = this.settleAttempts.get(serviceId) ?? 0;
      if (attempt >= delays.length) continue;
      this.settleAttempts.set(serviceId, attempt + 1);
      this.delayed.add(serviceId);
      this.options.schedule(delays[attempt]!);
    }
  }

  /** Services whose delayed re-read is due (called by the owner's timer before flushing). */
  takeDelayed(): void {
    for (const id of this.delayed) this.pendingTasks.add(id);
    this.delayed.clear();
  }

  private lagging(serviceId: string): boolean {
    const snapshot = this.snapshot;
    if (!snapshot) return false;
    for (const task of snapshot.tasks.values()) {
      if (task.serviceId !== serviceId || task.desiredState !== 'running') continue;
      const container = task.containerId ? this.taskContainers.get(task.containerId) : undefined;
      if (!task.containerId || !container) {
        // A task on the way to a container (new ... starting) is expected to move soon.
        if (['new', 'allocated', 'assigned', 'accepted', 'preparing', 'ready', 'starting'].includes(task.state)) return true;
        continue;
      }
      const up = container.state === 'running' && (container.health === 'healthy' || container.health === 'none');
      if (up && task.state !== 'running') return true;
      if (!up && container.state !== 'running' && task.state === 'running') return true;
    }
    return false;
  }

  private removeService(serviceId: string): void {
    if (this.snapshot) this.snapshot = withService(this.snapshot, serviceId, undefined);
    this.pendingServices.delete(serviceId);
    this.pendingTasks.delete(serviceId);
    this.removedServices.add(serviceId);
  }

  private applyContainer(id: string, result: ContainerInfo | 'gone' | undefined): void {
    if (result === 'gone') this.taskContainers.delete(id);
    else if (result) this.taskContainers.set(id, result);
  }

  private noteTime(timeNano: number | undefined): void {
    if (timeNano !== undefined && timeNano > this.newestEvent) this.newestEvent = timeNano;
  }

  private async inspect(client: Docker, id: string): Promise<ContainerInfo | 'gone' | undefined> {
    this.options.count();
    try {
      const json: unknown = await this.timed(client.getContainer(id).inspect());
      return taskContainerFromInspect(json) ?? 'gone';
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return 'gone';
      this.options.warn(`inspect ${id.slice(0, 12)} failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private async inspectService(client: Docker, id: string) {
    this.options.count();
    try {
      const json: unknown = await this.timed(client.getService(id).inspect() as Promise<unknown>);
      return swarmServiceFromJson(json) ?? ('gone' as const);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return 'gone' as const;
      this.noLongerManager(error);
      this.options.warn(`inspect service ${id.slice(0, 12)} failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private async listTasks(client: Docker, serviceId: string): Promise<SwarmTaskInfo[] | undefined> {
    this.options.count();
    try {
      const json = (await this.timed(client.listTasks({ filters: { service: [serviceId] } }) as Promise<unknown[]>)) ?? [];
      return (Array.isArray(json) ? json : []).map(swarmTaskFromJson).filter((t): t is SwarmTaskInfo => t !== undefined && t.serviceId === serviceId);
    } catch (error) {
      // A removed service answers 404 or an empty list: no tasks.
      if ((error as { statusCode?: number }).statusCode === 404) return [];
      this.noLongerManager(error);
      this.options.warn(`listing the tasks of ${serviceId.slice(0, 12)} failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  private async listNodes(client: Docker): Promise<SwarmNodeInfo[] | undefined> {
    this.options.count();
    try {
      const json = (await this.timed(client.listNodes() as Promise<unknown[]>)) ?? [];
      return json.map(swarmNodeFromJson).filter((n): n is SwarmNodeInfo => n !== undefined);
    } catch (error) {
      this.noLongerManager(error);
      this.options.warn(`listing the nodes failed: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /** A 503 "not a swarm manager" (the node left the swarm or was demoted) ends following Swarm on this connection. */
  private noLongerManager(error: unknown): void {
    const e = error as { statusCode?: number; json?: unknown; message?: string };
    const text = `${e.message ?? ''} ${isObject(e.json) && typeof e.json.message === 'string' ? e.json.message : ''}`;
    if (e.statusCode === 503 && /not a swarm manager|not part of a swarm/i.test(text)) this.options.lostManager();
  }

  /** Right after a dockerd restart the manager answers 503 "no leader" for a moment: retry a few times. */
  private async withLeaderRetry<T>(work: () => Promise<T>, stale: () => boolean): Promise<T> {
    const delays = [250, 500, 1000, 2000, 4000];
    for (let attempt = 0; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        const e = error as { statusCode?: number; message?: string; json?: unknown };
        const text = `${e.message ?? ''} ${isObject(e.json) && typeof e.json.message === 'string' ? e.json.message : ''}`;
        const leaderless = e.statusCode === 503 || /leader|not a swarm manager|swarm is not ready/i.test(text);
        if (!leaderless || attempt >= delays.length || stale()) throw error;
        this.options.debug(`Swarm not ready (${text.trim()}); retrying`);
        await new Promise((resolve) => setTimeout(resolve, delays[attempt]));
      }
    }
  }

  private timed<T>(promise: Promise<T>): Promise<T> {
    return withTimeout(promise, this.options.requestTimeoutMs);
  }
}
