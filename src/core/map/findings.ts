import type { Span } from '../text/lineIndex';
import { getValue, keyText } from '../yaml/ast';
import type { ParsedYaml } from '../yaml/parse';

/**
 * Which service a finding concerns: the service whose block (its key through the end of its value) contains
 * the finding's start, in any file of the project. Pure: offsets in, groups out; the editor converts the
 * diagnostics' ranges to offsets at the edge.
 */

export interface ServiceBlock {
  readonly service: string;
  /** The file's identity as the caller knows it (a URI string). */
  readonly file: string;
  readonly span: Span;
}

/** Blocks of every service declared in each file (`services.<name>` pairs). */
export function serviceBlocks(files: readonly { readonly file: string; readonly parsed: ParsedYaml }[]): ServiceBlock[] {
  const blocks: ServiceBlock[] = [];
  for (const { file, parsed } of files) {
    const services = getValue(parsed.root, 'services');
    if (services?.kind !== 'map') continue;
    for (const pair of services.items) {
      const name = keyText(pair);
      if (name !== undefined) blocks.push({ service: name, file, span: pair.span });
    }
  }
  return blocks;
}

export interface LocatedItem<T> {
  readonly file: string;
  readonly span: Span;
  readonly item: T;
}

/**
 * Groups items (diagnostics) by the service whose block contains their start. Items outside every block
 * (top-level `networks:`, a YAML error before `services:`) belong to no box and are left out. Each group
 * keeps the input's order.
 */
export function groupByService<T>(blocks: readonly ServiceBlock[], items: readonly LocatedItem<T>[]): Map<string, T[]> {
  const byFile = new Map<string, ServiceBlock[]>();
  for (const block of blocks) byFile.set(block.file, [...(byFile.get(block.file) ?? []), block]);
  const result = new Map<string, T[]>();
  for (const located of items) {
    const candidates = byFile.get(located.file) ?? [];
    let best: ServiceBlock | undefined;
    for (const block of candidates) {
      const inside = located.span.start >= block.span.start && located.span.start <= block.span.end;
      if (inside && (!best || block.span.end - block.span.start < best.span.end - best.span.start)) best = block;
    }
    if (!best) continue;
    result.set(best.service, [...(result.get(best.service) ?? []), located.item]);
  }
  return result;
}
