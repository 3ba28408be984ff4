import { msg, type Message } from '../message';
import { formatPorts, type ContainerInfo, type ContainerState, type Health, type PortBinding } from './containers';

/**
 * The services view's state: compose projects of the workspace -> their declared services -> the live
 * containers of each service, joined by the `com.docker.compose.project` / `.service` labels (never by
 * container names, which Compose v1 and v2 spell differently). Pure: containers in, tree and rollups out.
 */

export interface ProjectInput {
  /** Stable identity of the compose family (its folder), used for tree ids. */
  readonly key: string;
  /** The project name Compose uses (`composeProjectName`). */
  readonly name: string;
  /** Services declared in the development configuration (base + override), in declaration order. */
  readonly services: readonly string[];
}

export type ServiceState = ContainerState | 'not-created' | 'unknown';

export interface ServiceNode {
  readonly key: string;
  readonly projectKey: string;
  readonly project: string;
  readonly name: string;
  /** False for a service that has containers but is no longer declared (Compose calls them orphans). */
  readonly declared: boolean;
  readonly state: ServiceState;
  readonly exitCode?: number;
  readonly health: Health;
  /** Replicas running, out of `replicas` (one-off `compose run` containers are not replicas). */
  readonly running: number;
  readonly replicas: number;
  readonly ports: readonly PortBinding[];
  /** Replicas first (by number), then one-off containers. */
  readonly containers: readonly ContainerInfo[];
}

export interface ProjectNode {
  readonly key: string;
  readonly name: string;
  readonly services: readonly ServiceNode[];
  /** Running services that are healthy or have no healthcheck. */
  readonly healthy: number;
  readonly unhealthy: number;
  readonly running: number;
  /** Declared services. */
  readonly total: number;
  /** False while the daemon is unreachable: states are unknown. */
  readonly live: boolean;
}

export function serviceKey(projectKey: string, service: string): string {
  return `${projectKey}\u0000${service}`;
}

const STATE_PRECEDENCE: readonly ContainerState[] = ['restarting', 'running', 'paused', 'dead', 'removing', 'exited', 'created'];
const HEALTH_PRECEDENCE: readonly Health[] = ['unhealthy', 'starting', 'healthy'];

function rollUpService(projectKey: string, project: string, name: string, declared: boolean, containers: readonly ContainerInfo[], live: boolean): ServiceNode {
  const sorted = [...containers].sort(
    (a, b) => Number(a.oneOff) - Number(b.oneOff) || (a.number ?? Number.MAX_SAFE_INTEGER) - (b.number ?? Number.MAX_SAFE_INTEGER) || a.name.localeCompare(b.name),
  );
  const replicas = sorted.filter((c) => !c.oneOff);
  const counted = replicas.length > 0 ? replicas : sorted;
  let state: ServiceState = live ? 'not-created' : 'unknown';
  let exitCode: number | undefined;
  if (live && counted.length > 0) {
    state = STATE_PRECEDENCE.find((candidate) => counted.some((c) => c.state === candidate)) ?? 'exited';
    // The most telling exit code: a failure before a clean exit.
    const exits = counted.filter((c) => c.state === state && c.exitCode !== undefined).map((c) => c.exitCode!);
    if (exits.length > 0) exitCode = exits.find((code) => code !== 0) ?? exits[0];
  }
  const health = live ? (HEALTH_PRECEDENCE.find((candidate) => counted.some((c) => c.health === candidate)) ?? 'none') : 'none';
  const ports = counted.flatMap((c) => c.ports);
  return {
    key: serviceKey(projectKey, name),
    projectKey,
    project,
    name,
    declared,
    state,
    ...(exitCode !== undefined ? { exitCode } : {}),
    health,
    running: live ? replicas.filter((c) => c.state === 'running').length : 0,
    replicas: live ? replicas.length : 0,
    ports: uniquePorts(ports),
    containers: live ? sorted : [],
  };
}

function uniquePorts(ports: readonly PortBinding[]): PortBinding[] {
  const seen = new Map<string, PortBinding>();
  for (const port of ports) seen.set(`${port.hostPort ?? ''}:${port.containerPort}/${port.protocol}`, port);
  return [...seen.values()];
}

/**
 * Builds the tree. `live` is false while the daemon cannot be reached: every declared service is shown
 * with an unknown state and no containers. Containers of projects not in `projects` are ignored;
 * containers of a project's undeclared services appear after the declared ones, marked `declared: false`.
 */
export function buildProjects(projects: readonly ProjectInput[], containers: Iterable<ContainerInfo>, live: boolean): ProjectNode[] {
  const byProject = new Map<string, Map<string, ContainerInfo[]>>();
  if (live) {
    for (const container of containers) {
      const services = byProject.get(container.project) ?? new Map<string, ContainerInfo[]>();
      const list = services.get(container.service) ?? [];
      list.push(container);
      services.set(container.service, list);
      byProject.set(container.project, services);
    }
  }
  return projects.map((project) => {
    const live_ = byProject.get(project.name) ?? new Map<string, ContainerInfo[]>();
    const declared = project.services.map((name) => rollUpService(project.key, project.name, name, true, live_.get(name) ?? [], live));
    const orphans = [...live_.keys()]
      .filter((name) => !project.services.includes(name))
      .sort()
      .map((name) => rollUpService(project.key, project.name, name, false, live_.get(name) ?? [], live));
    const runningServices = declared.filter((s) => s.state === 'running');
    return {
      key: project.key,
      name: project.name,
      services: [...declared, ...orphans],
      healthy: runningServices.filter((s) => s.health === 'healthy' || s.health === 'none').length,
      unhealthy: declared.filter((s) => s.health === 'unhealthy').length,
      running: runningServices.length,
      total: declared.length,
      live,
    };
  });
}

/** Unhealthy services across projects: the view's badge. */
export function unhealthyCount(projects: readonly ProjectNode[]): number {
  return projects.reduce((sum, project) => sum + project.services.filter((s) => s.health === 'unhealthy').length, 0);
}

/** Which nodes a refresh must redraw: the tree's root when projects were added or removed, else the changed nodes. */
export interface TreeChange {
  readonly root: boolean;
  readonly projects: readonly string[];
  readonly services: readonly string[];
  readonly containers: readonly string[];
}

function serviceSignature(service: ServiceNode): string {
  return JSON.stringify([service.declared, service.state, service.exitCode, service.health, service.running, service.replicas, service.ports, service.containers.map((c) => c.id)]);
}

function projectSignature(project: ProjectNode): string {
  return JSON.stringify([project.name, project.healthy, project.unhealthy, project.running, project.total, project.live, project.services.map((s) => s.key)]);
}

/**
 * Compares two trees and lists the nodes whose item or children changed, so the editor redraws only those
 * (a health flip redraws one container, its service and, when the rollup moved, its project).
 */
export function diffProjects(before: readonly ProjectNode[], after: readonly ProjectNode[]): TreeChange {
  const root = before.length !== after.length || before.some((project, index) => project.key !== after[index]?.key);
  const projects: string[] = [];
  const services: string[] = [];
  const containers: string[] = [];
  const oldProjects = new Map(before.map((p) => [p.key, p]));
  for (const project of after) {
    const old = oldProjects.get(project.key);
    if (!old) continue;
    if (projectSignature(old) !== projectSignature(project)) projects.push(project.key);
    const oldServices = new Map(old.services.map((s) => [s.key, s]));
    for (const service of project.services) {
      const oldService = oldServices.get(service.key);
      if (!oldService) continue;
      if (serviceSignature(oldService) !== serviceSignature(service)) services.push(service.key);
      const oldContainers = new Map(oldService.containers.map((c) => [c.id, c]));
      for (const container of service.containers) {
        const oldContainer = oldContainers.get(container.id);
        if (oldContainer && JSON.stringify(oldContainer) !== JSON.stringify(container)) containers.push(container.id);
      }
    }
  }
  return { root, projects, services, containers };
}

// ---- Words for the editor: every state and health is also spoken (accessibility labels, descriptions). ----

export function stateText(state: ServiceState, exitCode?: number): Message {
  switch (state) {
    case 'not-created':
      return msg('not created');
    case 'unknown':
      return msg('state unknown');
    case 'created':
      return msg('created');
    case 'running':
      return msg('running');
    case 'paused':
      return msg('paused');
    case 'restarting':
      return exitCode !== undefined ? msg('restarting, last exit code {0}', exitCode) : msg('restarting');
    case 'removing':
      return msg('removing');
    case 'exited':
      return exitCode !== undefined ? msg('exited with code {0}', exitCode) : msg('exited');
    case 'dead':
      return msg('dead');
  }
}

export function healthText(health: Health): Message {
  switch (health) {
    case 'healthy':
      return msg('healthy');
    case 'unhealthy':
      return msg('unhealthy');
    case 'starting':
      return msg('health starting');
    case 'none':
      return msg('no health check');
  }
}

/** "web, running, healthy": name, state and health, for screen readers and UI tests. */
export function serviceSpeech(service: ServiceNode): Message[] {
  const parts = [msg('{0}', service.name), stateText(service.state, service.exitCode)];
  if (service.state !== 'unknown' && service.state !== 'not-created') parts.push(healthText(service.health));
  if (service.replicas > 1) parts.push(msg('{0} of {1} replicas running', service.running, service.replicas));
  if (!service.declared) parts.push(msg('not declared in the compose files'));
  return parts;
}

export function containerSpeech(container: ContainerInfo): Message[] {
  return [msg('{0}', container.name), stateText(container.state, container.exitCode), healthText(container.health)];
}

/** "3/4 healthy", or why there is nothing to count. */
export function projectRollup(project: ProjectNode): Message {
  if (!project.live) return msg('state unknown');
  if (project.total === 0) return msg('no services');
  return msg('{0}/{1} healthy', project.healthy, project.total);
}

export function projectSpeech(project: ProjectNode): Message[] {
  const parts = [msg('{0}', project.name), msg('compose project'), projectRollup(project)];
  if (project.live && project.unhealthy > 0) parts.push(msg('{0} unhealthy', project.unhealthy));
  return parts;
}

/** Description of a service node: replicas "2/3" when it has containers, and its published ports. */
export function serviceDescription(service: ServiceNode): string {
  const parts: string[] = [];
  if (service.replicas > 0) parts.push(`${service.running}/${service.replicas}`);
  const ports = formatPorts(service.ports);
  if (ports !== '') parts.push(ports);
  return parts.join(' · ');
}

/** A compact duration: `42s`, `5m`, `2h 5m`, `3d 4h`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours}h` : `${hours}h ${minutes % 60}m`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days}d` : `${days}d ${hours % 24}h`;
}

/** "Up 5m" / "Exited 3m ago" for a tooltip, from the inspect timestamps and the current time. */
export function uptimeText(container: ContainerInfo, now: number): Message | undefined {
  if ((container.state === 'running' || container.state === 'paused') && container.startedAt) {
    const started = Date.parse(container.startedAt);
    if (Number.isFinite(started)) return msg('up {0}', formatDuration(now - started));
  }
  if ((container.state === 'exited' || container.state === 'dead') && container.finishedAt) {
    const finished = Date.parse(container.finishedAt);
    if (Number.isFinite(finished)) return msg('finished {0} ago', formatDuration(now - finished));
  }
  return undefined;
}
