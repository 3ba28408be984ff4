import { msg } from '../message';
import { pathRules } from './compose/pathRules';
import { referenceRules } from './compose/referenceRules';
import { serviceRules } from './compose/serviceRules';
import { variableRules } from './compose/variableRules';
import { swarmRules } from './swarm/swarmRules';
import type { ComposeRule, RuleMeta } from './types';

/** The architecture's compose rules, in the order the documentation lists them. */
export const COMPOSE_RULES: readonly ComposeRule[] = (() => {
  const all = [...serviceRules, ...pathRules, ...variableRules, ...referenceRules, ...swarmRules];
  const order = [
    'healthcheck-missing',
    'restart-missing',
    'resources-missing',
    'network-missing',
    'logging-unbounded',
    'image-unpinned',
    'build-outside-build-dir',
    'data-outside-bd',
    'config-writable',
    'secret-literal',
    'env-undefined',
    'depends-on-unconditioned',
    'name-style',
    'version-obsolete',
    'build-missing',
    'unknown-reference',
    'depends-on-cycle',
    'port-conflict',
    'container-name-scaled',
    // Swarm production checks: run only when composeBlueprint.swarm.checks says so (see swarm/intent.ts).
    'swarm-image-missing',
    'swarm-forbidden-option',
    'swarm-network-driver',
    'swarm-unsupported-option',
    'swarm-depends-on-ignored',
    'swarm-host-port-replicas',
    'swarm-update-policy-missing',
    'swarm-restart-policy-missing',
  ];
  return order.map((id) => {
    const rule = all.find((r) => r.id === id);
    if (!rule) throw new Error(`rule ${id} is not implemented`);
    return rule;
  });
})();

/** Checks every compose file has that are not architecture rules: syntax and schema. */
export const BUILT_IN_CHECKS: readonly RuleMeta[] = [
  { id: 'yaml-syntax', defaultSeverity: 'error', summary: msg('The file is valid YAML (cannot be suppressed).') },
  { id: 'schema', defaultSeverity: 'error', summary: msg('The file follows the Compose specification schema.') },
];

const byId = new Map<string, RuleMeta>([...BUILT_IN_CHECKS, ...COMPOSE_RULES].map((rule) => [rule.id, rule]));

/** Metadata of a compose rule or built-in check by id; other components (Dockerfile rules) register theirs. */
export function ruleMeta(id: string): RuleMeta | undefined {
  return byId.get(id);
}

/** Lets another family of rules (Dockerfile checks) make its ids known to hovers, docs and the CLI's SARIF output. */
export function registerRuleMeta(rules: readonly RuleMeta[]): void {
  for (const rule of rules) if (!byId.has(rule.id)) byId.set(rule.id, rule);
}

export function allRuleMeta(): RuleMeta[] {
  return [...byId.values()];
}
