import { PassThrough, type Readable } from 'node:stream';
import type Docker from 'dockerode';
import type { Message } from '../../core/message';
import { STACK_LABEL, swarmServiceFromJson } from '../../core/docker/swarm';
import { classifySwarmError, globalModeScaleError, invalidReplicasError, type SwarmAction, type SwarmError, type SwarmErrorReason } from '../../core/docker/swarmErrors';

/**
 * Swarm actions through the Engine API (dockerode; never a shell): what `docker service scale`,
 * `docker service update --force`, `docker stack rm` and `docker service logs` do. Failures are thrown as
 * SwarmActionError, whose `userMessage` a view shows as is.
 */

export class SwarmActionError extends Error {
  readonly reason: SwarmErrorReason;
  readonly userMessage: Message;
  constructor(error: SwarmError, cause?: unknown) {
    super(`${error.reason}: ${error.message.template} ${error.message.args.join(' ')}`, cause === undefined ? undefined : { cause });
    this.name = 'SwarmActionError';
    this.reason = error.reason;
    this.userMessage = error.message;
  }
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The engine's text of a dockerode error (`json.message`, else the reason), and its status. */
function engineFailure(error: unknown): { statusCode?: number; text: string; code?: string } {
  const e = error as { statusCode?: number; json?: unknown; reason?: string; message?: string; code?: string };
  const json = isObject(e.json) ? e.json : undefined;
  const text = typeof json?.message === 'string' ? json.message : typeof e.json === 'string' ? e.json : (e.message ?? String(error));
  return { ...(typeof e.statusCode === 'number' ? { statusCode: e.statusCode } : {}), text, ...(typeof e.code === 'string' ? { code: e.code } : {}) };
}

function wrap(action: SwarmAction, target: string, error: unknown): SwarmActionError {
  if (error instanceof SwarmActionError) return error;
  const failure = engineFailure(error);
  return new SwarmActionError(classifySwarmError(action, target, failure.statusCode, failure.text, failure.code), error);
}

async function inspectService(client: Docker, serviceId: string, action: SwarmAction): Promise<Json> {
  try {
    const json: unknown = await client.getService(serviceId).inspect();
    if (!isObject(json)) throw new Error('the engine answered without a service');
    return json;
  } catch (error) {
    throw wrap(action, serviceId, error);
  }
}

async function updateService(client: Docker, serviceId: string, name: string, version: number, spec: Json, action: SwarmAction): Promise<void> {
  try {
    // docker-modem: `_query` goes to the query string (the version the spec was read at), `_body` is the new spec.
    await client.getService(serviceId).update({ _query: { version }, _body: spec });
  } catch (error) {
    throw wrap(action, name, error);
  }
}

/**
 * Sets a replicated service's replica count, as `docker service scale` does: reads the spec and its version,
 * sends it back with the new count. A global service is refused (it runs one task per node).
 */
export async function scaleService(client: Docker, serviceId: string, replicas: number): Promise<void> {
  if (!Number.isInteger(replicas) || replicas < 0 || replicas > 1000) throw new SwarmActionError(invalidReplicasError(String(replicas)));
  const json = await inspectService(client, serviceId, 'scale');
  const info = swarmServiceFromJson(json);
  const name = info?.name ?? serviceId;
  if (info && info.mode !== 'replicated') throw new SwarmActionError(globalModeScaleError(name));
  const spec = isObject(json.Spec) ? json.Spec : {};
  const mode = isObject(spec.Mode) ? spec.Mode : {};
  const replicated = isObject(mode.Replicated) ? mode.Replicated : {};
  await updateService(client, serviceId, name, info?.version ?? 0, { ...spec, Mode: { ...mode, Replicated: { ...replicated, Replicas: replicas } } }, 'scale');
}

/** Restarts every task of a service with the same spec, as `docker service update --force` does (ForceUpdate + 1). */
export async function forceUpdateService(client: Docker, serviceId: string): Promise<void> {
  const json = await inspectService(client, serviceId, 'force-update');
  const info = swarmServiceFromJson(json);
  const spec = isObject(json.Spec) ? json.Spec : {};
  const template = isObject(spec.TaskTemplate) ? spec.TaskTemplate : {};
  const forceUpdate = typeof template.ForceUpdate === 'number' ? template.ForceUpdate : 0;
  await updateService(client, serviceId, info?.name ?? serviceId, info?.version ?? 0, { ...spec, TaskTemplate: { ...template, ForceUpdate: forceUpdate + 1 } }, 'force-update');
}

export interface RemovedStack {
  /** Names of what was removed. */
  readonly services: readonly string[];
  readonly networks: readonly string[];
  readonly secrets: readonly string[];
  readonly configs: readonly string[];
  /** What could not be removed, with the engine's reason. */
  readonly failures: readonly { readonly kind: 'service' | 'network' | 'secret' | 'config'; readonly name: string; readonly message: Message }[];
}

/**
 * Removes a stack as `docker stack rm` does: its services, then its secrets, configs and networks (all found
 * by the `com.docker.stack.namespace` label). Returns at once, as the CLI does: the engine stops the tasks and
 * removes their containers afterwards (a few seconds). Throws only when nothing could be listed.
 */
export async function removeStack(client: Docker, stack: string): Promise<RemovedStack> {
  const filters = { label: [`${STACK_LABEL}=${stack}`] };
  let services: unknown[];
  let networks: unknown[];
  let secrets: unknown[];
  let configs: unknown[];
  try {
    [services, networks, secrets, configs] = await Promise.all([
      client.listServices({ filters }) as Promise<unknown[]>,
      client.listNetworks({ filters }) as Promise<unknown[]>,
      client.listSecrets({ filters }) as Promise<unknown[]>,
      client.listConfigs({ filters }) as Promise<unknown[]>,
    ]);
  } catch (error) {
    throw wrap('remove-stack', stack, error);
  }
  const failures: { kind: 'service' | 'network' | 'secret' | 'config'; name: string; message: Message }[] = [];
  const removed = { services: [] as string[], networks: [] as string[], secrets: [] as string[], configs: [] as string[] };
  const entries = (list: unknown[], nameOf: (json: Json) => unknown) =>
    list.filter(isObject).flatMap((json) => (typeof json.ID === 'string' || typeof json.Id === 'string' ? [{ id: String(json.ID ?? json.Id), name: String(nameOf(json) ?? json.ID ?? json.Id) }] : []));
  const attempt = async (kind: 'service' | 'network' | 'secret' | 'config', item: { id: string; name: string }, remove: () => Promise<unknown>, into: string[]) => {
    try {
      await remove();
      into.push(item.name);
    } catch (error) {
      const failure = engineFailure(error);
      // Already gone is what we wanted.
      if (failure.statusCode === 404) into.push(item.name);
      else failures.push({ kind, name: item.name, message: classifySwarmError('remove-stack', item.name, failure.statusCode, failure.text, failure.code).message });
    }
  };
  const specName = (json: Json) => (isObject(json.Spec) ? json.Spec.Name : undefined);
  for (const item of entries(services, specName)) await attempt('service', item, () => client.getService(item.id).remove(), removed.services);
  for (const item of entries(secrets, specName)) await attempt('secret', item, () => client.getSecret(item.id).remove(), removed.secrets);
  for (const item of entries(configs, specName)) await attempt('config', item, () => client.getConfig(item.id).remove(), removed.configs);
  for (const item of entries(networks, (json) => json.Name)) await attempt('network', item, () => client.getNetwork(item.id).remove(), removed.networks);
  return { ...removed, failures };
}

export interface ServiceLogLine {
  readonly stream: 'stdout' | 'stderr';
  /** One line without its newline; with `timestamps`, prefixed by the engine's RFC 3339 time. */
  readonly text: string;
}

export interface ServiceLogOptions {
  readonly follow?: boolean;
  /** Lines from the end per task; undefined: all. */
  readonly tail?: number;
  readonly timestamps?: boolean;
}

/**
 * A service's logs (all its tasks), as a readable stream of ServiceLogLine objects; destroy it to stop
 * following. The engine multiplexes stdout/stderr with 8-byte frame headers unless the service has a TTY.
 * The engine answers only when the tasks' log driver can be read (json-file, local, journald).
 */
export async function serviceLogs(client: Docker, serviceId: string, options: ServiceLogOptions = {}): Promise<Readable> {
  const json = await inspectService(client, serviceId, 'logs');
  const info = swarmServiceFromJson(json);
  const name = info?.name ?? serviceId;
  const spec = isObject(json.Spec) ? json.Spec : {};
  const template = isObject(spec.TaskTemplate) ? spec.TaskTemplate : {};
  const tty = isObject(template.ContainerSpec) && template.ContainerSpec.TTY === true;
  let raw: NodeJS.ReadableStream | Buffer;
  try {
    raw = (await client.getService(serviceId).logs({
      stdout: true,
      stderr: true,
      follow: options.follow ?? false,
      ...(options.tail !== undefined ? { tail: options.tail } : {}),
      ...(options.timestamps ? { timestamps: true } : {}),
    }));
  } catch (error) {
    throw wrap('logs', name, error);
  }
  const lines = new PassThrough({ objectMode: true });
  const splitter = new LogLineSplitter(tty, (line) => lines.write(line));
  if (Buffer.isBuffer(raw) || typeof raw === 'string') {
    splitter.push(Buffer.from(raw as Buffer | string));
    splitter.end();
    lines.end();
    return lines;
  }
  const source = raw;
  source.on('data', (chunk: Buffer | string) => splitter.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)));
  source.on('end', () => {
    splitter.end();
    lines.end();
  });
  source.on('error', (error: Error) => lines.destroy(wrap('logs', name, error)));
  lines.on('close', () => (source as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.());
  return lines;
}

/** Demultiplexes Engine log frames (or raw TTY bytes) into whole lines per stream. */
export class LogLineSplitter {
  private frames: Buffer<ArrayBufferLike> = Buffer.alloc(0);
  private readonly partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  constructor(
    private readonly tty: boolean,
    private readonly emit: (line: ServiceLogLine) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.tty) {
      this.text('stdout', chunk.toString('utf8'));
      return;
    }
    this.frames = this.frames.length === 0 ? chunk : Buffer.concat([this.frames, chunk]);
    // Frame: [stream type, 0, 0, 0, size (uint32 big endian)] then `size` bytes.
    while (this.frames.length >= 8) {
      const size = this.frames.readUInt32BE(4);
      if (this.frames.length < 8 + size) break;
      const type = this.frames[0];
      const payload = this.frames.subarray(8, 8 + size).toString('utf8');
      this.frames = this.frames.subarray(8 + size);
      this.text(type === 2 ? 'stderr' : 'stdout', payload);
    }
  }

  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream] !== '') this.emit({ stream, text: this.partial[stream] });
      this.partial[stream] = '';
    }
  }

  private text(stream: 'stdout' | 'stderr', text: string): void {
    const lines = (this.partial[stream] + text).split('\n');
    this.partial[stream] = lines.pop() ?? '';
    for (const line of lines) this.emit({ stream, text: line.replace(/\r$/, '') });
  }
}
