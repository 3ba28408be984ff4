import { msg, type Message } from '../message';
import { containerFromInspect, containerFromSummary, formatPorts, PROJECT_LABEL, SERVICE_LABEL, type ContainerInfo, type Health, type PortBinding } from './containers';

/**
 * Docker Swarm as the services view shows it: stacks (label `com.docker.stack.namespace`) -> services ->
 * tasks, read from Engine API JSON (`GET /services`, `/tasks`, `/nodes`, `/info`; API 1.41 and newer).
 * Pure: JSON in, data out. Readers are tolerant: junk gives undefined, unknown enum values are kept as text.
 *
 * Engine facts this model relies on (Docker 20.10 and later):
 * - A task whose container has a HEALTHCHECK stays in state `starting` until its first healthy probe, so a
 *   task in state `running` is already "up" the way `docker service ls` counts it (0/N until healthy).
 * - Tasks have no events; their state is re-read with `listTasks` when a task container or the service changes.
 */

export const STACK_LABEL = 'com.docker.stack.namespace';
export const SWARM_TASK_ID_LABEL = 'com.docker.swarm.task.id';
export const SWARM_TASK_NAME_LABEL = 'com.docker.swarm.task.name';
export const SWARM_SERVICE_ID_LABEL = 'com.docker.swarm.service.id';
export const SWARM_SERVICE_NAME_LABEL = 'com.docker.swarm.service.name';
export const SWARM_NODE_ID_LABEL = 'com.docker.swarm.node.id';

/** The key of the pseudo-stack that holds a manager's services without a stack label (`docker service create`). */
export const LOOSE_STACK_KEY = 'swarm\u0000\u0001loose';

export type SwarmServiceMode = 'replicated' | 'global' | 'replicated-job' | 'global-job' | 'unknown';

/** Task states as the engine spells them (`new` ... `orphaned`); other text is kept as-is. */
export type SwarmTaskState =
  | 'new'
  | 'allocated'
  | 'pending'
  | 'assigned'
  | 'accepted'
  | 'preparing'
  | 'ready'
  | 'starting'
  | 'running'
  | 'complete'
  | 'shutdown'
  | 'failed'
  | 'rejected'
  | 'remove'
  | 'orphaned'
  | (string & {});

export interface SwarmPort extends PortBinding {
  /** `ingress` (routing mesh) or `host`. */
  readonly publishMode?: string;
}

export interface SwarmServiceInfo {
  readonly id: string;
  /** The full service name: `<stack>_<service>` for stack services. */
  readonly name: string;
  /** `com.docker.stack.namespace`, or undefined for a service created outside a stack. */
  readonly stack?: string;
  /** The image without its `@sha256:` pin. */
  readonly image: string;
  readonly mode: SwarmServiceMode;
  /** Replicas asked for (replicated mode); undefined for global services. */
  readonly desiredReplicas?: number;
  /** `UpdateStatus.State`: updating, paused, completed, rollback_started, rollback_paused, rollback_completed. */
  readonly updateState?: string;
  readonly updateMessage?: string;
  readonly ports: readonly SwarmPort[];
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  /** `Version.Index`: an update must send it back. */
  readonly version: number;
  /** `TaskTemplate.ForceUpdate`: a forced update increments it. */
  readonly forceUpdate: number;
  /** True/false when the spec sets or disables a healthcheck; undefined when it comes from the image (or none). */
  readonly healthcheck?: boolean;
  /** Global mode with a placement that can give zero tasks, and jobs, report their own counts. */
  readonly runningTasks?: number;
  readonly desiredTasks?: number;
}

export interface SwarmTaskInfo {
  readonly id: string;
  readonly serviceId: string;
  /** Replicated services: the replica's slot; global tasks have none (they are per node). */
  readonly slot?: number;
  readonly nodeId?: string;
  readonly state: SwarmTaskState;
  readonly desiredState: SwarmTaskState;
  /** `Status.Message` ("started", "no suitable node ..."). */
  readonly message: string;
  /** `Status.Err` ("task: non-zero exit (3)"). */
  readonly error?: string;
  readonly exitCode?: number;
  readonly containerId?: string;
  /** `Status.Timestamp`: when the task reached its state. */
  readonly timestamp: string;
  readonly createdAt?: string;
  /** `Version.Index`, to order a slot's attempts when timestamps tie. */
  readonly version: number;
}

export interface SwarmNodeInfo {
  readonly id: string;
  readonly hostname: string;
  readonly role: 'manager' | 'worker' | (string & {});
  readonly availability: 'active' | 'pause' | 'drain' | (string & {});
  readonly state: 'ready' | 'down' | 'unknown' | 'disconnected' | (string & {});
  readonly leader: boolean;
  readonly addr?: string;
}

export interface SwarmSnapshot {
  readonly manager: true;
  /** This engine's node id (`Swarm.NodeID`). */
  readonly nodeId: string;
  readonly services: ReadonlyMap<string, SwarmServiceInfo>;
  readonly tasks: ReadonlyMap<string, SwarmTaskInfo>;
  readonly nodes: ReadonlyMap<string, SwarmNodeInfo>;
}

/** What `GET /info` says about Swarm. Only a manager can list services and tasks. */
export interface SwarmRole {
  /** `Swarm.LocalNodeState`: inactive, pending, active, error, locked. */
  readonly localNodeState: string;
  readonly manager: boolean;
  readonly nodeId?: string;
  readonly clusterId?: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const obj = (value: unknown): Json => (isObject(value) ? value : {});

function labelsOf(value: unknown): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, label] of Object.entries(obj(value))) if (typeof label === 'string') labels[key] = label;
  return labels;
}

const ZERO_TIME = /^0001-01-01/;
const time = (value: unknown): string | undefined => {
  const text = str(value);
  return text && !ZERO_TIME.test(text) ? text : undefined;
};

/** Reads `Swarm` of `GET /info`. */
export function swarmRoleFromInfo(json: unknown): SwarmRole {
  const swarm = obj(obj(json).Swarm);
  const nodeId = str(swarm.NodeID);
  const clusterId = str(obj(swarm.Cluster).ID);
  const localNodeState = str(swarm.LocalNodeState) ?? 'inactive';
  return {
    localNodeState,
    manager: localNodeState === 'active' && swarm.ControlAvailable === true,
    ...(nodeId ? { nodeId } : {}),
    ...(clusterId ? { clusterId } : {}),
  };
}

/** `image:tag@sha256:...` -> `image:tag` (stack deploy pins digests when it can reach a registry). */
export function imageWithoutDigest(image: string): string {
  const at = image.indexOf('@sha256:');
  return at > 0 ? image.slice(0, at) : image;
}

function serviceMode(mode: Json): { mode: SwarmServiceMode; desiredReplicas?: number } {
  if (isObject(mode.Replicated)) {
    const replicas = num(mode.Replicated.Replicas);
    return { mode: 'replicated', ...(replicas !== undefined ? { desiredReplicas: replicas } : {}) };
  }
  if (isObject(mode.Global)) return { mode: 'global' };
  if (isObject(mode.ReplicatedJob)) return { mode: 'replicated-job' };
  if (isObject(mode.GlobalJob)) return { mode: 'global-job' };
  return { mode: 'unknown' };
}

function healthcheckOf(containerSpec: Json): boolean | undefined {
  if (!isObject(containerSpec.Healthcheck)) return undefined;
  const test = containerSpec.Healthcheck.Test;
  if (!Array.isArray(test) || test.length === 0) return undefined;
  return test[0] !== 'NONE';
}

/** Reads one entry of `GET /services` or `GET /services/{id}`. */
export function swarmServiceFromJson(json: unknown): SwarmServiceInfo | undefined {
  if (!isObject(json)) return undefined;
  const id = str(json.ID);
  const spec = obj(json.Spec);
  const name = str(spec.Name);
  if (!id || !name) return undefined;
  const labels = labelsOf(spec.Labels);
  const template = obj(spec.TaskTemplate);
  const containerSpec = obj(template.ContainerSpec);
  const endpoint = obj(json.Endpoint);
  // The effective ports are in Endpoint.Ports; a service still being allocated only has them in its spec.
  const portsJson = Array.isArray(endpoint.Ports) ? endpoint.Ports : Array.isArray(obj(spec.EndpointSpec).Ports) ? (obj(spec.EndpointSpec).Ports as unknown[]) : [];
  const ports = portsJson.flatMap((port): SwarmPort[] => {
    if (!isObject(port)) return [];
    const containerPort = num(port.TargetPort);
    if (containerPort === undefined) return [];
    const hostPort = num(port.PublishedPort);
    const publishMode = str(port.PublishMode);
    return [{ containerPort, protocol: str(port.Protocol) ?? 'tcp', ...(hostPort ? { hostPort } : {}), ...(publishMode ? { publishMode } : {}) }];
  });
  const update = obj(json.UpdateStatus);
  const updateState = str(update.State);
  const updateMessage = str(update.Message);
  const status = obj(json.ServiceStatus);
  const runningTasks = num(status.RunningTasks);
  const desiredTasks = num(status.DesiredTasks);
  const createdAt = time(json.CreatedAt);
  const updatedAt = time(json.UpdatedAt);
  const healthcheck = healthcheckOf(containerSpec);
  const stack = labels[STACK_LABEL];
  return {
    id,
    name,
    ...(stack ? { stack } : {}),
    image: imageWithoutDigest(str(containerSpec.Image) ?? ''),
    ...serviceMode(obj(spec.Mode)),
    ...(updateState ? { updateState } : {}),
    ...(updateMessage ? { updateMessage } : {}),
    ports,
    labels,
    ...(createdAt ? { createdAt } : {}),
    ...(updatedAt ? { updatedAt } : {}),
    version: num(obj(json.Version).Index) ?? 0,
    forceUpdate: num(template.ForceUpdate) ?? 0,
    ...(healthcheck !== undefined ? { healthcheck } : {}),
    ...(runningTasks !== undefined ? { runningTasks } : {}),
    ...(desiredTasks !== undefined ? { desiredTasks } : {}),
  };
}

/** Reads one entry of `GET /tasks`. */
export function swarmTaskFromJson(json: unknown): SwarmTaskInfo | undefined {
  if (!isObject(json)) return undefined;
  const id = str(json.ID);
  const serviceId = str(json.ServiceID);
  const status = obj(json.Status);
  const state = str(status.State);
  if (!id || !serviceId || !state) return undefined;
  const slot = num(json.Slot);
  const nodeId = str(json.NodeID);
  const error = str(status.Err);
  const container = obj(status.ContainerStatus);
  const containerId = str(container.ContainerID);
  const exitCode = num(container.ExitCode);
  const createdAt = time(json.CreatedAt);
  // An exit code means something once the process ended; a running task reports 0.
  const ended = state === 'failed' || state === 'complete' || state === 'shutdown' || state === 'rejected';
  return {
    id,
    serviceId,
    ...(slot !== undefined && slot > 0 ? { slot } : {}),
    ...(nodeId ? { nodeId } : {}),
    state: state.toLowerCase(),
    desiredState: (str(json.DesiredState) ?? 'running').toLowerCase(),
    message: str(status.Message) ?? '',
    ...(error ? { error } : {}),
    ...(exitCode !== undefined && ended && containerId ? { exitCode } : {}),
    ...(containerId ? { containerId } : {}),
    timestamp: time(status.Timestamp) ?? time(json.UpdatedAt) ?? '',
    ...(createdAt ? { createdAt } : {}),
    version: num(obj(json.Version).Index) ?? 0,
  };
}

/** Reads one entry of `GET /nodes`. */
export function swarmNodeFromJson(json: unknown): SwarmNodeInfo | undefined {
  if (!isObject(json)) return undefined;
  const id = str(json.ID);
  if (!id) return undefined;
  const spec = obj(json.Spec);
  const status = obj(json.Status);
  const manager = obj(json.ManagerStatus);
  const addr = str(status.Addr);
  return {
    id,
    hostname: str(obj(json.Description).Hostname) ?? id.slice(0, 12),
    role: str(spec.Role) ?? 'worker',
    availability: str(spec.Availability) ?? 'active',
    state: str(status.State) ?? 'unknown',
    leader: manager.Leader === true,
    ...(addr ? { addr } : {}),
  };
}

/** Builds a snapshot from the three lists (junk entries dropped). */
export function swarmSnapshotFromJson(nodeId: string, services: readonly unknown[], tasks: readonly unknown[], nodes: readonly unknown[]): SwarmSnapshot {
  return {
    manager: true,
    nodeId,
    services: new Map(services.map(swarmServiceFromJson).flatMap((s) => (s ? [[s.id, s] as const] : []))),
    tasks: new Map(tasks.map(swarmTaskFromJson).flatMap((t) => (t ? [[t.id, t] as const] : []))),
    nodes: new Map(nodes.map(swarmNodeFromJson).flatMap((n) => (n ? [[n.id, n] as const] : []))),
  };
}

/** A snapshot with one service's tasks replaced (after `listTasks` filtered by that service). */
export function withServiceTasks(snapshot: SwarmSnapshot, serviceId: string, tasks: readonly SwarmTaskInfo[]): SwarmSnapshot {
  const next = new Map([...snapshot.tasks].filter(([, task]) => task.serviceId !== serviceId));
  for (const task of tasks) if (task.serviceId === serviceId) next.set(task.id, task);
  return { ...snapshot, tasks: next };
}

/** A snapshot with one service replaced, or removed (undefined) together with its tasks. */
export function withService(snapshot: SwarmSnapshot, serviceId: string, service: SwarmServiceInfo | undefined): SwarmSnapshot {
  const services = new Map(snapshot.services);
  if (service) services.set(serviceId, service);
  else services.delete(serviceId);
  const tasks = service ? snapshot.tasks : new Map([...snapshot.tasks].filter(([, task]) => task.serviceId !== serviceId));
  return { ...snapshot, services, tasks };
}

/** A snapshot with the nodes replaced. */
export function withNodes(snapshot: SwarmSnapshot, nodes: readonly SwarmNodeInfo[]): SwarmSnapshot {
  return { ...snapshot, nodes: new Map(nodes.map((node) => [node.id, node])) };
}

// ---- Task containers: not Compose containers, but read the same way so their health shows. ----

/** True for a container that runs a Swarm task (it carries `com.docker.swarm.task.id`). */
export function isTaskContainerLabels(labels: unknown): boolean {
  return typeof labelsOf(labels)[SWARM_TASK_ID_LABEL] === 'string';
}

/**
 * The Compose labels a task container is read with: `project` is `swarm/<stack>` (or `swarm` for a loose
 * service), a name Compose never gives a project (it forbids `/`), so a task container can never be mistaken
 * for a Compose project's; `service` is the full Swarm service name.
 */
export function taskContainerProject(stack: string | undefined): string {
  return stack ? `swarm/${stack}` : 'swarm';
}

function asComposeLabels(labels: Record<string, string>): Record<string, string> | undefined {
  const serviceName = labels[SWARM_SERVICE_NAME_LABEL];
  if (!labels[SWARM_TASK_ID_LABEL] || !serviceName) return undefined;
  return { ...labels, [PROJECT_LABEL]: taskContainerProject(labels[STACK_LABEL]), [SERVICE_LABEL]: serviceName };
}

/** Reads a task container from `GET /containers/json`; undefined for any other container. */
export function taskContainerFromSummary(json: unknown): ContainerInfo | undefined {
  if (!isObject(json)) return undefined;
  const labels = asComposeLabels(labelsOf(json.Labels));
  return labels ? containerFromSummary({ ...json, Labels: labels }) : undefined;
}

/** Reads a task container from `GET /containers/{id}/json`; undefined for any other container. */
export function taskContainerFromInspect(json: unknown): ContainerInfo | undefined {
  if (!isObject(json)) return undefined;
  const config = obj(json.Config);
  const labels = asComposeLabels(labelsOf(config.Labels));
  return labels ? containerFromInspect({ ...json, Config: { ...config, Labels: labels } }) : undefined;
}

// ---- Events: service and node events (container events are read by containers.ts). ----

export interface SwarmEvent {
  readonly type: 'service' | 'node';
  readonly action: string;
  readonly id: string;
  readonly name?: string;
  readonly timeNano?: number;
  /** Scale events carry `replicas.old` / `replicas.new`. */
  readonly replicas?: { readonly old?: number; readonly new?: number };
}

/** Reads a `service` or `node` message of `GET /events`; anything else gives undefined. */
export function parseSwarmEvent(json: unknown): SwarmEvent | undefined {
  if (!isObject(json)) return undefined;
  const type = str(json.Type) ?? str(json.type);
  if (type !== 'service' && type !== 'node') return undefined;
  const actor = obj(json.Actor);
  const id = str(actor.ID);
  const action = str(json.Action);
  if (!id || !action) return undefined;
  const attributes = labelsOf(actor.Attributes);
  const timeNano = num(json.timeNano);
  const oldReplicas = Number(attributes['replicas.old']);
  const newReplicas = Number(attributes['replicas.new']);
  const replicas = {
    ...(attributes['replicas.old'] !== undefined && Number.isInteger(oldReplicas) ? { old: oldReplicas } : {}),
    ...(attributes['replicas.new'] !== undefined && Number.isInteger(newReplicas) ? { new: newReplicas } : {}),
  };
  return {
    type,
    action,
    id,
    ...(attributes.name ? { name: attributes.name } : {}),
    ...(timeNano !== undefined ? { timeNano } : {}),
    ...(Object.keys(replicas).length > 0 ? { replicas } : {}),
  };
}

/** The task and service ids of a container event's attributes (container events carry the labels). */
export function taskOfContainerEvent(json: unknown): { readonly containerId: string; readonly taskId: string; readonly serviceId: string } | undefined {
  if (!isObject(json)) return undefined;
  if ((str(json.Type) ?? 'container') !== 'container') return undefined;
  const actor = obj(json.Actor);
  const attributes = labelsOf(actor.Attributes);
  const containerId = str(actor.ID);
  const taskId = attributes[SWARM_TASK_ID_LABEL];
  const serviceId = attributes[SWARM_SERVICE_ID_LABEL];
  return containerId && taskId && serviceId ? { containerId, taskId, serviceId } : undefined;
}

// ---- The tree ----

/** Tasks of a service kept after its current ones: the newest history (failed, shutdown), so a failure stays visible. */
export const TASK_HISTORY_PER_SERVICE = 3;

/** How a service is doing, for its icon: `ok` all desired tasks run; `failing` fewer, and a recent task failed. */
export type StackServiceStatus = 'ok' | 'starting' | 'failing' | 'updating' | 'scaled-to-zero' | 'pending';

export interface TaskNode {
  readonly key: string;
  readonly id: string;
  readonly serviceId: string;
  /** `web.1` for replicated tasks, `web.<node id>` for global ones, as `docker service ps` names them. */
  readonly name: string;
  readonly slot?: number;
  readonly nodeId?: string;
  /** The node's hostname, or its short id when unknown, or '' for an unscheduled task. */
  readonly nodeName: string;
  readonly state: SwarmTaskState;
  readonly desiredState: SwarmTaskState;
  /** False for history: a task the orchestrator shut down or replaced. */
  readonly current: boolean;
  readonly error?: string;
  readonly message: string;
  readonly exitCode?: number;
  readonly containerId?: string;
  /** The container's health while the task runs (from the task container), else `none`. */
  readonly health: Health;
  /** `Status.Timestamp`: since when the task is in its state. */
  readonly since: string;
}

export interface StackServiceNode {
  readonly key: string;
  readonly stackKey: string;
  /** The stack name, or '' in the loose-services pseudo-stack. */
  readonly stack: string;
  /** Without the `<stack>_` prefix. */
  readonly name: string;
  readonly fullName: string;
  readonly id: string;
  readonly mode: SwarmServiceMode;
  /** Tasks in state `running` (what `docker service ls` counts; with a healthcheck, a task runs once healthy). */
  readonly running: number;
  /** Replicas asked for; for global services, the tasks the orchestrator wants running (one per eligible node). */
  readonly desired: number;
  readonly status: StackServiceStatus;
  readonly updateState?: string;
  readonly updateMessage?: string;
  readonly image: string;
  readonly ports: readonly SwarmPort[];
  /** Worst health among current tasks: unhealthy, starting, healthy, else none. */
  readonly health: Health;
  /** Current tasks (by slot, then node), then up to TASK_HISTORY_PER_SERVICE history tasks, newest first. */
  readonly tasks: readonly TaskNode[];
}

export interface StackNode {
  readonly key: string;
  /** The stack name; '' for the pseudo-stack of services without a stack. */
  readonly name: string;
  /** True for the pseudo-stack of services without a stack label (key LOOSE_STACK_KEY). */
  readonly loose: boolean;
  readonly services: readonly StackServiceNode[];
  /** Running tasks across the stack's services, out of `desired`. */
  readonly running: number;
  readonly desired: number;
  /** Services with every desired task running and none unhealthy. */
  readonly healthy: number;
  /** Services whose health is unhealthy or whose status is failing. */
  readonly unhealthy: number;
  readonly total: number;
}

export function stackKey(stack: string | undefined): string {
  return stack ? `swarm\u0000${stack}` : LOOSE_STACK_KEY;
}

export function stackServiceKey(serviceId: string): string {
  return `swarm-service\u0000${serviceId}`;
}

export function taskKey(taskId: string): string {
  return `swarm-task\u0000${taskId}`;
}

/** States in which a task holds (or is getting) a container: the task is current while its desired state is not shutdown. */
const ENDED: ReadonlySet<string> = new Set(['complete', 'shutdown', 'failed', 'rejected', 'remove', 'orphaned']);
const HEALTH_PRECEDENCE: readonly Health[] = ['unhealthy', 'starting', 'healthy'];

/** Current while the orchestrator still wants it (desired running, ready, accepted); history once it wants it shut down. */
function isCurrent(task: SwarmTaskInfo): boolean {
  return !ENDED.has(task.desiredState);
}

function compareCurrent(a: TaskNode, b: TaskNode): number {
  return (a.slot ?? Number.MAX_SAFE_INTEGER) - (b.slot ?? Number.MAX_SAFE_INTEGER) || a.nodeName.localeCompare(b.nodeName) || a.id.localeCompare(b.id);
}

function newestFirst(a: TaskNode, b: TaskNode, versions: ReadonlyMap<string, number>): number {
  return b.since.localeCompare(a.since) || (versions.get(b.id) ?? 0) - (versions.get(a.id) ?? 0);
}

function shortName(service: SwarmServiceInfo): string {
  return service.stack && service.name.startsWith(`${service.stack}_`) ? service.name.slice(service.stack.length + 1) : service.name;
}

function taskNode(task: SwarmTaskInfo, service: SwarmServiceInfo, snapshot: SwarmSnapshot, containers: ReadonlyMap<string, ContainerInfo>): TaskNode {
  const node = task.nodeId ? snapshot.nodes.get(task.nodeId) : undefined;
  const container = task.containerId ? containers.get(task.containerId) : undefined;
  const live = task.state === 'running' || task.state === 'starting';
  return {
    key: taskKey(task.id),
    id: task.id,
    serviceId: task.serviceId,
    name: `${shortName(service)}.${task.slot ?? task.nodeId ?? task.id.slice(0, 12)}`,
    ...(task.slot !== undefined ? { slot: task.slot } : {}),
    ...(task.nodeId ? { nodeId: task.nodeId } : {}),
    nodeName: node?.hostname ?? task.nodeId?.slice(0, 12) ?? '',
    state: task.state,
    desiredState: task.desiredState,
    current: isCurrent(task),
    ...(task.error ? { error: task.error } : {}),
    message: task.message,
    ...(task.exitCode !== undefined ? { exitCode: task.exitCode } : {}),
    ...(task.containerId ? { containerId: task.containerId } : {}),
    health: live && container ? container.health : 'none',
    since: task.timestamp,
  };
}

function serviceStatus(running: number, desired: number, updateState: string | undefined, tasks: readonly TaskNode[]): StackServiceStatus {
  if (updateState === 'updating' || updateState === 'rollback_started') return 'updating';
  if (desired === 0) return running === 0 ? 'scaled-to-zero' : 'pending';
  if (running >= desired) return 'ok';
  const current = tasks.filter((t) => t.current);
  if (tasks.some((t) => !t.current && (t.state === 'failed' || t.state === 'rejected')) || current.some((t) => t.state === 'failed' || t.state === 'rejected')) return 'failing';
  if (current.some((t) => t.state === 'starting' || t.state === 'preparing' || t.state === 'ready' || t.state === 'assigned' || t.state === 'accepted')) return 'starting';
  return 'pending';
}

function buildService(service: SwarmServiceInfo, tasks: readonly SwarmTaskInfo[], snapshot: SwarmSnapshot, containers: ReadonlyMap<string, ContainerInfo>): StackServiceNode {
  const versions = new Map(tasks.map((t) => [t.id, t.version]));
  const nodes = tasks.map((task) => taskNode(task, service, snapshot, containers));
  const current = nodes.filter((t) => t.current).sort(compareCurrent);
  const history = nodes
    .filter((t) => !t.current)
    .sort((a, b) => newestFirst(a, b, versions))
    .slice(0, TASK_HISTORY_PER_SERVICE);
  const running = current.filter((t) => t.state === 'running').length;
  const desired =
    service.mode === 'replicated' ? (service.desiredReplicas ?? 0) : (service.desiredTasks ?? current.filter((t) => t.desiredState === 'running').length);
  const health = HEALTH_PRECEDENCE.find((h) => current.some((t) => t.health === h)) ?? 'none';
  const all = [...current, ...history];
  const stack = service.stack ?? '';
  return {
    key: stackServiceKey(service.id),
    stackKey: stackKey(service.stack),
    stack,
    name: shortName(service),
    fullName: service.name,
    id: service.id,
    mode: service.mode,
    running,
    desired,
    status: serviceStatus(running, desired, service.updateState, all),
    ...(service.updateState ? { updateState: service.updateState } : {}),
    ...(service.updateMessage ? { updateMessage: service.updateMessage } : {}),
    image: service.image,
    ports: service.ports,
    health,
    tasks: all,
  };
}

/**
 * Builds the stacks tree: stacks by name, then the pseudo-stack of loose services (key LOOSE_STACK_KEY)
 * last; services by name within a stack. `containers` are task containers (any other container is
 * ignored), matched to tasks by container id, for health.
 */
export function buildStacks(snapshot: SwarmSnapshot, containers: Iterable<ContainerInfo>): StackNode[] {
  const byId = new Map<string, ContainerInfo>();
  for (const container of containers) byId.set(container.id, container);
  const tasksByService = new Map<string, SwarmTaskInfo[]>();
  for (const task of snapshot.tasks.values()) {
    const list = tasksByService.get(task.serviceId) ?? [];
    list.push(task);
    tasksByService.set(task.serviceId, list);
  }
  const byStack = new Map<string, StackServiceNode[]>();
  for (const service of snapshot.services.values()) {
    const key = stackKey(service.stack);
    const list = byStack.get(key) ?? [];
    list.push(buildService(service, tasksByService.get(service.id) ?? [], snapshot, byId));
    byStack.set(key, list);
  }
  const stacks = [...byStack.entries()].map(([key, services]): StackNode => {
    services.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return {
      key,
      name: services[0]?.stack ?? '',
      loose: key === LOOSE_STACK_KEY,
      services,
      running: services.reduce((sum, s) => sum + s.running, 0),
      desired: services.reduce((sum, s) => sum + s.desired, 0),
      healthy: services.filter((s) => s.running >= s.desired && s.health !== 'unhealthy' && s.status !== 'failing').length,
      unhealthy: services.filter((s) => s.health === 'unhealthy' || s.status === 'failing').length,
      total: services.length,
    };
  });
  return stacks.sort((a, b) => Number(a.loose) - Number(b.loose) || a.name.localeCompare(b.name));
}

/** Which nodes of the stacks tree a refresh must redraw (like servicesModel's TreeChange). */
export interface StackTreeChange {
  /** Stacks were added or removed, or their order changed. */
  readonly root: boolean;
  readonly stacks: readonly string[];
  readonly services: readonly string[];
  readonly tasks: readonly string[];
}

function serviceSignature(s: StackServiceNode): string {
  return JSON.stringify([s.name, s.mode, s.running, s.desired, s.status, s.updateState, s.updateMessage, s.image, s.ports, s.health, s.tasks.map((t) => t.key)]);
}

function stackSignature(s: StackNode): string {
  return JSON.stringify([s.name, s.running, s.desired, s.healthy, s.unhealthy, s.total, s.services.map((x) => x.key)]);
}

/** Compares two stacks trees and lists the nodes whose item or children changed. */
export function diffStacks(before: readonly StackNode[], after: readonly StackNode[]): StackTreeChange {
  const root = before.length !== after.length || before.some((stack, index) => stack.key !== after[index]?.key);
  const stacks: string[] = [];
  const services: string[] = [];
  const tasks: string[] = [];
  const oldStacks = new Map(before.map((s) => [s.key, s]));
  for (const stack of after) {
    const old = oldStacks.get(stack.key);
    if (!old) continue;
    if (stackSignature(old) !== stackSignature(stack)) stacks.push(stack.key);
    const oldServices = new Map(old.services.map((s) => [s.key, s]));
    for (const service of stack.services) {
      const oldService = oldServices.get(service.key);
      if (!oldService) continue;
      if (serviceSignature(oldService) !== serviceSignature(service)) services.push(service.key);
      const oldTasks = new Map(oldService.tasks.map((t) => [t.key, t]));
      for (const task of service.tasks) {
        const oldTask = oldTasks.get(task.key);
        if (oldTask && JSON.stringify(oldTask) !== JSON.stringify(task)) tasks.push(task.key);
      }
    }
  }
  return { root, stacks, services, tasks };
}

// ---- Words for the editor ----

/** The stack's label: its name, or "services without a stack" for the pseudo-stack. */
export function stackLabel(stack: StackNode): Message {
  return stack.loose ? msg('services without a stack') : msg('{0}', stack.name);
}

/** "3/4 services running" for a stack's description. */
export function stackRollup(stack: StackNode): Message {
  if (stack.total === 0) return msg('no services');
  return msg('{0}/{1} services running', stack.healthy, stack.total);
}

export function stackSpeech(stack: StackNode): Message[] {
  const parts = [stackLabel(stack), stack.loose ? msg('swarm services') : msg('swarm stack'), stackRollup(stack)];
  if (stack.unhealthy > 0) parts.push(msg('{0} failing or unhealthy', stack.unhealthy));
  return parts;
}

/** "2/3" as `docker service ls` prints replicas. */
export function replicaText(service: StackServiceNode): string {
  return `${service.running}/${service.desired}`;
}

/** "2/3 · 8080:80" for a service's description line. */
export function stackServiceDescription(service: StackServiceNode): string {
  const parts = [replicaText(service)];
  if (service.mode === 'global') parts[0] += ' global';
  const ports = formatPorts(service.ports);
  if (ports !== '') parts.push(ports);
  return parts.join(' · ');
}

export function serviceStatusText(status: StackServiceStatus): Message {
  switch (status) {
    case 'ok':
      return msg('all replicas running');
    case 'starting':
      return msg('starting');
    case 'failing':
      return msg('tasks failing');
    case 'updating':
      return msg('updating');
    case 'scaled-to-zero':
      return msg('scaled to zero');
    case 'pending':
      return msg('waiting for tasks');
  }
}

/** `UpdateStatus.State` in words, with the engine's message when it has one. */
export function updateStateText(state: string, message?: string): Message {
  const detail = message && message.trim() !== '' ? message.trim() : undefined;
  switch (state) {
    case 'updating':
      return detail ? msg('update in progress: {0}', detail) : msg('update in progress');
    case 'paused':
      return detail ? msg('update paused: {0}', detail) : msg('update paused');
    case 'completed':
      return msg('update completed');
    case 'rollback_started':
      return detail ? msg('rolling back: {0}', detail) : msg('rolling back');
    case 'rollback_paused':
      return detail ? msg('rollback paused: {0}', detail) : msg('rollback paused');
    case 'rollback_completed':
      return msg('rolled back');
    default:
      return msg('update state {0}', state);
  }
}

export function serviceModeText(mode: SwarmServiceMode): Message {
  switch (mode) {
    case 'replicated':
      return msg('replicated');
    case 'global':
      return msg('global');
    case 'replicated-job':
      return msg('replicated job');
    case 'global-job':
      return msg('global job');
    case 'unknown':
      return msg('unknown mode');
  }
}

/** A task state as `docker service ps` words it, with the exit code of a failed task. */
export function taskStateText(state: SwarmTaskState, exitCode?: number): Message {
  switch (state) {
    case 'new':
      return msg('new');
    case 'allocated':
      return msg('allocated');
    case 'pending':
      return msg('pending');
    case 'assigned':
      return msg('assigned');
    case 'accepted':
      return msg('accepted');
    case 'preparing':
      return msg('preparing');
    case 'ready':
      return msg('ready');
    case 'starting':
      return msg('starting');
    case 'running':
      return msg('running');
    case 'complete':
      return msg('complete');
    case 'shutdown':
      return msg('shut down');
    case 'failed':
      return exitCode !== undefined ? msg('failed with exit code {0}', exitCode) : msg('failed');
    case 'rejected':
      return msg('rejected');
    case 'remove':
      return msg('being removed');
    case 'orphaned':
      return msg('orphaned');
    default:
      return msg('task state {0}', state);
  }
}

/** "web, 2/3 replicas running, tasks failing, unhealthy" for screen readers. */
export function stackServiceSpeech(service: StackServiceNode): Message[] {
  const parts = [msg('{0}', service.name), msg('{0} of {1} replicas running', service.running, service.desired), serviceStatusText(service.status)];
  if (service.health === 'unhealthy') parts.push(msg('unhealthy'));
  if (service.updateState && service.updateState !== 'completed') parts.push(updateStateText(service.updateState, service.updateMessage));
  return parts;
}

/** "web.1, running, on node vm, healthy" / "web.1, failed with exit code 3, task: non-zero exit (3)". */
export function taskSpeech(task: TaskNode): Message[] {
  const parts = [msg('{0}', task.name), taskStateText(task.state, task.exitCode)];
  if (!task.current) parts.push(msg('history'));
  if (task.nodeName !== '') parts.push(msg('on node {0}', task.nodeName));
  if (task.health !== 'none') parts.push(task.health === 'healthy' ? msg('healthy') : task.health === 'unhealthy' ? msg('unhealthy') : msg('health starting'));
  if (task.error) parts.push(msg('{0}', task.error));
  else if (task.state === 'pending' && task.message !== '') parts.push(msg('{0}', task.message));
  return parts;
}
