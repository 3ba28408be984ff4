import type { Span } from '../text/lineIndex';

/** One `KEY=value` line of a `.env` file. */
export interface EnvEntry {
  readonly key: string;
  readonly value: string;
  /** The key's place in the file. */
  readonly keySpan: Span;
  /** The whole line, without its line break. */
  readonly lineSpan: Span;
}

export interface EnvFile {
  readonly text: string;
  /** Entries in file order; a later line with the same key wins in `values`. */
  readonly entries: readonly EnvEntry[];
  readonly values: ReadonlyMap<string, string>;
}

const LINE = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*(.*)$/d;

function unquote(raw: string): string {
  const trimmed = raw.trim();
  if (trimmed.startsWith('"')) {
    const end = trimmed.indexOf('"', 1);
    const inner = end < 0 ? trimmed.slice(1) : trimmed.slice(1, end);
    return inner.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  }
  if (trimmed.startsWith("'")) {
    const end = trimmed.indexOf("'", 1);
    return end < 0 ? trimmed.slice(1) : trimmed.slice(1, end);
  }
  // An unquoted value ends at ` #` (an inline comment), as Compose's dotenv reader does.
  const comment = trimmed.search(/[ \t]#/);
  return (comment < 0 ? trimmed : trimmed.slice(0, comment)).trim();
}

/**
 * Parses a `.env` file the way Compose reads it: `KEY=value`, optional `export`, `#` comments, single
 * and double quotes. Lines that are not assignments are skipped (Compose would reject them; the file is
 * not ours to judge here).
 */
export function parseEnvFile(text: string): EnvFile {
  const entries: EnvEntry[] = [];
  const values = new Map<string, string>();
  let offset = 0;
  for (const line of text.split('\n')) {
    const content = line.endsWith('\r') ? line.slice(0, -1) : line;
    const match = LINE.exec(content);
    if (match && !content.trimStart().startsWith('#')) {
      const key = match[1] ?? '';
      const keyStart = offset + (match.indices?.[1]?.[0] ?? 0);
      const value = unquote(match[2] ?? '');
      entries.push({ key, value, keySpan: { start: keyStart, end: keyStart + key.length }, lineSpan: { start: offset, end: offset + content.length } });
      values.set(key, value);
    }
    offset += line.length + 1;
  }
  return { text, entries, values };
}

/** Where a variable's value comes from, in the order we look. */
export type VariableSource = '.env' | '.env.example';

/** The variables a project can see: `.env` first, then `.env.example` (its documented defaults). */
export interface ProjectEnv {
  readonly env?: EnvFile;
  readonly example?: EnvFile;
}

export interface ResolvedVariable {
  readonly value: string;
  readonly source: VariableSource;
}

/** Looks a variable up in `.env`, then `.env.example`. */
export function lookupVariable(projectEnv: ProjectEnv, name: string): ResolvedVariable | undefined {
  const fromEnv = projectEnv.env?.values.get(name);
  if (fromEnv !== undefined) return { value: fromEnv, source: '.env' };
  const fromExample = projectEnv.example?.values.get(name);
  if (fromExample !== undefined) return { value: fromExample, source: '.env.example' };
  return undefined;
}

/** Where `lookupVariable` would find a variable, without making its result object (rules ask for every reference). */
export function variableSource(projectEnv: ProjectEnv, name: string): VariableSource | undefined {
  if (projectEnv.env?.values.get(name) !== undefined) return '.env';
  if (projectEnv.example?.values.get(name) !== undefined) return '.env.example';
  return undefined;
}

/** Builds a ProjectEnv from the texts of `.env` and `.env.example` (undefined when a file does not exist). */
export function projectEnvFrom(envText: string | undefined, exampleText: string | undefined): ProjectEnv {
  return {
    ...(envText !== undefined ? { env: parseEnvFile(envText) } : {}),
    ...(exampleText !== undefined ? { example: parseEnvFile(exampleText) } : {}),
  };
}
