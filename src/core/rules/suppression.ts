import type { Finding } from '../findings';
import { LineIndex } from '../text/lineIndex';

/**
 * Suppression comments, the same in compose files and Dockerfiles (both use `#` comments):
 *   # blueprint-disable-next-line rule-a, rule-b   the next line (no ids: every rule)
 *   # blueprint-disable-file rule-a                 the whole file (no ids: every rule)
 * `yaml-syntax` cannot be suppressed: a broken file is not a style choice.
 */
export interface Suppressions {
  /** 0-based line -> rule ids suppressed on it ('*' for all). */
  readonly lines: ReadonlyMap<number, ReadonlySet<string>>;
  readonly file: ReadonlySet<string>;
}

const DIRECTIVE = /#\s*blueprint-disable-(next-line|file)\b([^\n\r]*)/g;
const UNSUPPRESSIBLE = new Set(['yaml-syntax']);

function parseIds(rest: string): Set<string> {
  // Anything after `--` is a free-text reason, as in ESLint.
  const ids = (rest.split('--')[0] ?? '').split(/[\s,]+/).filter((id) => id !== '');
  return new Set(ids.length === 0 ? ['*'] : ids);
}

/** Finds the directives in a text. Directives inside YAML strings are rare enough to accept. */
export function findSuppressions(text: string): Suppressions {
  const lines = new Map<number, Set<string>>();
  const file = new Set<string>();
  // Most files have no directive: skip the regular expression and the line index.
  if (!text.includes('blueprint-disable-')) return { lines, file };
  const index = new LineIndex(text);
  for (const match of text.matchAll(DIRECTIVE)) {
    const ids = parseIds(match[2] ?? '');
    if (match[1] === 'file') {
      for (const id of ids) file.add(id);
      continue;
    }
    const line = index.positionAt(match.index ?? 0).line + 1;
    const existing = lines.get(line) ?? new Set<string>();
    for (const id of ids) existing.add(id);
    lines.set(line, existing);
  }
  return { lines, file };
}

/** Removes suppressed findings. A finding is on the line where its span starts. */
export function applySuppressions(text: string, findings: readonly Finding[], suppressions = findSuppressions(text)): Finding[] {
  if (suppressions.lines.size === 0 && suppressions.file.size === 0) return findings.slice();
  const index = new LineIndex(text);
  return findings.filter((finding) => {
    if (UNSUPPRESSIBLE.has(finding.rule)) return true;
    if (suppressions.file.has('*') || suppressions.file.has(finding.rule)) return false;
    const onLine = suppressions.lines.get(index.positionAt(finding.span.start).line);
    return !(onLine && (onLine.has('*') || onLine.has(finding.rule)));
  });
}
