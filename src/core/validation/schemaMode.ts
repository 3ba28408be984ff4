/**
 * Whether our `schema` findings should show, for `composeBlueprint.validation.schema`:
 * - `on` / `off`: as set.
 * - `auto` (default): off when Red Hat YAML (`redhat.vscode-yaml`) already validates compose files against the
 *   compose schema, so the user does not see every schema error twice; on otherwise. Red Hat YAML validates
 *   them from the SchemaStore catalogue unless `yaml.validate` or `yaml.schemaStore.enable` is false, or compose
 *   files are listed in `yaml.disableSchemaDetection`. Since 1.24.0 it stands down by itself when Docker DX
 *   (`docker.docker`) is installed with its compose language server enabled (it writes those patterns into
 *   `yaml.disableSchemaDetection`; we check both the cause and the effect, since the setting is written later).
 */
export type SchemaMode = 'auto' | 'on' | 'off';

export interface SchemaEnvironment {
  /** Installed and enabled (VS Code lists only enabled extensions). */
  readonly redHatYaml?: { readonly version: string };
  readonly yamlValidate: boolean;
  readonly yamlSchemaStore: boolean;
  readonly yamlDisableSchemaDetection: readonly string[];
  readonly dockerDxInstalled: boolean;
  readonly dockerDxComposeLanguageServer: boolean;
}

export type SchemaDecision = { readonly enabled: boolean; readonly reason: 'setting' | 'no-other-validator' | 'red-hat-validates' | 'red-hat-stands-down' };

function versionAtLeast(version: string, minimum: readonly number[]): boolean {
  const parts = version.split(/[.-]/).map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < minimum.length; i++) {
    const a = Number.isFinite(parts[i]) ? (parts[i] as number) : 0;
    const b = minimum[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/** Normalises the setting's raw value; anything unknown is `auto`. */
export function normalizeSchemaMode(raw: unknown): SchemaMode {
  return raw === 'on' || raw === 'off' ? raw : 'auto';
}

/** Decides whether our schema findings are shown (see the module comment for the rules). */
export function decideSchemaValidation(mode: SchemaMode, env: SchemaEnvironment): SchemaDecision {
  if (mode !== 'auto') return { enabled: mode === 'on', reason: 'setting' };
  if (!env.redHatYaml || !env.yamlValidate || !env.yamlSchemaStore) return { enabled: true, reason: 'no-other-validator' };
  const composeDisabled = env.yamlDisableSchemaDetection.some((pattern) => /compose/i.test(pattern));
  const standsDownForDocker = versionAtLeast(env.redHatYaml.version, [1, 24, 0]) && env.dockerDxInstalled && env.dockerDxComposeLanguageServer;
  if (composeDisabled || standsDownForDocker) return { enabled: true, reason: 'red-hat-stands-down' };
  return { enabled: false, reason: 'red-hat-validates' };
}
