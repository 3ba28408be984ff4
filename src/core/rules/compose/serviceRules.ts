import { type CMap, scalarText } from '../../compose/model';
import { msg } from '../../message';
import type { ComposeRule, ConfigContext } from '../types';
import { type Desired, fixFromEdits, hasActiveHealthcheck, missingKeyOrigin, planEnsure, topLevelNames } from './helpers';
import { servicesOf } from './services';

/** The first container port a service exposes (for a healthcheck URL), if any. */
function firstContainerPort(ctx: ConfigContext, service: CMap): string | undefined {
  const ports = service.entries.get('ports')?.value;
  if (ports?.kind === 'seq') {
    for (const item of ports.items) {
      if (item.kind === 'map') {
        const target = ctx.str(item.entries.get('target')?.value);
        if (target) return target;
      }
      const text = ctx.str(item);
      const container = text?.split('/')[0]?.split(':').pop();
      if (container && /^\d+$/.test(container)) return container;
    }
  }
  const expose = service.entries.get('expose')?.value;
  if (expose?.kind === 'seq') {
    const first = ctx.str(expose.items[0])?.split('/')[0];
    if (first && /^\d+$/.test(first)) return first;
  }
  return undefined;
}

/**
 * A healthcheck test fitted to well-known images: each uses a tool the official image ships. Others get the
 * architecture's HTTP probe on the service's port (curl, or busybox wget on alpine images).
 */
export function healthcheckTestFor(image: string | undefined, port: string | undefined): string {
  const name = (image ?? '').toLowerCase().split('@')[0] ?? '';
  const repository = name.replace(/:[^/]*$/, '');
  const has = (pattern: RegExp) => pattern.test(repository);
  if (has(/(^|\/)(postgres|postgis|timescaledb)/)) return '["CMD-SHELL", "pg_isready -U $${POSTGRES_USER:-postgres} -d $${POSTGRES_DB:-postgres}"]';
  if (has(/(^|\/)valkey/)) return '["CMD", "valkey-cli", "ping"]';
  if (has(/(^|\/)(redis|keydb)/)) return '["CMD", "redis-cli", "ping"]';
  if (has(/(^|\/)mongo/)) return '["CMD", "mongosh", "--quiet", "--eval", "db.adminCommand(\'ping\').ok"]';
  if (has(/(^|\/)mariadb/)) return '["CMD", "healthcheck.sh", "--connect", "--innodb_initialized"]';
  if (has(/(^|\/)(mysql|percona)/)) return '["CMD", "mysqladmin", "ping", "-h", "localhost"]';
  if (has(/(^|\/)rabbitmq/)) return '["CMD", "rabbitmq-diagnostics", "-q", "ping"]';
  if (has(/elasticsearch/)) return '["CMD-SHELL", "curl -fs http://localhost:9200/_cluster/health || exit 1"]';
  if (has(/kibana/)) return '["CMD-SHELL", "curl -fs http://localhost:5601/api/status || exit 1"]';
  if (has(/(^|\/)ollama/)) return '["CMD", "ollama", "list"]';
  const alpine = /alpine/.test(name);
  const path = has(/(^|\/)(nginx|httpd|caddy)$/) ? '/' : '/health';
  const url = `http://localhost${port && port !== '80' ? `:${port}` : port === '80' || path === '/' ? '' : ':8080'}${path}`;
  return alpine ? `["CMD-SHELL", "wget -qO- ${url} > /dev/null || exit 1"]` : `["CMD-SHELL", "curl -fs ${url} || exit 1"]`;
}

const healthcheckMissing: ComposeRule = {
  id: 'healthcheck-missing',
  defaultSeverity: 'warning',
  summary: msg('Every service declares a healthcheck, so dependants can wait for it and failures show.'),
  checkConfig(ctx) {
    const list = servicesOf(ctx).list;
    for (let s = 0; s < list.length; s++) {
      const service = list[s]!;
      const name = service.name;
      const existing = service.value.entries.get('healthcheck')?.value;
      if (existing) continue; // present, or explicitly disabled: a deliberate choice either way
      const image = ctx.str(service.value.entries.get('image')?.value);
      const desired: Desired = {
        healthcheck: {
          test: healthcheckTestFor(image, firstContainerPort(ctx, service.value)),
          interval: '30s',
          timeout: '10s',
          retries: '5',
          start_period: '60s',
        },
      };
      const at = missingKeyOrigin(service, 'healthcheck');
      ctx.report(at, msg('Service "{0}" has no healthcheck.', name), fixFromEdits(ctx, at.file, msg('Add a healthcheck to "{0}"', name), planEnsure(ctx, service.value, desired, service), false));
    }
  },
};

const restartMissing: ComposeRule = {
  id: 'restart-missing',
  defaultSeverity: 'warning',
  summary: msg('Every service has a restart policy (restart or deploy.restart_policy).'),
  checkConfig(ctx) {
    const list = servicesOf(ctx).list;
    for (let s = 0; s < list.length; s++) {
      const service = list[s]!;
      const name = service.name;
      const deploy = service.value.entries.get('deploy')?.value;
      if (service.value.entries.has('restart') || (deploy?.kind === 'map' && deploy.entries.has('restart_policy'))) continue;
      const at = missingKeyOrigin(service, 'restart');
      ctx.report(
        at,
        msg('Service "{0}" has no restart policy.', name),
        fixFromEdits(ctx, at.file, msg('Add "restart: unless-stopped" to "{0}"', name), planEnsure(ctx, service.value, { restart: 'unless-stopped' }, service)),
      );
    }
  },
};

const RESOURCE_KEYS: readonly { readonly group: string; readonly key: string; readonly value: string }[] = [
  { group: 'limits', key: 'memory', value: '1G' },
  { group: 'limits', key: 'cpus', value: "'0.5'" },
  { group: 'reservations', key: 'memory', value: '512M' },
  { group: 'reservations', key: 'cpus', value: "'0.25'" },
];

const resourcesMissing: ComposeRule = {
  id: 'resources-missing',
  defaultSeverity: 'warning',
  summary: msg('In the production config every service sets deploy.resources limits and reservations for memory and cpus.'),
  roles: ['prod'],
  checkConfig(ctx) {
    const list = servicesOf(ctx).list;
    for (let s = 0; s < list.length; s++) {
      const service = list[s]!;
      const deployEntry = service.value.entries.get('deploy');
      const resourcesEntry = deployEntry?.value.kind === 'map' ? deployEntry.value.entries.get('resources') : undefined;
      const resources = resourcesEntry?.value.kind === 'map' ? resourcesEntry.value : undefined;
      // Most services set all four: look before building the lists of what is missing.
      if (resources && hasAllResources(resources)) continue;
      const name = service.name;
      const missing: string[] = [];
      const desired: Record<string, Record<string, string>> = {};
      for (const { group, key, value } of RESOURCE_KEYS) {
        if (resources && hasResource(resources, group, key)) continue;
        missing.push(`${group}.${key}`);
        desired[group] = { ...(desired[group] ?? {}), [key]: value };
      }
      const at = resourcesEntry?.keyOrigin ?? deployEntry?.keyOrigin ?? missingKeyOrigin(service, 'deploy');
      const edits = planEnsure(ctx, service.value, { deploy: { resources: desired } }, service);
      ctx.report(
        at,
        msg('Service "{0}" has no resource {1} in the production config.', name, missing.join(', ')),
        fixFromEdits(ctx, at.file, msg('Add deploy.resources limits and reservations to "{0}"', name), edits, false),
      );
    }
  },
};

function hasAllResources(resources: CMap): boolean {
  for (let k = 0; k < RESOURCE_KEYS.length; k++) if (!hasResource(resources, RESOURCE_KEYS[k]!.group, RESOURCE_KEYS[k]!.key)) return false;
  return true;
}

function hasResource(resources: CMap, group: string, key: string): boolean {
  const groupNode = resources.entries.get(group)?.value;
  return groupNode?.kind === 'map' && groupNode.entries.has(key);
}

const loggingUnbounded: ComposeRule = {
  id: 'logging-unbounded',
  defaultSeverity: 'warning',
  summary: msg('json-file logging sets max-size and max-file, so logs cannot fill the disk.'),
  checkConfig(ctx) {
    const list = servicesOf(ctx).list;
    for (let s = 0; s < list.length; s++) {
      const service = list[s]!;
      const name = service.name;
      const loggingEntry = service.value.entries.get('logging');
      const logging = loggingEntry?.value;
      const driver = logging?.kind === 'map' ? ctx.str(logging.entries.get('driver')?.value) : undefined;
      if (driver !== undefined && driver !== 'json-file') continue;
      const options = logging?.kind === 'map' ? logging.entries.get('options')?.value : undefined;
      if (options?.kind === 'map' && options.entries.has('max-size') && options.entries.has('max-file')) continue;
      const desired: Desired = { logging: { driver: '"json-file"', options: { 'max-size': '"10m"', 'max-file': '"3"' } } };
      const at = loggingEntry?.keyOrigin ?? missingKeyOrigin(service, 'logging');
      ctx.report(
        at,
        msg('Service "{0}" logs to json-file without max-size and max-file: its logs can fill the disk.', name),
        fixFromEdits(ctx, at.file, msg('Bound the logs of "{0}" (max-size 10m, max-file 3)', name), planEnsure(ctx, service.value, desired, service)),
      );
    }
  },
};

const networkMissing: ComposeRule = {
  id: 'network-missing',
  defaultSeverity: 'warning',
  summary: msg('Every service joins a bridge network declared by the project.'),
  checkConfig(ctx) {
    const declared = topLevelNames(ctx.config.root, 'networks');
    const bridges = [...declared.values()]
      .filter((network) => {
        const value = network.value;
        if (value.kind !== 'map') return true; // `app-network:` with no options is a bridge network
        if (scalarText(value.entries.get('external')?.value) === 'true') return false;
        const driver = ctx.str(value.entries.get('driver')?.value);
        // A Swarm production file turns the project network into an overlay (swarm-network-driver): still the project's network.
        return driver === undefined || driver === 'bridge' || driver === 'overlay';
      })
      .map((network) => network.name);
    const list = servicesOf(ctx).list;
    for (let s = 0; s < list.length; s++) {
      const service = list[s]!;
      const name = service.name;
      if (service.value.entries.has('network_mode')) continue;
      const networksEntry = service.value.entries.get('networks');
      const joined = networksEntry?.value.kind === 'map' ? networksEntry.value.entries : undefined;
      // Joins some bridge: asked of the few bridges, not of every joined name.
      if (joined && joinsAny(joined, bridges)) continue;
      const at = networksEntry?.keyOrigin ?? service.keyOrigin;
      const first = bridges[0];
      if (first === undefined) {
        ctx.report(at, msg('Service "{0}" is not on a project network: declare a bridge network under the top-level networks and join it.', name));
        continue;
      }
      const fixes = networksEntry
        ? []
        : fixFromEdits(ctx, at.file, msg('Join "{0}" to the network "{1}"', name, first), planEnsure(ctx, service.value, { networks: { [`- ${first}`]: '' } }, service));
      ctx.report(at, msg('Service "{0}" is not on the project network "{1}".', name, first), fixes);
    }
  },
};

function joinsAny(joined: ReadonlyMap<string, unknown>, bridges: readonly string[]): boolean {
  for (let i = 0; i < bridges.length; i++) if (joined.has(bridges[i]!)) return true;
  return false;
}

/** Splits an image reference into repository, tag and digest. */
export function parseImageReference(reference: string): { repository: string; tag?: string; digest?: string } {
  const [nameAndTag, digest] = reference.split('@', 2) as [string, string | undefined];
  const slash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.lastIndexOf(':');
  const hasTag = colon > slash;
  return {
    repository: hasTag ? nameAndTag.slice(0, colon) : nameAndTag,
    ...(hasTag ? { tag: nameAndTag.slice(colon + 1) } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

const imageUnpinned: ComposeRule = {
  id: 'image-unpinned',
  defaultSeverity: 'warning',
  summary: msg('Pulled images name a version tag (not latest) or a digest.'),
  checkConfig(ctx) {
    const list = servicesOf(ctx).list;
    for (let s = 0; s < list.length; s++) {
      const service = list[s]!;
      const name = service.name;
      // With `build`, `image` names the image we build, not one we pull.
      if (service.value.entries.has('build')) continue;
      const imageNode = service.value.entries.get('image')?.value;
      const image = ctx.str(imageNode);
      if (!imageNode || image === undefined || image === '') continue;
      const raw = scalarText(imageNode) ?? '';
      const { tag, digest } = parseImageReference(image);
      if (digest !== undefined) continue;
      // An unresolved variable in the tag is the user's way to pin from .env; judge only what we can read.
      if (raw.includes('$') && (tag === undefined || tag === '')) continue;
      if (tag === undefined) ctx.report(imageNode.origin, msg('Image "{0}" of service "{1}" has no tag: it pulls whatever latest is today.', image, name));
      else if (tag === 'latest') ctx.report(imageNode.origin, msg('Image "{0}" of service "{1}" uses the tag latest: pin a version.', image, name));
    }
  },
};

const containerNameScaled: ComposeRule = {
  id: 'container-name-scaled',
  defaultSeverity: 'error',
  summary: msg('A service with several replicas has no container_name (container names are unique, so it could not scale).'),
  checkConfig(ctx) {
    const list = servicesOf(ctx).list;
    for (let s = 0; s < list.length; s++) {
      const service = list[s]!;
      const containerName = service.value.entries.get('container_name');
      if (!containerName) continue;
      const deploy = service.value.entries.get('deploy')?.value;
      const replicas = Number(ctx.str(deploy?.kind === 'map' ? deploy.entries.get('replicas')?.value : undefined) ?? ctx.str(service.value.entries.get('scale')?.value) ?? '1');
      if (!(replicas > 1)) continue;
      ctx.report(containerName.keyOrigin, msg('Service "{0}" has {1} replicas and a container_name: only one container can have that name.', service.name, replicas));
    }
  },
};

export const serviceRules: readonly ComposeRule[] = [
  healthcheckMissing,
  restartMissing,
  resourcesMissing,
  networkMissing,
  loggingUnbounded,
  imageUnpinned,
  containerNameScaled,
];

export { hasActiveHealthcheck };
