import { type ArchitectureGraph, compareNames, type MapEdge, type MapService } from './graph';

/**
 * Automatic, stable layout of an architecture graph. Deterministic (same graph, same coordinates) and
 * local (a small edit moves little):
 * - services are grouped into horizontal bands by the set of networks they join;
 * - within the picture, the column of a service is its `depends_on` depth (0 = depends on nothing), so
 *   dependencies sit left of their dependents and columns line up across bands;
 * - within a band and column, services are ordered by name, and a column of more than
 *   `maxPerColumn` services wraps into several sub-columns, which keeps 50 services readable.
 * No coordinate depends on anything but the graph: no randomness, no locale, no measurement of fonts.
 */

export interface LayoutOptions {
  readonly boxWidth: number;
  readonly maxPerColumn: number;
  /** Mount lines shown per box before a "+N more" line. */
  readonly maxMountLines: number;
}

export const DEFAULT_LAYOUT: LayoutOptions = { boxWidth: 256, maxPerColumn: 8, maxMountLines: 4 };

export type BoxLineKind = 'image' | 'build' | 'ports' | 'data' | 'config' | 'volume' | 'more' | 'profiles';

export interface BoxLine {
  readonly kind: BoxLineKind;
  /** As shown (shortened to fit the box). */
  readonly text: string;
  /** Untruncated, for the tooltip. */
  readonly full: string;
}

export interface BoxLayout {
  readonly service: MapService;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly column: number;
  readonly group: string;
  readonly lines: readonly BoxLine[];
}

export interface GroupLayout {
  /** The band's networks joined by ' + ' (its identity). */
  readonly key: string;
  readonly networks: readonly string[];
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface EdgeLayout {
  readonly edge: MapEdge;
  /** SVG path data. */
  readonly path: string;
  readonly labelX: number;
  readonly labelY: number;
  readonly label: string;
}

export interface MapLayout {
  readonly graph: ArchitectureGraph;
  readonly width: number;
  readonly height: number;
  readonly groups: readonly GroupLayout[];
  readonly boxes: readonly BoxLayout[];
  readonly edges: readonly EdgeLayout[];
}

// Geometry, in SVG user units (pixels at 100%).
const MARGIN = 24;
const BAND_PADDING = 16;
const BAND_TITLE = 26;
const BAND_GAP = 24;
const COLUMN_GAP = 112;
const ROW_GAP = 16;
const HEADER = 30;
const LINE = 17;
const STATUS = 20;
const FOOTER = 8;
/** Approximate width of a character of the 12px UI font: enough to shorten text deterministically. */
const CHAR_WIDTH = 6.7;

/** Depth of each service in the `depends_on` graph: 0 when it depends on nothing, else 1 + its deepest dependency. Cycles are cut. */
export function dependencyDepths(graph: ArchitectureGraph): Map<string, number> {
  const dependencies = new Map<string, string[]>();
  for (const edge of graph.edges) dependencies.set(edge.from, [...(dependencies.get(edge.from) ?? []), edge.to]);
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (name: string): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return -1; // A cycle: the back edge does not add depth.
    visiting.add(name);
    let result = 0;
    for (const target of dependencies.get(name) ?? []) result = Math.max(result, visit(target) + 1);
    visiting.delete(name);
    depth.set(name, result);
    return result;
  };
  for (const service of graph.services) visit(service.name);
  return depth;
}

/** Shortens text to `max` characters, keeping the end of paths and images (the telling part) after an ellipsis. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…';
  return '…' + text.slice(text.length - (max - 1));
}

function boxLines(service: MapService, options: LayoutOptions): BoxLine[] {
  const max = Math.floor((options.boxWidth - 24) / CHAR_WIDTH);
  const lines: { kind: BoxLineKind; full: string }[] = [];
  if (service.build !== undefined) lines.push({ kind: 'build', full: `build ${service.build}` });
  if (service.image !== undefined) lines.push({ kind: 'image', full: service.image });
  if (service.ports.length > 0) lines.push({ kind: 'ports', full: `ports ${service.ports.join(' ')}` });
  const mounts = service.mounts.map((m) => ({ kind: m.kind, full: `${m.kind === 'volume' ? 'volume ' : ''}${m.source} → ${m.target}${m.readOnly ? ' (ro)' : ''}` }));
  const shown = mounts.length > options.maxMountLines ? mounts.slice(0, options.maxMountLines - 1) : mounts;
  lines.push(...shown);
  if (shown.length < mounts.length) lines.push({ kind: 'more', full: `+${mounts.length - shown.length} mounts` });
  if (service.profiles.length > 0) lines.push({ kind: 'profiles', full: `profiles: ${service.profiles.join(', ')}` });
  return lines.map((line) => ({ ...line, text: shorten(line.full, max) }));
}

/** Height of a box with `lines` detail lines (status line included, so live updates never resize a box). */
function boxHeight(lineCount: number): number {
  return HEADER + lineCount * LINE + STATUS + FOOTER;
}

export function conditionLabel(edge: MapEdge): string {
  const base = edge.condition === 'service_healthy' ? 'healthy' : edge.condition === 'service_started' ? 'started' : edge.condition === 'service_completed_successfully' ? 'completed' : edge.condition;
  return edge.optional ? `${base}?` : base;
}

/** Lays out a graph. Pure and deterministic. */
export function layoutGraph(graph: ArchitectureGraph, options: LayoutOptions = DEFAULT_LAYOUT): MapLayout {
  const depths = dependencyDepths(graph);
  const groupKey = (service: MapService) => service.networks.join(' + ');
  const groupKeys = [...new Set(graph.services.map(groupKey))].sort((a, b) => groupOrder(a) - groupOrder(b) || compareNames(a, b));
  const maxDepth = Math.max(0, ...depths.values());

  // Services of each band and column, by name (graph.services is sorted).
  const cells = new Map<string, MapService[]>();
  const cell = (group: string, depth: number) => `${group}\u0000${depth}`;
  for (const service of graph.services) {
    const key = cell(groupKey(service), depths.get(service.name) ?? 0);
    cells.set(key, [...(cells.get(key) ?? []), service]);
  }
  // Sub-columns per depth: the most any band needs, so columns line up across bands.
  const subColumns = Array.from({ length: maxDepth + 1 }, (_, depth) =>
    Math.max(1, ...groupKeys.map((group) => Math.ceil((cells.get(cell(group, depth))?.length ?? 0) / options.maxPerColumn))),
  );
  const columnX: number[] = [];
  let x = MARGIN + BAND_PADDING;
  for (let depth = 0; depth <= maxDepth; depth++) {
    columnX.push(x);
    x += (subColumns[depth] ?? 1) * (options.boxWidth + COLUMN_GAP);
  }
  const contentWidth = x - COLUMN_GAP + BAND_PADDING + MARGIN;

  const boxes: BoxLayout[] = [];
  const groups: GroupLayout[] = [];
  let y = MARGIN;
  for (const group of groupKeys) {
    const top = y + BAND_TITLE;
    let bandBottom = top;
    for (let depth = 0; depth <= maxDepth; depth++) {
      const members = cells.get(cell(group, depth)) ?? [];
      for (let sub = 0; sub * options.maxPerColumn < members.length; sub++) {
        let rowY = top;
        for (const service of members.slice(sub * options.maxPerColumn, (sub + 1) * options.maxPerColumn)) {
          const lines = boxLines(service, options);
          const height = boxHeight(lines.length);
          boxes.push({ service, x: (columnX[depth] ?? 0) + sub * (options.boxWidth + COLUMN_GAP), y: rowY, width: options.boxWidth, height, column: depth, group, lines });
          rowY += height + ROW_GAP;
        }
        bandBottom = Math.max(bandBottom, rowY - ROW_GAP);
      }
    }
    const height = bandBottom - y + BAND_PADDING;
    groups.push({ key: group, networks: group.split(' + '), x: MARGIN, y, width: contentWidth - 2 * MARGIN, height });
    y += height + BAND_GAP;
  }
  const height = groups.length > 0 ? y - BAND_GAP + MARGIN : 2 * MARGIN;
  return { graph, width: Math.max(contentWidth, 2 * MARGIN + options.boxWidth), height, groups, boxes, edges: routeEdges(graph.edges, boxes) };
}

/** `default` first, then named networks, then `network_mode` bands. */
function groupOrder(key: string): number {
  if (key === 'default') return 0;
  return key.startsWith('mode:') ? 2 : 1;
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Edges leave the dependent's left side and enter the dependency's right side; several edges on one side are
 * spread along it in the order of the other end's position, so they do not start at one point.
 */
function routeEdges(edges: readonly MapEdge[], boxes: readonly BoxLayout[]): EdgeLayout[] {
  const byName = new Map(boxes.map((b) => [b.service.name, b]));
  const outgoing = new Map<string, MapEdge[]>();
  const incoming = new Map<string, MapEdge[]>();
  for (const edge of edges) {
    outgoing.set(edge.from, [...(outgoing.get(edge.from) ?? []), edge]);
    incoming.set(edge.to, [...(incoming.get(edge.to) ?? []), edge]);
  }
  const centerY = (name: string) => {
    const box = byName.get(name);
    return box ? box.y + box.height / 2 : 0;
  };
  const anchor = (box: BoxLayout, list: readonly MapEdge[], edge: MapEdge, other: (e: MapEdge) => string) => {
    const ordered = [...list].sort((a, b) => centerY(other(a)) - centerY(other(b)) || compareNames(other(a), other(b)));
    const index = ordered.indexOf(edge);
    const usable = box.height - HEADER;
    return box.y + HEADER / 2 + (usable * (index + 1)) / (ordered.length + 1);
  };
  const result: EdgeLayout[] = [];
  for (const edge of edges) {
    const from = byName.get(edge.from);
    const to = byName.get(edge.to);
    if (!from || !to) continue;
    const y1 = anchor(from, outgoing.get(edge.from) ?? [], edge, (e) => e.to);
    const y2 = anchor(to, incoming.get(edge.to) ?? [], edge, (e) => e.from);
    let path: string;
    let labelX: number;
    let labelY: number;
    if (to.x + to.width <= from.x) {
      const x1 = from.x;
      const x2 = to.x + to.width;
      const bend = Math.max(40, (x1 - x2) / 2);
      path = `M ${round(x1)} ${round(y1)} C ${round(x1 - bend)} ${round(y1)}, ${round(x2 + bend)} ${round(y2)}, ${round(x2)} ${round(y2)}`;
      labelX = (x1 + x2) / 2;
      labelY = (y1 + y2) / 2;
    } else {
      // A dependency that is not to the left (a cycle): loop over the tops of the boxes.
      const x1 = from.x + from.width / 2;
      const x2 = to.x + to.width / 2 + (to === from ? 24 : 0);
      const top = Math.min(from.y, to.y) - 14;
      path = `M ${round(x1)} ${round(from.y)} C ${round(x1)} ${round(top)}, ${round(x2)} ${round(top)}, ${round(x2)} ${round(to.y)}`;
      labelX = (x1 + x2) / 2;
      labelY = top;
    }
    result.push({ edge, path, labelX: round(labelX), labelY: round(labelY), label: conditionLabel(edge) });
  }
  return result;
}
