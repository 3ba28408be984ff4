import { parseEnvFile } from '../compose/envFile';
import { buildConfigs, type FamilySources } from '../compose/project';
import { toPlain } from '../compose/model';
import { type Message, msg } from '../message';
import { parseYaml } from '../yaml/parse';
import { displayCommand } from './composeCommand';

/**
 * `docker stack deploy` as data: which files, which arguments, which warnings, and (for docker CLIs older
 * than 23, which refuse stack files without a top-level `version`) the text of a generated merged copy.
 * The editor asks, writes the copy to a private temporary file and runs the command in a terminal.
 */

export type ResolveImage = 'always' | 'changed' | 'never';

/** Reads `composeBlueprint.swarm.resolveImage`; junk means Docker's own default, `always`. */
export function normalizeResolveImage(raw: unknown): ResolveImage {
  return raw === 'changed' || raw === 'never' ? raw : 'always';
}

export interface StackFile {
  /** Absolute path, as the docker CLI will read it. */
  readonly path: string;
  readonly text: string;
}

export interface StackDeployInput {
  /** The docker CLI to run (`docker`, or a path). */
  readonly docker: string;
  /** `docker version --format '{{.Client.Version}}'`; undefined when it could not be read. */
  readonly clientVersion?: string;
  readonly stack: string;
  /** The project folder (absolute): the terminal's working folder and the base of relative paths. */
  readonly folder: string;
  readonly base: StackFile;
  /** The production file; undefined deploys the base file alone. */
  readonly prod?: StackFile;
  readonly resolveImage: ResolveImage;
  /** `--prune`: remove the stack's services that the files no longer declare. */
  readonly prune?: boolean;
  /** `--with-registry-auth`: send the CLI's registry credentials to the Swarm agents, so nodes can pull private images. */
  readonly withRegistryAuth?: boolean;
  /** The project's `.env` text: stack deploy does not read it, so its variables are given to the command's environment. */
  readonly envText?: string;
  /** Variables already set in the environment the command inherits (they win over `.env`, as in Compose). */
  readonly inheritedEnv?: Readonly<Record<string, string | undefined>>;
  /** Where the generated copy will be written when one is needed (the editor picks a private temporary path). */
  readonly generatedPath: string;
}

export interface StackDeployPlan {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** Variables to add to the command's environment (from `.env`, never overriding inherited ones). */
  readonly env: Readonly<Record<string, string>>;
  /** Set when the CLI needs a `version` key the files lack: write this text (0600) at `path`, remove it afterwards. */
  readonly generated?: { readonly path: string; readonly text: string };
  readonly warnings: readonly Message[];
  /** The command line as shown to the user (quoted for reading, never executed). */
  readonly display: string;
}

/** The major version of a docker CLI version string (`20.10.24+dfsg1` -> 20), or undefined. */
export function cliMajor(version: string | undefined): number | undefined {
  const match = /^v?(\d+)\./.exec(version?.trim() ?? '');
  return match ? Number(match[1]) : undefined;
}

/** Docker CLIs before 23 load stack files with the old v3 loader: every file needs the same `version: "3.x"`. */
export function cliNeedsVersionKey(version: string | undefined): boolean {
  const major = cliMajor(version);
  return major !== undefined && major < 23;
}

/** The top-level `version` of a compose file's text, or undefined. */
export function topLevelVersion(text: string): string | undefined {
  const root = parseYaml(text).root;
  if (root?.kind !== 'map') return undefined;
  for (const pair of root.items) {
    if (pair.key.kind === 'scalar' && pair.key.value === 'version' && pair.value?.kind === 'scalar' && pair.value.value !== null) return String(pair.value.value);
  }
  return undefined;
}

/** True when the old loader accepts the files as written: each has the same `version` 3.x. */
export function filesHaveV3Version(files: readonly StackFile[]): boolean {
  const versions = files.map((file) => topLevelVersion(file.text));
  return versions.every((v) => v !== undefined && /^3(\.\d+)?$/.test(v) && v === versions[0]);
}

const STACK_NAME = /^[a-zA-Z0-9](?:[a-zA-Z0-9_-]*[a-zA-Z0-9])?$/;

/** Why a stack name would be refused (service names become `<stack>_<service>`, at most 63 characters), or undefined. */
export function validateStackName(name: string): Message | undefined {
  if (name.trim() === '') return msg('Enter a stack name.');
  if (!STACK_NAME.test(name)) return msg('A stack name has letters, digits, "-" and "_", and starts and ends with a letter or digit.');
  if (name.length > 50) return msg('A stack name has at most 50 characters (Swarm service names are at most 63).');
  return undefined;
}

/** The variables of `.env` that the command's environment does not already set. */
export function dotenvForCommand(envText: string | undefined, inherited: Readonly<Record<string, string | undefined>> = {}): Record<string, string> {
  if (envText === undefined) return {};
  const result: Record<string, string> = {};
  for (const [key, value] of parseEnvFile(envText).values) if (inherited[key] === undefined) result[key] = value;
  return result;
}

/**
 * Plans `docker stack deploy`. Modern CLIs get the files as written (`-c base -c prod`); a CLI older than 23
 * whose files lack a common `version: "3.x"` gets one generated merged copy with `version: "3.8"` (the user's
 * files are never edited).
 */
export function planStackDeploy(input: StackDeployInput): StackDeployPlan {
  const files = input.prod ? [input.base, input.prod] : [input.base];
  const warnings: Message[] = [];
  const env = dotenvForCommand(input.envText, input.inheritedEnv);
  if (Object.keys(env).length > 0) warnings.push(msg('docker stack deploy does not read .env: its {0} variables are passed to the command\'s environment (variables already set win).', Object.keys(env).length));
  if (input.clientVersion === undefined) warnings.push(msg('The docker CLI version could not be read: the files are passed as written.'));
  let fileArgs: string[];
  let generated: StackDeployPlan['generated'];
  const copy = generatedStackFile(files, input.folder);
  const needsVersion = cliNeedsVersionKey(input.clientVersion) && !filesHaveV3Version(files);
  if (needsVersion || copy.dropped.length > 0 || copy.dependsOnConditions.length > 0 || copy.overlayNetworks.length > 0) {
    generated = { path: input.generatedPath, text: copy.text };
    fileArgs = ['-c', input.generatedPath];
    const names = files.map((f) => baseName(f.path)).join(' + ');
    if (needsVersion) warnings.push(msg('docker CLI {0} needs a top-level version in stack files: a merged copy of {1} with version "3.8" is deployed from a temporary file (your files are not changed).', input.clientVersion ?? '', names));
    else warnings.push(msg('docker stack deploy would refuse {0} as written: a merged copy with version "3.8" is deployed from a temporary file (your files are not changed).', names));
    for (const dropped of copy.dropped) warnings.push(msg('The stack file format has no {0}: left out of the copy.', dropped));
    if (copy.dependsOnConditions.length > 0) warnings.push(msg('docker stack deploy accepts depends_on only as a list: the copy lists the dependencies of {0} without their conditions (Swarm ignores depends_on anyway).', copy.dependsOnConditions.join(', ')));
    for (const network of copy.overlayNetworks) warnings.push(msg('Swarm services cannot join the bridge network "{0}": the copy declares it with the overlay driver.', network));
  } else fileArgs = files.flatMap((file) => ['-c', file.path]);
  if (input.prune) warnings.push(msg('--prune removes the services of stack "{0}" that these files no longer declare.', input.stack));
  const args = ['stack', 'deploy', ...(input.prune ? ['--prune'] : []), '--resolve-image', input.resolveImage, ...(input.withRegistryAuth ? ['--with-registry-auth'] : []), ...fileArgs, input.stack];
  return { command: input.docker, args, cwd: input.folder, env, ...(generated ? { generated } : {}), warnings, display: displayCommand({ command: input.docker, args }) };
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

// ---- the merged copy for old CLIs ----

/** Service keys of the Compose file format 3.8 (docker/cli schema config_schema_v3.8.json). */
const V38_SERVICE_KEYS = new Set([
  'deploy', 'build', 'cap_add', 'cap_drop', 'cgroup_parent', 'command', 'configs', 'container_name', 'credential_spec', 'depends_on', 'devices', 'dns',
  'dns_search', 'domainname', 'entrypoint', 'env_file', 'environment', 'expose', 'external_links', 'extra_hosts', 'healthcheck', 'hostname', 'image',
  'init', 'ipc', 'isolation', 'labels', 'links', 'logging', 'mac_address', 'network_mode', 'networks', 'pid', 'ports', 'privileged', 'read_only',
  'restart', 'secrets', 'security_opt', 'shm_size', 'stdin_open', 'stop_grace_period', 'stop_signal', 'sysctls', 'tmpfs', 'tty', 'ulimits', 'user',
  'userns_mode', 'volumes', 'working_dir',
]);
const V38_TOP_KEYS = new Set(['services', 'networks', 'volumes', 'secrets', 'configs']);
const V38_HEALTHCHECK_KEYS = new Set(['disable', 'interval', 'retries', 'test', 'timeout', 'start_period']);

type Plain = Record<string, unknown>;

function isPlainMap(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Joins a relative path to the project folder (with the folder's own separator), resolving `.` and `..`. */
export function absolutePath(folder: string, relative: string): string {
  const windows = /^[A-Za-z]:[\\/]/.test(folder) || (folder.includes('\\') && !folder.includes('/'));
  const separator = windows ? '\\' : '/';
  const parts = folder.replace(/[\\/]+$/, '').split(/[\\/]/);
  for (const part of relative.split(/[\\/]/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 1) parts.pop();
    } else parts.push(part);
  }
  return parts.join(separator) || separator;
}

function isRelative(path: string): boolean {
  return path === '.' || path === '..' || path.startsWith('./') || path.startsWith('../') || path.startsWith('.\\') || path.startsWith('..\\');
}

function absoluteVolume(volume: unknown, folder: string): unknown {
  if (typeof volume === 'string') {
    const colon = volume.indexOf(':');
    if (colon <= 0) return volume;
    const source = volume.slice(0, colon);
    return isRelative(source) ? `${absolutePath(folder, source)}${volume.slice(colon)}` : volume;
  }
  if (isPlainMap(volume) && typeof volume.source === 'string' && (volume.type === 'bind' || volume.type === undefined) && isRelative(volume.source)) {
    return { ...volume, source: absolutePath(folder, volume.source) };
  }
  return volume;
}

function absoluteEnvFile(value: unknown, folder: string): unknown {
  const one = (item: unknown) => (typeof item === 'string' ? absolutePath(folder, item) : isPlainMap(item) && typeof item.path === 'string' ? absolutePath(folder, item.path) : item);
  return Array.isArray(value) ? value.map(one) : one(value);
}

/**
 * One merged stack file for old CLIs: the production config (base + prod merged as Compose does), with
 * `version: "3.8"`, relative bind mounts, env files and secret/config files made absolute (the copy lives
 * in a temporary folder), `depends_on` as a list, keys 3.8 does not know left out (and named), variables
 * left as `${...}` for the CLI to interpolate. Written as JSON, which every YAML reader accepts.
 */
export interface GeneratedStackFile {
  readonly text: string;
  /** Keys the stack file format does not know, left out (`services.*.pull_policy`, `name`...). */
  readonly dropped: readonly string[];
  /** Services whose depends_on had conditions (the long form docker stack deploy refuses). */
  readonly dependsOnConditions: readonly string[];
  /** Networks declared with the bridge driver, written with overlay (Swarm services cannot join bridge networks). */
  readonly overlayNetworks: readonly string[];
}

export function generatedStackFile(files: readonly StackFile[], folder: string): GeneratedStackFile {
  const family: FamilySources = {
    files: files.map((file) => ({ path: file.path, text: file.text, parsed: parseYaml(file.text) })),
    ...(files.length > 1 ? { prod: 1 } : {}),
  };
  const prod = buildConfigs(family, 'prod').find((config) => config.role === 'prod');
  const plain = toPlain(prod?.root);
  const root: Plain = isPlainMap(plain) ? plain : {};
  const dropped = new Set<string>();
  const dependsOnConditions: string[] = [];
  const overlayNetworks: string[] = [];
  const result: Plain = { version: '3.8' };
  for (const [key, value] of Object.entries(root)) {
    if (key.startsWith('x-') || V38_TOP_KEYS.has(key)) result[key] = value;
    else if (key !== 'version') dropped.add(key);
  }
  if (isPlainMap(result.services)) {
    const services: Plain = {};
    for (const [name, raw] of Object.entries(result.services)) {
      if (!isPlainMap(raw)) continue;
      const service: Plain = {};
      for (const [key, value] of Object.entries(raw)) {
        if (!V38_SERVICE_KEYS.has(key) && !key.startsWith('x-')) {
          dropped.add(`services.*.${key}`);
          continue;
        }
        if (key === 'build') continue; // stack deploy ignores it; its newer keys would fail the 3.8 schema
        if (key === 'depends_on' && isPlainMap(value)) {
          service[key] = Object.keys(value);
          if (Object.values(value).some((d) => isPlainMap(d) && Object.keys(d).length > 0)) dependsOnConditions.push(name);
        } else if (key === 'depends_on' && Array.isArray(value)) service[key] = value;
        else if (key === 'volumes' && Array.isArray(value)) service[key] = value.map((v) => absoluteVolume(v, folder));
        else if (key === 'env_file') service[key] = absoluteEnvFile(value, folder);
        else if (key === 'healthcheck' && isPlainMap(value)) {
          const healthcheck: Plain = {};
          for (const [k, v] of Object.entries(value)) {
            if (V38_HEALTHCHECK_KEYS.has(k)) healthcheck[k] = v;
            else dropped.add(`healthcheck.${k}`);
          }
          service[key] = healthcheck;
        } else service[key] = value;
      }
      services[name] = service;
    }
    result.services = services;
  }
  if (isPlainMap(result.networks)) {
    const networks: Plain = {};
    for (const [name, value] of Object.entries(result.networks)) {
      if (isPlainMap(value) && value.driver === 'bridge' && value.external !== true) {
        networks[name] = { ...value, driver: 'overlay' };
        overlayNetworks.push(name);
      } else networks[name] = value;
    }
    result.networks = networks;
  }
  for (const section of ['secrets', 'configs']) {
    const entries = result[section];
    if (!isPlainMap(entries)) continue;
    const copy: Plain = {};
    for (const [name, value] of Object.entries(entries)) {
      copy[name] = isPlainMap(value) && typeof value.file === 'string' && !value.file.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(value.file) ? { ...value, file: absolutePath(folder, value.file) } : value;
    }
    result[section] = copy;
  }
  return { text: JSON.stringify(result, null, 2) + '\n', dropped: [...dropped].sort(), dependsOnConditions, overlayNetworks };
}

// ---- the engine ----

export interface SwarmState {
  /** `LocalNodeState`: inactive, pending, active, error, locked. */
  readonly state: string;
  /** True on a manager (`ControlAvailable`). */
  readonly manager: boolean;
  readonly engineName?: string;
  readonly engineVersion?: string;
  readonly error?: string;
}

/** The `docker info` format whose output `parseSwarmState` reads. */
export const SWARM_INFO_FORMAT = '{"swarm":{{json .Swarm}},"name":{{json .Name}},"version":{{json .ServerVersion}}}';

/** Reads the output of `docker info --format SWARM_INFO_FORMAT`; undefined when it is not that. */
export function parseSwarmState(output: string): SwarmState | undefined {
  try {
    const parsed = JSON.parse(output.trim()) as { swarm?: { LocalNodeState?: unknown; ControlAvailable?: unknown; Error?: unknown }; name?: unknown; version?: unknown };
    // An unreachable daemon still fills the template, with empty fields.
    if (!parsed.swarm || typeof parsed.swarm.LocalNodeState !== 'string' || parsed.swarm.LocalNodeState === '') return undefined;
    return {
      state: parsed.swarm.LocalNodeState,
      manager: parsed.swarm.ControlAvailable === true,
      ...(typeof parsed.name === 'string' ? { engineName: parsed.name } : {}),
      ...(typeof parsed.version === 'string' ? { engineVersion: parsed.version } : {}),
      ...(typeof parsed.swarm.Error === 'string' && parsed.swarm.Error !== '' ? { error: parsed.swarm.Error } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Why the engine cannot take a stack, or undefined when it is an active Swarm manager. */
export function swarmBlocker(state: SwarmState): Message | undefined {
  if (state.state === 'inactive') return msg('The engine {0} is not part of a Swarm. Run "docker swarm init" on it (or point Docker at a Swarm manager) and deploy again.', state.engineName ?? '');
  if (state.state === 'locked') return msg('The Swarm of engine {0} is locked: unlock it with "docker swarm unlock".', state.engineName ?? '');
  if (state.state !== 'active') return msg('The Swarm of engine {0} is {1}{2}.', state.engineName ?? '', state.state, state.error ? `: ${state.error}` : '');
  if (!state.manager) return msg('The engine {0} is a Swarm worker: stacks are deployed on a manager. Point Docker at a manager node.', state.engineName ?? '');
  return undefined;
}
