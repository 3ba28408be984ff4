import type { Span } from '../text/lineIndex';
import { schemaEnum, schemaProperties } from './schemaPath';
import { declaredNames, siblingEntries, yamlCursorAt } from './yamlPath';

export type CompletionKind = 'service' | 'network' | 'volume' | 'variable' | 'property' | 'value';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: CompletionKind;
  /** Short text next to the label (a variable's value, "service"). */
  readonly detail?: string;
  readonly documentation?: string;
  /** Text to insert (defaults to the label). */
  readonly insertText?: string;
  /** What the insertion replaces. */
  readonly replace: Span;
}

/** A variable from `.env.example` or `.env`. */
export interface EnvVariable {
  readonly name: string;
  readonly value: string;
  /** File name it comes from, for the completion detail. */
  readonly file: string;
}

/** Reads `NAME=value` lines of a dotenv file (`export ` prefixes, quotes and comments handled as Compose does). */
export function parseEnvNames(text: string, file: string): EnvVariable[] {
  const variables: EnvVariable[] = [];
  for (const line of text.split(/\r\n|\r|\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2]!.trim();
    if (/^".*"$|^'.*'$/.test(value)) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    variables.push({ name: match[1]!, value, file });
  }
  return variables;
}

export interface ComposeCompletionInput {
  readonly text: string;
  readonly offset: number;
  /** Variables from the folder's `.env.example` and `.env` (both may list a name; the first wins). */
  readonly variables?: readonly EnvVariable[];
  /** The Compose JSON schema, for key and enum completion; omit to complete names only. */
  readonly schema?: unknown;
}

/**
 * What to offer at a position of a compose file: service names in `depends_on`, declared networks in a
 * service's `networks`, named volumes in a service's `volumes`, `${VAR}` names from the env files, and the
 * schema's keys and enum values elsewhere.
 */
export function composeCompletions(input: ComposeCompletionInput): CompletionEntry[] {
  const { text, offset } = input;
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  const before = text.slice(lineStart, offset);

  // `${VAR` or `$VAR` anywhere in a value.
  const variable = /\$\{([A-Za-z0-9_]*)$|\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(before);
  if (variable) {
    const typed = variable[1] ?? variable[2] ?? '';
    const braced = variable[1] !== undefined;
    const replace = { start: offset - typed.length, end: offset };
    const seen = new Set<string>();
    const entries: CompletionEntry[] = [];
    for (const v of input.variables ?? []) {
      if (seen.has(v.name)) continue;
      seen.add(v.name);
      const closes = braced && text[offset] !== '}';
      entries.push({ label: v.name, kind: 'variable', detail: `${v.file}: ${v.value}`, insertText: closes ? `${v.name}}` : v.name, replace });
    }
    return entries;
  }
  if (/(^|\s)#/.test(before)) return [];

  const cursor = yamlCursorAt(text, offset);
  const { path, kind } = cursor;
  const replace = cursor.prefixSpan;
  const inService = path.length >= 2 && path[0] === 'services';
  const serviceName = inService ? path[1] : undefined;
  const field = inService ? path[2] : undefined;
  const directlyUnder = (name: string) => inService && path.length === 3 && field === name;

  // depends_on: list items, flow list items, or keys of the long form.
  if (directlyUnder('depends_on') && (kind === 'item' || kind === 'key')) {
    const listed = new Set(siblingEntries(text, offset));
    return declaredNames(text, 'services')
      .filter((s) => s.name !== serviceName && !listed.has(s.name))
      .map((s) => ({ label: s.name, kind: 'service' as const, ...(kind === 'key' ? { insertText: `${s.name}:` } : {}), replace }));
  }
  if (directlyUnder('networks') && (kind === 'item' || kind === 'key')) {
    const listed = new Set(siblingEntries(text, offset));
    return declaredNames(text, 'networks')
      .filter((n) => !listed.has(n.name))
      .map((n) => ({ label: n.name, kind: 'network' as const, ...(kind === 'key' ? { insertText: `${n.name}:` } : {}), replace }));
  }
  if (directlyUnder('volumes') && kind === 'item') {
    const itemText = before.replace(/^\s*-\s*/, '');
    if (/^[./~$]/.test(itemText) || itemText.includes(':')) return [];
    return declaredNames(text, 'volumes').map((v) => ({ label: v.name, kind: 'volume' as const, replace }));
  }
  // Long-form volumes (`- type: volume` / `source: name`).
  if (inService && path.length === 5 && field === 'volumes' && path[3] === '*' && path[4] === 'source' && kind === 'value') {
    return declaredNames(text, 'volumes').map((v) => ({ label: v.name, kind: 'volume' as const, replace }));
  }
  if (!input.schema) return [];
  if (kind === 'key') {
    return schemaProperties(input.schema, path).map((p) => ({
      label: p.name,
      kind: 'property' as const,
      ...(p.description !== undefined ? { documentation: p.description } : {}),
      insertText: `${p.name}: `,
      replace,
    }));
  }
  if (kind === 'value') {
    return schemaEnum(input.schema, path).map((value) => ({ label: value, kind: 'value' as const, replace }));
  }
  return [];
}
