import { lookupVariable, type ProjectEnv } from './envFile';
import { interpolate } from './interpolation';
import { mergeConfigs, normalizeServiceEntries } from './merge';
import { type CNode, type SourceFile, toConfigTree } from './model';

/**
 * The configs the architecture's rules run on. `dev` is base + override (what `docker compose up` uses),
 * `prod` is base + prod (the deployment), `env` is base + another `docker-compose.<env>.yml`.
 */
export type ConfigRole = 'dev' | 'prod' | 'env';

/** A family's files in a fixed order: base first; `Origin.file` indexes this list. */
export interface FamilySources {
  readonly files: readonly SourceFile[];
  /** Index of the override / prod file in `files`, when they exist. */
  readonly override?: number;
  readonly prod?: number;
  /** Other environments: name -> index in `files`. */
  readonly envs?: Readonly<Record<string, number>>;
}

export interface EffectiveConfig {
  readonly role: ConfigRole;
  /** `dev`, `prod` or the env name. */
  readonly name: string;
  /** Indices into the family's files that make this config, in merge order. */
  readonly fileIndices: readonly number[];
  readonly root: CNode | undefined;
}

/** Raised by `buildConfigs` through `toConfigTree` for alias bombs; callers report it as a finding. */
export { ModelBudgetExceeded } from './model';

/**
 * Builds the dev, prod and env configs of a family. Each file is converted once; a file whose top level is
 * not a mapping contributes nothing (its own check reports why).
 */
export function buildConfigs(family: FamilySources, which: 'dev' | 'prod' | 'all' = 'all', maxNodes?: number): EffectiveConfig[] {
  const trees = family.files.map((file, index) => {
    // Services are normalised as the tree is built (as normalizeConfig would, without copying the tree).
    const tree = toConfigTree(file.parsed, index, maxNodes, normalizeServiceEntries);
    return tree?.kind === 'map' ? tree : undefined;
  });
  const make = (role: ConfigRole, name: string, extra: number | undefined): EffectiveConfig => {
    const fileIndices = extra === undefined ? [0] : [0, extra];
    return { role, name, fileIndices, root: mergeConfigs(fileIndices.map((i) => trees[i])) };
  };
  const configs: EffectiveConfig[] = [];
  if (which !== 'prod') configs.push(make('dev', 'dev', family.override));
  if (which !== 'dev') {
    configs.push(make('prod', 'prod', family.prod));
    for (const [name, index] of Object.entries(family.envs ?? {})) configs.push(make('env', name, index));
  }
  return configs;
}

/** A scalar's value after interpolation with the project's variables (undefined for non-scalars and null). */
export function interpolatedText(node: CNode | undefined, env: ProjectEnv): string | undefined {
  if (node?.kind !== 'scalar' || node.value === null) return undefined;
  if (typeof node.value !== 'string') return String(node.value);
  if (!node.value.includes('$')) return node.value; // most scalars: nothing to interpolate
  return interpolate(node.value, (name) => lookupVariable(env, name)?.value).value;
}
