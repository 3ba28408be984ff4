import type { Finding, Severity } from '../findings';

/** A rule's configured level: a severity, or `off`. */
export type RuleLevel = Severity | 'off';

/** The `composeBlueprint.rules` setting: rule id -> level. Unknown ids and junk values are ignored. */
export type RuleLevels = Readonly<Record<string, RuleLevel>>;

const levels = new Set<string>(['error', 'warning', 'info', 'hint', 'off']);

/** Reads the setting's raw value (whatever the user wrote) into a clean map; never throws. */
export function normalizeRuleLevels(raw: unknown): RuleLevels {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const result: Record<string, RuleLevel> = {};
  for (const [rule, level] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof level === 'string' && levels.has(level)) result[rule] = level as RuleLevel;
  }
  return result;
}

/** Applies configured levels: drops findings of rules set to `off`, re-levels the others. */
export function applyRuleLevels(findings: readonly Finding[], configured: RuleLevels): Finding[] {
  const result: Finding[] = [];
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i]!;
    const level = configured[finding.rule];
    if (level === 'off') continue;
    result.push(level && level !== finding.severity ? { ...finding, severity: level } : finding);
  }
  return result;
}
