import { stringify } from 'yaml';
import { lookupVariable, type ProjectEnv } from './envFile';
import { interpolate } from './interpolation';
import { type CNode, toPlain } from './model';

/**
 * The merged, interpolated config as YAML text, like `docker compose config`: list forms appear as the
 * mappings Compose normalises them to, variables are replaced by their values from `.env` then
 * `.env.example` (or their defaults), and `$$` becomes `$`. Unresolved variables are listed in a header comment.
 */
export function effectiveConfigYaml(root: CNode | undefined, env: ProjectEnv, header: readonly string[] = []): string {
  const unresolved = new Set<string>();
  const plain = toPlain(root, (scalar) => {
    if (typeof scalar.value !== 'string') return scalar.value;
    const result = interpolate(scalar.value, (name) => lookupVariable(env, name)?.value);
    for (const missing of result.unresolved) unresolved.add(missing.name);
    return result.value;
  });
  const lines = [...header];
  if (unresolved.size > 0) lines.push(`Not defined (replaced by an empty string): ${[...unresolved].sort().join(', ')}`);
  const comment = lines.map((line) => `# ${line}\n`).join('');
  return comment + stringify(plain ?? {}, { lineWidth: 0, aliasDuplicateObjects: false });
}
