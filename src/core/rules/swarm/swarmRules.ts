import { normalizeConfig } from '../../compose/merge';
import { type CEntry, type CMap, type CNode, type Origin, toConfigTree } from '../../compose/model';
import type { TextEdit } from '../../findings';
import { type Message, msg } from '../../message';
import type { YamlNode, YamlPair } from '../../yaml/ast';
import { type Desired, fixFromEdits, planEnsure } from '../compose/helpers';
import { type ServiceEntry, servicesOf } from '../compose/services';
import type { ComposeRule, ConfigContext } from '../types';
import { removePair, replaceSpan } from '../yamlEdit';

/**
 * Production checks for Docker Swarm (`docker stack deploy`). They run on the production config only, and
 * only when `composeBlueprint.swarm.checks` says so (see intent.ts; checkProject decides). Option lists follow
 * docker/cli's `cli/compose/types` (UnsupportedProperties, DeprecatedProperties, ForbiddenProperties).
 */

type Service = ServiceEntry;

function deployOf(service: Service): CEntry | undefined {
  return service.value.entries.get('deploy');
}

function deployMap(service: Service): CMap | undefined {
  const deploy = deployOf(service)?.value;
  return deploy?.kind === 'map' ? deploy : undefined;
}

/** The pair in a file's YAML whose key is `key` (to remove a whole `key: value`). */
function findPair(node: YamlNode | null | undefined, key: YamlNode): YamlPair | undefined {
  if (!node) return undefined;
  if (node.kind === 'map') {
    for (const pair of node.items) {
      if (pair.key === key) return pair;
      const inner = findPair(pair.value, key);
      if (inner) return inner;
    }
  } else if (node.kind === 'seq') {
    for (const item of node.items) {
      const inner = findPair(item, key);
      if (inner) return inner;
    }
  }
  return undefined;
}

const prodTrees = new WeakMap<object, CNode | undefined>();

/** The production file's own tree (not merged), where production-only settings belong. */
function prodFileTree(ctx: ConfigContext): { file: number; root: CMap } | undefined {
  const file = ctx.config.fileIndices.length > 1 ? ctx.config.fileIndices[ctx.config.fileIndices.length - 1] : undefined;
  const source = file === undefined ? undefined : ctx.family.files[file];
  if (file === undefined || !source) return undefined;
  if (!prodTrees.has(source)) {
    let tree: CNode | undefined;
    try {
      tree = normalizeConfig(toConfigTree(source.parsed, file, 200_000));
    } catch {
      tree = undefined;
    }
    prodTrees.set(source, tree);
  }
  const root = prodTrees.get(source);
  // An empty prod file (or one whose top level is not a block mapping) cannot take an appended key safely.
  if (root?.kind !== 'map' || root.origin.node.kind !== 'map' || root.origin.node.items.length === 0) return undefined;
  return { file, root };
}

/**
 * Plans adding `desired` under a service's `deploy`, in the production file when there is one (creating the
 * service's entry there if needed), else in the file that declares the service. Returns the edits and the
 * place to report: the prod file's `deploy` or service key when they exist, else the service's key.
 */
function planDeployAddition(ctx: ConfigContext, service: Service, name: string, desired: Desired): { at: Origin; edits: Map<number, TextEdit[]> | undefined } {
  const prod = prodFileTree(ctx);
  if (prod) {
    const services = prod.root.entries.get('services')?.value;
    const own = services?.kind === 'map' ? services.entries.get(name) : undefined;
    const ownDeploy = own?.value.kind === 'map' ? own.value.entries.get('deploy') : undefined;
    const at = ownDeploy?.keyOrigin ?? own?.keyOrigin ?? deployOf(service)?.keyOrigin ?? service.keyOrigin;
    return { at, edits: planEnsure(ctx, prod.root, { services: { [name]: { deploy: desired } } }) };
  }
  return { at: deployOf(service)?.keyOrigin ?? service.keyOrigin, edits: planEnsure(ctx, service.value, { deploy: desired }, service) };
}

// ---- swarm-image-missing ----

const imageMissing: ComposeRule = {
  id: 'swarm-image-missing',
  defaultSeverity: 'error',
  summary: msg('Under Swarm every service names an image: docker stack deploy does not build.'),
  roles: ['prod'],
  checkConfig(ctx) {
    const list = servicesOf(ctx).list;
    for (let s = 0; s < list.length; s++) {
      const service = list[s]!;
      const name = service.name;
      const build = service.value.entries.get('build');
      if (!build || service.value.entries.has('image')) continue;
      ctx.report(build.keyOrigin, msg('Service "{0}" has build but no image: docker stack deploy cannot build, so Swarm has nothing to run. Name the image and push it where the nodes can pull it.', name));
    }
  },
};

// ---- swarm-forbidden-option ----

const RESOURCE_KEYS = ['cpu_quota', 'cpu_shares', 'cpuset', 'mem_limit', 'memswap_limit'];
const FORBIDDEN = ['volume_driver', 'volumes_from', ...RESOURCE_KEYS];

function forbiddenMessage(key: string, name: string): Message {
  if (key === 'volume_driver') return msg('docker stack deploy refuses volume_driver (service "{0}"): declare the volume under the top-level volumes with its driver.', name);
  if (key === 'volumes_from') return msg('docker stack deploy refuses volumes_from (service "{0}"): mount a named volume declared under the top-level volumes in each service that shares it.', name);
  return msg('docker stack deploy refuses {0} (service "{1}"): set the limits and reservations under deploy.resources instead.', key, name);
}

const forbiddenOption: ComposeRule = {
  id: 'swarm-forbidden-option',
  defaultSeverity: 'error',
  summary: msg('No service uses an option docker stack deploy refuses (mem_limit, cpu_shares, volumes_from...).'),
  roles: ['prod'],
  checkConfig(ctx) {
    const list = servicesOf(ctx).list;
    for (let s = 0; s < list.length; s++) {
      const service = list[s]!;
      const name = service.name;
      for (let k = 0; k < FORBIDDEN.length; k++) {
        const key = FORBIDDEN[k]!;
        const entry = service.value.entries.get(key);
        if (entry) ctx.report(entry.keyOrigin, forbiddenMessage(key, name));
      }
    }
  },
};

// ---- swarm-unsupported-option ----

const IGNORED = ['links', 'external_links', 'network_mode', 'privileged', 'devices', 'security_opt', 'userns_mode', 'cgroup_parent', 'ipc', 'pid', 'shm_size', 'mac_address', 'domainname'];

const unsupportedOption: ComposeRule = {
  id: 'swarm-unsupported-option',
  defaultSeverity: 'warning',
  summary: msg('No service relies on an option docker stack deploy ignores (container_name, links, network_mode, privileged...).'),
  roles: ['prod'],
  checkConfig(ctx) {
    const list = servicesOf(ctx).list;
    for (let s = 0; s < list.length; s++) {
      const service = list[s]!;
      const name = service.name;
      const containerName = service.value.entries.get('container_name');
      if (containerName) {
        const source = ctx.family.files[containerName.keyOrigin.file];
        const pair = source ? findPair(source.parsed.root, containerName.keyOrigin.node) : undefined;
        const fixes = source && pair ? fixFromEdits(ctx, containerName.keyOrigin.file, msg('Remove container_name from "{0}"', name), new Map([[containerName.keyOrigin.file, [removePair(source.text, pair)]]]), false) : [];
        ctx.report(containerName.keyOrigin, msg('Swarm ignores container_name of service "{0}": task containers are named <stack>_{0}.<slot>.<id>. Reach the service by its name instead.', name), fixes);
      }
      for (let k = 0; k < IGNORED.length; k++) {
        const key = IGNORED[k]!;
        const entry = service.value.entries.get(key);
        if (!entry) continue;
        if (key === 'links' || key === 'external_links') ctx.report(entry.keyOrigin, msg('Swarm ignores {0} of service "{1}": services on a shared network reach each other by service name.', key, name));
        else if (key === 'network_mode') ctx.report(entry.keyOrigin, msg('Swarm ignores network_mode ({0}) of service "{1}": tasks join the stack\'s networks; use networks (an overlay, or the external "host" network).', ctx.str(entry.value) ?? '', name));
        else ctx.report(entry.keyOrigin, msg('Swarm ignores {0} of service "{1}": docker stack deploy drops it, so the tasks run without it.', key, name));
      }
    }
  },
};

// ---- swarm-depends-on-ignored ----

const dependsOnIgnored: ComposeRule = {
  id: 'swarm-depends-on-ignored',
  defaultSeverity: 'info',
  summary: msg('Says where depends_on has no effect under Swarm (no start order, no condition is waited for).'),
  roles: ['prod'],
  checkConfig(ctx) {
    const list = servicesOf(ctx).list;
    for (let s = 0; s < list.length; s++) {
      const service = list[s]!;
      const name = service.name;
      const dependsOn = service.value.entries.get('depends_on');
      if (dependsOn?.value.kind !== 'map' || dependsOn.value.entries.size === 0) continue;
      const names = [...dependsOn.value.entries.keys()];
      const conditions = [...dependsOn.value.entries.values()].some((d) => d.value.kind === 'map' && d.value.entries.has('condition'));
      ctx.report(
        dependsOn.keyOrigin,
        conditions
          ? msg('Swarm ignores depends_on of "{0}" and its conditions: tasks start in any order and nothing waits for {1} to be healthy. "{0}" must retry until they answer. docker stack deploy refuses this long form as written; Deploy to Swarm deploys a copy that lists the names only.', name, names.join(', '))
          : msg('Swarm ignores depends_on of "{0}": tasks start in any order, not after {1}. "{0}" must retry until they answer.', name, names.join(', ')),
      );
    }
  },
};

// ---- swarm-host-port-replicas ----

const hostPortReplicas: ComposeRule = {
  id: 'swarm-host-port-replicas',
  defaultSeverity: 'warning',
  summary: msg('A replicated service with several replicas publishes no fixed port in host mode (two tasks on one node cannot bind it).'),
  roles: ['prod'],
  checkConfig(ctx) {
    const list = servicesOf(ctx).list;
    for (let s = 0; s < list.length; s++) {
      const service = list[s]!;
      const name = service.name;
      const deploy = deployMap(service);
      const mode = ctx.str(deploy?.entries.get('mode')?.value) ?? 'replicated';
      if (mode !== 'replicated') continue; // global: one task per node, which is what host ports are for
      const replicas = Number(ctx.str(deploy?.entries.get('replicas')?.value) ?? '1');
      if (!(replicas > 1)) continue;
      const ports = service.value.entries.get('ports')?.value;
      if (ports?.kind !== 'seq') continue;
      for (const item of ports.items) {
        if (item.kind !== 'map' || ctx.str(item.entries.get('mode')?.value) !== 'host') continue;
        const published = item.entries.get('published');
        const port = ctx.str(published?.value);
        if (!published || port === undefined || port === '' || port === '0') continue;
        ctx.report(
          published.keyOrigin,
          msg('Service "{0}" runs {1} replicas and publishes port {2} in host mode: only one task per node can bind it, the others stay pending on a node that has one. Use the ingress mode, deploy.mode global, or one replica.', name, replicas, port),
        );
      }
    }
  },
};

// ---- swarm-network-driver ----

const networkDriver: ComposeRule = {
  id: 'swarm-network-driver',
  defaultSeverity: 'error',
  summary: msg('Networks of a stack use the overlay driver: Swarm services cannot join a bridge network.'),
  roles: ['prod'],
  checkConfig(ctx) {
    const networks = ctx.config.root?.kind === 'map' ? ctx.config.root.entries.get('networks')?.value : undefined;
    if (networks?.kind !== 'map') return;
    for (const [name, network] of networks.entries) {
      if (network.value.kind !== 'map' || ctx.str(network.value.entries.get('external')?.value) === 'true') continue;
      const driver = network.value.entries.get('driver');
      if (!driver || ctx.str(driver.value) !== 'bridge') continue;
      const prod = prodFileTree(ctx);
      const prodNetworks = prod?.root.entries.get('networks')?.value;
      const ownInProd = prodNetworks?.kind === 'map' ? prodNetworks.entries.get(name) : undefined;
      let edits: Map<number, TextEdit[]> | undefined;
      if (prod && !(ownInProd?.value.kind === 'map' && ownInProd.value.entries.has('driver'))) {
        // The production file overrides the driver: development keeps its bridge network.
        edits = planEnsure(ctx, prod.root, { networks: { [name]: { driver: 'overlay' } } });
      } else {
        edits = new Map([[driver.value.origin.file, [replaceSpan(driver.value.origin.node.span, 'overlay')]]]);
      }
      ctx.report(
        driver.value.origin,
        msg('Network "{0}" uses the bridge driver: docker stack deploy creates it, then no service of the stack can join it. Swarm stacks use overlay networks.', name),
        fixFromEdits(ctx, driver.value.origin.file, msg('Use the overlay driver for "{0}" in production', name), edits, false),
      );
    }
  },
};

// ---- swarm-update-policy-missing ----

// Frozen: planEnsure writes a frozen part's lines once and shares them between the fixes of every service.
const UPDATE_CONFIG: Desired = Object.freeze({ parallelism: '1', delay: '10s', failure_action: 'rollback', monitor: '30s', order: 'start-first' });
const ROLLBACK_CONFIG: Desired = Object.freeze({ parallelism: '1', delay: '5s', failure_action: 'pause', monitor: '30s', order: 'stop-first' });

const updatePolicyMissing: ComposeRule = {
  id: 'swarm-update-policy-missing',
  defaultSeverity: 'warning',
  summary: msg('Every service sets deploy.update_config and deploy.rollback_config, so a bad release rolls back on its own.'),
  roles: ['prod'],
  checkConfig(ctx) {
    const list = servicesOf(ctx).list;
    for (let s = 0; s < list.length; s++) {
      const service = list[s]!;
      const name = service.name;
      const deploy = deployMap(service);
      const desired: Record<string, Desired> = {};
      if (!deploy?.entries.has('update_config')) desired.update_config = UPDATE_CONFIG;
      if (!deploy?.entries.has('rollback_config')) desired.rollback_config = ROLLBACK_CONFIG;
      const missing = Object.keys(desired);
      if (missing.length === 0) continue;
      const { at, edits } = planDeployAddition(ctx, service, name, desired);
      ctx.report(
        at,
        msg('Service "{0}" has no deploy.{1}: Swarm updates one task at a time and pauses on failure instead of rolling back.', name, missing.join(' / deploy.')),
        fixFromEdits(ctx, at.file, msg('Add {0} to "{1}" (roll back a failed update)', missing.join(' and '), name), edits, false),
      );
    }
  },
};

// ---- swarm-restart-policy-missing ----

const RESTART_CONDITION: Readonly<Record<string, string>> = { always: 'any', 'unless-stopped': 'any', 'on-failure': 'on-failure', no: 'none' };

const restartPolicyMissing: ComposeRule = {
  id: 'swarm-restart-policy-missing',
  defaultSeverity: 'warning',
  summary: msg('Every service sets deploy.restart_policy: Swarm ignores restart.'),
  roles: ['prod'],
  checkConfig(ctx) {
    const list = servicesOf(ctx).list;
    for (let s = 0; s < list.length; s++) {
      const service = list[s]!;
      const name = service.name;
      if (deployMap(service)?.entries.has('restart_policy')) continue;
      const restart = service.value.entries.get('restart');
      const restartValue = ctx.str(restart?.value);
      const policy = (restartValue ?? '').split(':')[0] ?? '';
      // An own key only: `restart: constructor` must not read Object.prototype.constructor.
      const condition = Object.hasOwn(RESTART_CONDITION, policy) ? RESTART_CONDITION[policy]! : 'any';
      const { at, edits } = planDeployAddition(ctx, service, name, { restart_policy: { condition, delay: '5s', window: '120s' } });
      const fixes = fixFromEdits(ctx, at.file, msg('Add deploy.restart_policy (condition {0}) to "{1}"', condition, name), edits, false);
      if (restart && restartValue !== undefined) {
        ctx.report(at, msg('Service "{0}" has restart: {1}, which Swarm ignores, and no deploy.restart_policy.', name, restartValue), fixes);
      } else ctx.report(at, msg('Service "{0}" has no deploy.restart_policy: Swarm restarts its tasks with its defaults (any exit, no delay, no limit).', name), fixes);
    }
  },
};

/** The Swarm production checks, in the order the documentation lists them. */
export const swarmRules: readonly ComposeRule[] = [imageMissing, forbiddenOption, networkDriver, unsupportedOption, dependsOnIgnored, hostPortReplicas, updatePolicyMissing, restartPolicyMissing];

/** Keys docker stack deploy refuses, and the ones it ignores (the deploy plan warns about the same). */
export const SWARM_FORBIDDEN_KEYS: readonly string[] = FORBIDDEN;
export const SWARM_IGNORED_KEYS: readonly string[] = ['container_name', ...IGNORED];

