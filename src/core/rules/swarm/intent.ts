import { type CNode, scalarText } from '../../compose/model';
import type { EffectiveConfig, FamilySources } from '../../compose/project';

/**
 * When the Swarm checks run. `auto` (the default) runs them on a production config that shows Swarm intent,
 * `on` on every production config, `off` never. Not every project targets Swarm: a team that deploys with
 * plain `docker compose` must not be told about options only `docker stack deploy` ignores.
 */
export type SwarmChecks = 'auto' | 'on' | 'off';

/** Reads `composeBlueprint.swarm.checks` (whatever the user wrote) into a mode; junk means `auto`. */
export function normalizeSwarmChecks(raw: unknown): SwarmChecks {
  return raw === 'on' || raw === 'off' ? raw : 'auto';
}

/** The marker comment a project writes in its base or production file to say "this deploys to Swarm". */
export const SWARM_MARKER = 'blueprint-swarm';
const MARKER_LINE = /^[ \t]*#[ \t]*blueprint-swarm\b/m;

/** Rule ids of the Swarm checks: every one starts with `swarm-`. */
export function isSwarmRule(id: string): boolean {
  return id.startsWith('swarm-');
}

function deployOf(service: CNode): CNode | undefined {
  return service.kind === 'map' ? service.entries.get('deploy')?.value : undefined;
}

/**
 * Why a config looks like a Swarm stack, or undefined: an overlay network, a service with `deploy.placement`,
 * `update_config`, `rollback_config`, `endpoint_mode` or a global/job mode, or the `# blueprint-swarm` marker
 * comment in one of its files. Replicas and resources are not intent: plain Compose honours them too.
 */
export function swarmIntent(family: FamilySources, config: EffectiveConfig): string | undefined {
  for (const index of config.fileIndices) {
    const text = family.files[index]?.text ?? '';
    // The substring test first: the multiline expression would otherwise scan every line of a large file.
    if (text.includes(SWARM_MARKER) && MARKER_LINE.test(text)) return `# ${SWARM_MARKER} in ${family.files[index]?.path ?? ''}`;
  }
  const root = config.root;
  if (root?.kind !== 'map') return undefined;
  const networks = root.entries.get('networks')?.value;
  if (networks?.kind === 'map') {
    for (const network of networks.entries.values()) {
      if (network.value.kind === 'map' && scalarText(network.value.entries.get('driver')?.value) === 'overlay') return `overlay network "${network.name}"`;
    }
  }
  const services = root.entries.get('services')?.value;
  if (services?.kind !== 'map') return undefined;
  for (const service of services.entries.values()) {
    const deploy = deployOf(service.value);
    if (deploy?.kind !== 'map') continue;
    for (let k = 0; k < SWARM_DEPLOY_KEYS.length; k++) {
      if (deploy.entries.has(SWARM_DEPLOY_KEYS[k]!)) return `deploy.${SWARM_DEPLOY_KEYS[k]!} of service "${service.name}"`;
    }
    const mode = scalarText(deploy.entries.get('mode')?.value);
    if (mode === 'global' || mode === 'replicated-job' || mode === 'global-job') return `deploy.mode ${mode} of service "${service.name}"`;
  }
  return undefined;
}

/** `deploy` keys only Swarm reads. */
const SWARM_DEPLOY_KEYS: readonly string[] = ['placement', 'update_config', 'rollback_config', 'endpoint_mode'];

/** True when the Swarm checks run on this config: production configs only, by the mode and the config's intent. */
export function swarmChecksApply(mode: SwarmChecks, family: FamilySources, config: EffectiveConfig): boolean {
  if (config.role !== 'prod' || mode === 'off') return false;
  return mode === 'on' || swarmIntent(family, config) !== undefined;
}
