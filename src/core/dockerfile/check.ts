import { compareFindings, type Finding } from '../findings';
import { applyRuleLevels, type RuleLevels } from '../rules/ruleConfig';
import { applySuppressions } from '../rules/suppression';
import type { ComposeBuildUse } from './composeUses';
import { parseDockerfile, type ParsedDockerfile } from './parse';
import { DEFAULT_REQUIRED_LABELS, runDockerfileRules } from './rules';

export interface DockerfileCheckOptions {
  /** `composeBlueprint.dockerfile.requiredLabels`; defaults to the architecture's maintainer, version, description. */
  readonly requiredLabels?: readonly string[];
  /** Compose services that build this Dockerfile (for expose-missing and healthcheck-tool-missing). */
  readonly composeUses?: readonly ComposeBuildUse[];
  /** `composeBlueprint.rules`. */
  readonly levels?: RuleLevels;
}

export interface DockerfileCheck {
  readonly parsed: ParsedDockerfile;
  /** Findings after suppression comments and configured levels, in source order. */
  readonly findings: readonly Finding[];
}

/** Reads the raw `composeBlueprint.dockerfile.requiredLabels` value; anything but a list of strings means the default. */
export function normalizeRequiredLabels(raw: unknown): readonly string[] {
  if (!Array.isArray(raw)) return DEFAULT_REQUIRED_LABELS;
  return raw.filter((item): item is string => typeof item === 'string' && item.trim() !== '').map((item) => item.trim());
}

/**
 * Checks one Dockerfile's text: parse, every rule, then suppression comments and rule levels. The editor
 * and the CLI both call this, so they report the same findings.
 */
export function checkDockerfileText(text: string, options: DockerfileCheckOptions = {}): DockerfileCheck {
  const parsed = parseDockerfile(text);
  const raw = runDockerfileRules({
    text,
    parsed,
    requiredLabels: options.requiredLabels ?? DEFAULT_REQUIRED_LABELS,
    composeUses: options.composeUses ?? [],
  });
  const findings = applyRuleLevels(applySuppressions(text, raw), options.levels ?? {}).sort(compareFindings);
  return { parsed, findings };
}

/** Whether a path is one of the architecture's Dockerfiles: `build/**` + a name starting with `Dockerfile`. */
export function isBlueprintDockerfilePath(path: string): boolean {
  const parts = path.replace(/\\/g, '/').split('/');
  const name = parts[parts.length - 1] ?? '';
  return /^Dockerfile/.test(name) && !/\.dockerignore$/.test(name) && parts.slice(0, -1).includes('build');
}
