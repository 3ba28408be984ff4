import type { TextEdit } from '../findings';
import { msg, type Message } from '../message';
import { getPair, keyText, type YamlMap, type YamlNode } from '../yaml/ast';
import { parseYaml } from '../yaml/parse';
import { yamlLines, type YamlOut } from './yamlText';

/** A service to add to a compose file: its lines are written at the file's own indent unit. */
export interface ServiceInsertion {
  readonly name: string;
  readonly lines: (unit: number) => readonly string[];
}

export type ComposeEditResult = { readonly ok: true; readonly edits: readonly TextEdit[]; readonly added: readonly string[] } | { readonly ok: false; readonly error: Message };

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function columnOf(text: string, offset: number): number {
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1) + 1, 0);
  return offset - lineStart;
}

/** Offset just after the line that contains `offset` (after its line break), or the text's end. */
function endOfLine(text: string, offset: number): number {
  const newline = text.indexOf('\n', Math.max(offset - 1, 0));
  return newline < 0 ? text.length : newline + 1;
}

/** The indent unit of a block mapping's entries relative to its key: what the user chose, else 2. */
function childIndent(text: string, parentKeyOffset: number, map: YamlNode | null): number {
  if (map?.kind === 'map' && !map.flow && map.items.length > 0) {
    const unit = columnOf(text, map.items[0]!.key.span.start) - columnOf(text, parentKeyOffset);
    if (unit > 0) return unit;
  }
  return 2;
}

/**
 * Adds services (and the project network when it is missing) to a compose file's text as offset edits,
 * leaving every existing byte in place: comments, order and formatting are the user's. Services already
 * present are skipped, so running twice adds nothing. A file whose `services` is a non-empty flow mapping,
 * or that is not a mapping at all, is refused with a reason rather than rewritten.
 */
export function insertServices(text: string, services: readonly ServiceInsertion[], network?: { readonly name: string; readonly value: YamlOut }): ComposeEditResult {
  const parsed = parseYaml(text);
  if (parsed.problems.some((p) => p.severity === 'error')) return { ok: false, error: msg('The file has YAML errors; fix them first.') };
  const root = parsed.root;
  if (root !== null && !(root.kind === 'map' && !root.flow) && !(root.kind === 'scalar' && root.value === null)) {
    return { ok: false, error: msg('The file is not a block mapping of compose keys.') };
  }
  const rootMap: YamlMap | undefined = root?.kind === 'map' ? root : undefined;
  const eol = eolOf(text);
  const edits: TextEdit[] = [];
  const added: string[] = [];
  const servicesPair = rootMap ? getPair(rootMap, 'services') : undefined;
  const existingNames = new Set<string>();
  if (servicesPair?.value?.kind === 'map') for (const pair of servicesPair.value.items) existingNames.add(keyText(pair) ?? '');
  const missing = services.filter((s) => !existingNames.has(s.name));
  const tail = text.length > 0 && !text.endsWith('\n') ? eol : '';

  if (missing.length > 0) {
    if (!servicesPair) {
      const lines = ['services:', ...missing.flatMap((s) => s.lines(2))];
      edits.push({ span: { start: text.length, end: text.length }, newText: tail + lines.join(eol) + eol });
    } else {
      const value = servicesPair.value;
      const isEmpty = value === null || (value.kind === 'scalar' && value.value === null) || (value.kind === 'map' && value.items.length === 0);
      if (value && value.kind === 'map' && value.flow && value.items.length > 0) {
        return { ok: false, error: msg('"services" is written in flow style ({ ... }); add the service by hand.') };
      }
      if (value && value.kind !== 'map' && !isEmpty) return { ok: false, error: msg('"services" is not a mapping.') };
      const keyColumn = columnOf(text, servicesPair.key.span.start);
      const unit = childIndent(text, servicesPair.key.span.start, value);
      const blockLines = missing.flatMap((s) => s.lines(unit).map((line) => ' '.repeat(keyColumn) + line));
      if (isEmpty && value && value.span.end > value.span.start) {
        // `services: {}` or `services: ~`: the block replaces the empty value.
        edits.push({ span: { start: value.span.start - (text[value.span.start - 1] === ' ' ? 1 : 0), end: value.span.end }, newText: eol + blockLines.join(eol) });
      } else {
        const anchor = isEmpty ? servicesPair.key.span.end : value.span.end;
        const at = endOfLine(text, anchor);
        const before = at === text.length && !text.endsWith('\n') ? eol : '';
        edits.push({ span: { start: at, end: at }, newText: before + blockLines.join(eol) + eol });
      }
    }
    added.push(...missing.map((s) => s.name));
  }

  if (network) {
    const networksPair = rootMap ? getPair(rootMap, 'networks') : undefined;
    const value = networksPair?.value;
    const hasNetwork = value?.kind === 'map' && value.items.some((pair) => keyText(pair) === network.name);
    if (!hasNetwork) {
      if (!networksPair) {
        const lines = yamlLines({ networks: { [network.name]: network.value } });
        const offset = text.length;
        const lead = edits.some((e) => e.span.start === offset) ? '' : tail;
        edits.push({ span: { start: offset, end: offset }, newText: lead + eol + lines.join(eol) + eol });
      } else if (value && value.kind === 'map' && !value.flow && value.items.length > 0) {
        const keyColumn = columnOf(text, networksPair.key.span.start);
        const unit = childIndent(text, networksPair.key.span.start, value);
        const lines = yamlLines({ [network.name]: network.value }, unit, unit).map((line) => ' '.repeat(keyColumn) + line);
        const at = endOfLine(text, value.span.end);
        const before = at === text.length && !text.endsWith('\n') ? eol : '';
        edits.push({ span: { start: at, end: at }, newText: before + lines.join(eol) + eol });
      } else if (value === null || value === undefined || (value.kind === 'scalar' && value.value === null) || (value.kind === 'map' && value.items.length === 0)) {
        const lines = yamlLines({ [network.name]: network.value }, 2, 2);
        if (value && value.span.end > value.span.start) {
          edits.push({ span: { start: value.span.start - (text[value.span.start - 1] === ' ' ? 1 : 0), end: value.span.end }, newText: eol + lines.join(eol) });
        } else {
          const at = endOfLine(text, networksPair.key.span.end);
          edits.push({ span: { start: at, end: at }, newText: (at === text.length && !text.endsWith('\n') ? eol : '') + lines.join(eol) + eol });
        }
      } else {
        return { ok: false, error: msg('"networks" is written in flow style; add the network "{0}" by hand.', network.name) };
      }
    }
  }
  return { ok: true, edits: mergeSameOffset(edits), added };
}

/** Two insertions at the same offset become one edit, in order, so edits never overlap. */
function mergeSameOffset(edits: readonly TextEdit[]): TextEdit[] {
  const result: TextEdit[] = [];
  for (const edit of edits) {
    const previous = result.find((e) => e.span.start === edit.span.start && e.span.end === edit.span.start && edit.span.end === edit.span.start);
    if (previous) result[result.indexOf(previous)] = { span: previous.span, newText: previous.newText + edit.newText };
    else result.push(edit);
  }
  return result;
}

/** Names of the services declared in a compose text (empty when it does not parse to a mapping). */
export function servicesIn(text: string): string[] {
  const root = parseYaml(text).root;
  const services = root?.kind === 'map' ? getPair(root, 'services')?.value : undefined;
  return services?.kind === 'map' ? services.items.map((pair) => keyText(pair) ?? '').filter((name) => name !== '') : [];
}
