/**
 * A small YAML writer for the files the scaffolder generates. It writes block style with a fixed indent,
 * quotes every string that YAML 1.1 or 1.2 could read as something else (ports such as "8080:80" would be
 * sexagesimal numbers in YAML 1.1), and writes short scalar lists marked `flow` in flow style, as the seed
 * writes `test:` and `command:`. Output is deterministic, so a second run can compare texts.
 */
export type YamlOut = string | number | boolean | FlowList | readonly YamlOut[] | { readonly [key: string]: YamlOut | undefined };

/** A list written in flow style: `["CMD", "pg_isready"]`. */
export class FlowList {
  constructor(readonly items: readonly (string | number)[]) {}
}

export function flow(items: readonly (string | number)[]): FlowList {
  return new FlowList(items);
}

// Starts with a letter, '_', '/', '.' or '$' (never a number, never an indicator), and holds no ', ', '#', ': ' or flow characters.
const PLAIN_SAFE = /^[A-Za-z_/.$][A-Za-z0-9_./=${}:@+-]*$/;
const KEY_SAFE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const RESERVED = /^(?:true|false|yes|no|on|off|y|n|null|~)$/i;

/** A scalar as YAML text: plain when that reads back as the same string, double-quoted otherwise. */
export function scalarText(value: string | number | boolean, inFlow = false): string {
  if (typeof value !== 'string') return String(value);
  // Flow lists read like the seed's `["CMD-SHELL", "..."]`: every string quoted.
  if (inFlow) return JSON.stringify(value);
  // Durations and sizes (10s, 512M) stay plain: no YAML schema reads them as anything but strings.
  if (/^\d+(?:ms|s|m|h|[KMGkmg])$/.test(value)) return value;
  if (PLAIN_SAFE.test(value) && !RESERVED.test(value) && !value.endsWith(':') && !(inFlow && /[{}]/.test(value))) return value;
  return JSON.stringify(value);
}

function isMap(value: YamlOut): value is { readonly [key: string]: YamlOut | undefined } {
  return typeof value === 'object' && !Array.isArray(value) && !(value instanceof FlowList);
}

function keyText(key: string): string {
  return KEY_SAFE.test(key) && !RESERVED.test(key) ? key : JSON.stringify(key);
}

/** Writes a mapping's entries as lines at `indent` spaces (undefined values are skipped). */
export function yamlLines(value: { readonly [key: string]: YamlOut | undefined }, indent = 0, unit = 2): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    lines.push(...entryLines(`${pad}${keyText(key)}:`, item, indent, unit));
  }
  return lines;
}

function entryLines(head: string, item: YamlOut, indent: number, unit: number): string[] {
  if (item instanceof FlowList) return [`${head} [${item.items.map((i) => scalarText(i, true)).join(', ')}]`];
  if (Array.isArray(item)) {
    if (item.length === 0) return [`${head} []`];
    return [head, ...listLines(item as readonly YamlOut[], indent + unit, unit)];
  }
  if (isMap(item)) {
    const inner = yamlLines(item, indent + unit, unit);
    return inner.length === 0 ? [`${head} {}`] : [head, ...inner];
  }
  return [`${head} ${scalarText(item as string | number | boolean)}`];
}

function listLines(items: readonly YamlOut[], indent: number, unit: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const item of items) {
    if (isMap(item)) {
      const inner = yamlLines(item, indent + 2, unit);
      if (inner.length === 0) lines.push(`${pad}- {}`);
      else lines.push(`${pad}- ${inner[0]!.trimStart()}`, ...inner.slice(1));
    } else if (Array.isArray(item) || item instanceof FlowList) {
      const flowItems = item instanceof FlowList ? item.items : (item as (string | number)[]);
      lines.push(`${pad}- [${flowItems.map((i) => scalarText(i, true)).join(', ')}]`);
    } else {
      lines.push(`${pad}- ${scalarText(item as string | number | boolean)}`);
    }
  }
  return lines;
}
