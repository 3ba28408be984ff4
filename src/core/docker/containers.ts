/**
 * Containers as the services view needs them, read from Engine API JSON (`GET /containers/json` and
 * `GET /containers/{id}/json`). Only the fields we use are read, defensively: the JSON comes from a daemon
 * we do not control (Docker 20.10 with API 1.41 up to current releases, Podman's compatible API).
 */

export const PROJECT_LABEL = 'com.docker.compose.project';
export const SERVICE_LABEL = 'com.docker.compose.service';
export const NUMBER_LABEL = 'com.docker.compose.container-number';
export const ONEOFF_LABEL = 'com.docker.compose.oneoff';
export const WORKING_DIR_LABEL = 'com.docker.compose.project.working_dir';
export const CONFIG_FILES_LABEL = 'com.docker.compose.project.config_files';

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
export type Health = 'healthy' | 'unhealthy' | 'starting' | 'none';

export interface ProbeResult {
  readonly start: string;
  readonly end: string;
  readonly exitCode: number;
  readonly output: string;
}

export interface PortBinding {
  readonly containerPort: number;
  readonly protocol: string;
  readonly hostIp?: string;
  readonly hostPort?: number;
}

export interface ContainerInfo {
  readonly id: string;
  /** Without the leading '/'. */
  readonly name: string;
  readonly project: string;
  readonly service: string;
  /** `com.docker.compose.container-number`, the replica's index. */
  readonly number?: number;
  /** A `compose run` container: shown, but not counted as a replica. */
  readonly oneOff: boolean;
  readonly state: ContainerState;
  readonly exitCode?: number;
  /** Health while the container runs; `none` when it has no healthcheck or is not running. */
  readonly health: Health;
  readonly failingStreak: number;
  /** The last probe results, oldest first (the daemon keeps five). */
  readonly probes: readonly ProbeResult[];
  readonly image: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly restartCount?: number;
  readonly ports: readonly PortBinding[];
  readonly workingDir?: string;
  readonly configFiles?: readonly string[];
  /** True when read from inspect (health, probes and restart count are known), false from a list entry. */
  readonly inspected: boolean;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

const STATES: readonly ContainerState[] = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];

function toState(value: unknown): ContainerState | undefined {
  const text = str(value)?.toLowerCase();
  return STATES.find((state) => state === text);
}

function toHealth(value: unknown): Health {
  const text = str(value)?.toLowerCase();
  return text === 'healthy' || text === 'unhealthy' || text === 'starting' ? text : 'none';
}

function labelsOf(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  const labels: Record<string, string> = {};
  for (const [key, label] of Object.entries(value)) if (typeof label === 'string') labels[key] = label;
  return labels;
}

function composeLabels(labels: Record<string, string>) {
  const project = labels[PROJECT_LABEL];
  const service = labels[SERVICE_LABEL];
  if (!project || !service) return undefined;
  const number = Number(labels[NUMBER_LABEL]);
  const configFiles = labels[CONFIG_FILES_LABEL];
  return {
    project,
    service,
    ...(Number.isInteger(number) && number > 0 ? { number } : {}),
    oneOff: (labels[ONEOFF_LABEL] ?? '').toLowerCase() === 'true',
    ...(labels[WORKING_DIR_LABEL] ? { workingDir: labels[WORKING_DIR_LABEL] } : {}),
    ...(configFiles ? { configFiles: configFiles.split(',').filter((f) => f !== '') } : {}),
  };
}

/** Health only means something while the process lives: an exited container still reports its last status. */
function liveHealth(state: ContainerState, health: Health): Health {
  return state === 'running' || state === 'paused' ? health : 'none';
}

const ZERO_TIME = /^0001-01-01/;

/**
 * Reads one entry of `GET /containers/json`. Returns undefined for a container without the Compose
 * project and service labels. API 1.41 entries carry no Health: it is read from the Status text
 * (`Up 5 minutes (healthy)`) until an inspect gives the real one; API 1.52 adds `Health.Status`.
 */
export function containerFromSummary(json: unknown): ContainerInfo | undefined {
  if (!isObject(json)) return undefined;
  const id = str(json.Id);
  const compose = composeLabels(labelsOf(json.Labels));
  const state = toState(json.State);
  if (!id || !compose || !state) return undefined;
  const status = str(json.Status) ?? '';
  const healthField = isObject(json.Health) ? toHealth(json.Health.Status) : undefined;
  const healthText = /\((healthy|unhealthy|health: starting)\)/.exec(status)?.[1];
  const health = healthField ?? toHealth(healthText === 'health: starting' ? 'starting' : healthText);
  const exit = /^(?:Exited|Restarting) \((-?\d+)\)/.exec(status);
  const names = Array.isArray(json.Names) ? json.Names.filter((n): n is string => typeof n === 'string') : [];
  const ports: PortBinding[] = (Array.isArray(json.Ports) ? json.Ports : []).flatMap((port): PortBinding[] => {
    if (!isObject(port)) return [];
    const containerPort = num(port.PrivatePort);
    if (containerPort === undefined) return [];
    const hostPort = num(port.PublicPort);
    const hostIp = str(port.IP);
    return [{ containerPort, protocol: str(port.Type) ?? 'tcp', ...(hostIp ? { hostIp } : {}), ...(hostPort ? { hostPort } : {}) }];
  });
  return {
    id,
    name: (names[0] ?? id.slice(0, 12)).replace(/^\//, ''),
    ...compose,
    state,
    ...(exit && (state === 'exited' || state === 'dead' || state === 'restarting') ? { exitCode: Number(exit[1]) } : {}),
    health: liveHealth(state, health),
    failingStreak: 0,
    probes: [],
    image: str(json.Image) ?? '',
    ports: dedupePorts(ports),
    inspected: false,
  };
}

/** Reads `GET /containers/{id}/json`. Returns undefined for a container without the Compose labels. */
export function containerFromInspect(json: unknown): ContainerInfo | undefined {
  if (!isObject(json)) return undefined;
  const id = str(json.Id);
  const config = isObject(json.Config) ? json.Config : {};
  const compose = composeLabels(labelsOf(config.Labels));
  const stateJson = isObject(json.State) ? json.State : {};
  const state = toState(stateJson.Status);
  if (!id || !compose || !state) return undefined;
  const healthJson = isObject(stateJson.Health) ? stateJson.Health : undefined;
  const probes: ProbeResult[] = (healthJson && Array.isArray(healthJson.Log) ? healthJson.Log : []).flatMap((entry): ProbeResult[] =>
    isObject(entry) ? [{ start: str(entry.Start) ?? '', end: str(entry.End) ?? '', exitCode: num(entry.ExitCode) ?? -1, output: str(entry.Output) ?? '' }] : [],
  );
  const startedAt = str(stateJson.StartedAt);
  const finishedAt = str(stateJson.FinishedAt);
  const exitCode = num(stateJson.ExitCode);
  const networkSettings = isObject(json.NetworkSettings) ? json.NetworkSettings : {};
  const portMap = isObject(networkSettings.Ports) ? networkSettings.Ports : {};
  const ports: PortBinding[] = Object.entries(portMap).flatMap(([key, bindings]): PortBinding[] => {
    const [portText, protocol = 'tcp'] = key.split('/');
    const containerPort = Number(portText);
    if (!Number.isInteger(containerPort)) return [];
    if (!Array.isArray(bindings) || bindings.length === 0) return [{ containerPort, protocol }];
    return bindings.flatMap((binding): PortBinding[] => {
      if (!isObject(binding)) return [];
      const hostPort = Number(str(binding.HostPort));
      const hostIp = str(binding.HostIp);
      return [{ containerPort, protocol, ...(hostIp ? { hostIp } : {}), ...(Number.isInteger(hostPort) && hostPort > 0 ? { hostPort } : {}) }];
    });
  });
  const restartCount = num(json.RestartCount);
  return {
    id,
    name: (str(json.Name) ?? id.slice(0, 12)).replace(/^\//, ''),
    ...compose,
    state,
    ...(exitCode !== undefined && (state === 'exited' || state === 'dead' || state === 'restarting') ? { exitCode } : {}),
    health: liveHealth(state, toHealth(healthJson?.Status)),
    failingStreak: num(healthJson?.FailingStreak) ?? 0,
    probes,
    image: str(config.Image) ?? str(json.Image) ?? '',
    ...(startedAt && !ZERO_TIME.test(startedAt) ? { startedAt } : {}),
    ...(finishedAt && !ZERO_TIME.test(finishedAt) ? { finishedAt } : {}),
    ...(restartCount !== undefined ? { restartCount } : {}),
    ports: dedupePorts(ports),
    inspected: true,
  };
}

/** Docker lists a published port once for IPv4 and once for IPv6; the view shows it once. */
function dedupePorts(ports: readonly PortBinding[]): PortBinding[] {
  const seen = new Map<string, PortBinding>();
  for (const port of ports) {
    const key = `${port.hostPort ?? ''}:${port.containerPort}/${port.protocol}`;
    if (!seen.has(key)) seen.set(key, port);
  }
  return [...seen.values()].sort((a, b) => a.containerPort - b.containerPort || (a.hostPort ?? 0) - (b.hostPort ?? 0));
}

/** `8080:80`, `80/udp` ... for a description line. */
export function formatPorts(ports: readonly PortBinding[]): string {
  const texts = ports.map((port) => {
    const inside = `${port.containerPort}${port.protocol === 'tcp' ? '' : '/' + port.protocol}`;
    return port.hostPort ? `${port.hostPort}:${inside}` : inside;
  });
  return [...new Set(texts)].join(', ');
}

export type EngineEventAction = 'create' | 'start' | 'die' | 'stop' | 'kill' | 'pause' | 'unpause' | 'destroy' | 'rename' | 'health_status' | 'restart' | 'oom';

/** The container events the view listens to; `health_status` matches `health_status: healthy` too (the daemon fuzzy-matches it). */
export const WATCHED_EVENTS: readonly EngineEventAction[] = ['create', 'start', 'die', 'stop', 'kill', 'pause', 'unpause', 'destroy', 'rename', 'health_status'];

export interface EngineEvent {
  readonly id: string;
  readonly action: EngineEventAction;
  /** For `health_status: <status>` events. */
  readonly health?: Health;
  readonly project?: string;
  readonly service?: string;
  readonly name?: string;
  /** Nanoseconds since the epoch, as the daemon sent it (`timeNano`). */
  readonly timeNano?: number;
}

/** Reads one message of `GET /events` (a container event); anything else gives undefined. */
export function parseEngineEvent(json: unknown): EngineEvent | undefined {
  if (!isObject(json)) return undefined;
  const type = str(json.Type) ?? str(json.type);
  if (type !== undefined && type !== 'container') return undefined;
  const actor = isObject(json.Actor) ? json.Actor : {};
  const id = str(actor.ID) ?? str(json.id);
  const rawAction = str(json.Action) ?? str(json.status) ?? '';
  if (!id) return undefined;
  const [head = '', tail] = rawAction.split(':').map((part) => part.trim());
  const known: readonly string[] = [...WATCHED_EVENTS, 'restart', 'oom'];
  if (!known.includes(head)) return undefined;
  const labels = labelsOf(actor.Attributes);
  const timeNano = num(json.timeNano);
  return {
    id,
    action: head as EngineEventAction,
    ...(head === 'health_status' && tail ? { health: toHealth(tail) } : {}),
    ...(labels[PROJECT_LABEL] ? { project: labels[PROJECT_LABEL] } : {}),
    ...(labels[SERVICE_LABEL] ? { service: labels[SERVICE_LABEL] } : {}),
    ...(labels.name ? { name: labels.name } : {}),
    ...(timeNano !== undefined ? { timeNano } : {}),
  };
}

/**
 * Splits a chunked JSON-lines stream (`GET /events`) into whole messages. Returns the parsed messages and
 * the incomplete rest to prepend to the next chunk. Lines that are not JSON are skipped.
 */
export function splitJsonLines(buffered: string, chunk: string): { messages: unknown[]; rest: string } {
  const text = buffered + chunk;
  const lines = text.split('\n');
  const rest = lines.pop() ?? '';
  const messages: unknown[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    try {
      messages.push(JSON.parse(line));
    } catch {
      // A corrupt line loses one event; the next resync repairs the state.
    }
  }
  return { messages, rest };
}
