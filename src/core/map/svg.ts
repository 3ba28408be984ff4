import type { MapLayout } from './layout';

/**
 * Renders a laid-out architecture map as one self-contained SVG document: one `<g class="cb-service">` per
 * service, one `<g class="cb-edge">` per dependency, one `<g class="cb-group">` per network band. The same
 * markup serves the webview (palette `webview`: no colours inside, the panel's CSS themes it with the
 * editor's `--vscode-*` variables) and export (a palette embedded in a `<style>`). Pure; every text escaped.
 */

export type SvgPalette = 'webview' | 'auto' | 'light' | 'dark';

/** What the live map knows about a service (already worded in the editor's language). */
export interface ServiceStatus {
  /** `running`, `exited`, `unknown`, ... (servicesModel's ServiceState); becomes `data-state`. */
  readonly state: string;
  /** `healthy`, `unhealthy`, `starting`, `none`; becomes `data-health`. */
  readonly health: string;
  /** Shown in the box: "running · healthy". */
  readonly text: string;
  /** What a screen reader says: "api, running, healthy, 2 findings". */
  readonly label: string;
  readonly findings: number;
  /** Highest severity among the findings: `error`, `warning`, `info`, `hint`. */
  readonly severity?: string;
}

/** Words of the picture, in the reader's language (English by default). */
export interface MapStrings {
  readonly title: string;
  readonly devOnly: string;
  readonly prodOnly: string;
  /** `{0}` is the network (or networks) of a band. */
  readonly network: string;
  /** `{0}` replicas. */
  readonly replicas: string;
  /** `{0}` depends on `{1}`, `{2}` is the condition. */
  readonly dependsOn: string;
  /** `{0}` findings: the badge's accessible name. */
  readonly findings: string;
}

export const ENGLISH_STRINGS: MapStrings = {
  title: 'Architecture map',
  devOnly: 'dev only',
  prodOnly: 'prod only',
  network: 'network {0}',
  replicas: '×{0}',
  dependsOn: '{0} depends on {1} ({2})',
  findings: '{0} findings: open',
};

export interface SvgOptions {
  readonly palette: SvgPalette;
  readonly strings?: MapStrings;
  /** Live state per service name; boxes without one show no status line. */
  readonly status?: ReadonlyMap<string, ServiceStatus>;
  /** Focusable boxes and badges (the webview); exports are static pictures. */
  readonly interactive?: boolean;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** Fills `{0}`, `{1}` ... placeholders. */
export function fill(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? whole : String(value);
  });
}

const PALETTES = {
  light: {
    bg: '#ffffff', fg: '#1f2328', muted: '#59636e', box: '#f6f8fa', border: '#d0d7de', group: '#f6f8fa', groupBorder: '#d8dee4',
    edge: '#6e7781', healthyEdge: '#1a7f37', data: '#9a6700', config: '#0969da', volume: '#8250df', tag: '#bc4c00', labelBg: '#ffffff',
  },
  dark: {
    bg: '#0d1117', fg: '#e6edf3', muted: '#9198a1', box: '#161b22', border: '#3d444d', group: '#0d1117', groupBorder: '#30363d',
    edge: '#8b949e', healthyEdge: '#3fb950', data: '#d29922', config: '#4493f8', volume: '#ab7df8', tag: '#f0883e', labelBg: '#0d1117',
  },
} as const;

function paletteVars(colors: (typeof PALETTES)['light' | 'dark']): string {
  return Object.entries(colors)
    .map(([name, value]) => `--cb-${name}:${value}`)
    .join(';');
}

/** The embedded stylesheet of an exported SVG: the same classes the webview's map.css styles. */
export function exportStyle(palette: Exclude<SvgPalette, 'webview'>): string {
  const base = palette === 'dark' ? PALETTES.dark : PALETTES.light;
  const rules = [
    `svg.cb-map{${paletteVars(base)};font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;font-size:12px}`,
    palette === 'auto' ? `@media (prefers-color-scheme: dark){svg.cb-map{${paletteVars(PALETTES.dark)}}}` : '',
    '.cb-bg{fill:var(--cb-bg)}',
    '.cb-group-box{fill:var(--cb-group);stroke:var(--cb-groupBorder);stroke-dasharray:6 4}',
    '.cb-group-title{fill:var(--cb-muted);font-weight:600}',
    '.cb-box{fill:var(--cb-box);stroke:var(--cb-border);stroke-width:1.2}',
    '.cb-service.cb-dev-only .cb-box,.cb-service.cb-prod-only .cb-box{stroke-dasharray:5 3;stroke:var(--cb-tag)}',
    '.cb-name{fill:var(--cb-fg);font-weight:600;font-size:13px}',
    '.cb-tag,.cb-replicas{fill:var(--cb-tag);font-size:11px}',
    '.cb-line{fill:var(--cb-muted);font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11px}',
    '.cb-line-data{fill:var(--cb-data)}.cb-line-config{fill:var(--cb-config)}.cb-line-volume{fill:var(--cb-volume)}',
    '.cb-stripe{fill:var(--cb-border)}',
    '.cb-edge-line{fill:none;stroke:var(--cb-edge);stroke-width:1.4}',
    '.cb-edge.cb-cond-healthy .cb-edge-line{stroke:var(--cb-healthyEdge)}',
    '.cb-edge.cb-optional .cb-edge-line{stroke-dasharray:4 3}',
    '.cb-arrow{fill:var(--cb-edge)}',
    '.cb-edge-label{fill:var(--cb-muted);font-size:10.5px;paint-order:stroke;stroke:var(--cb-labelBg);stroke-width:4px;stroke-linejoin:round}',
    '.cb-status,.cb-badge{display:none}',
  ];
  return rules.filter((r) => r !== '').join('\n');
}

/** Renders the layout as an SVG document (a string starting with `<svg`). */
export function renderSvg(layout: MapLayout, options: SvgOptions): string {
  const strings = options.strings ?? ENGLISH_STRINGS;
  const interactive = options.interactive === true;
  const out: string[] = [];
  const { width, height } = layout;
  const title = `${strings.title}: ${layout.graph.project} (${layout.graph.view})`;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="cb-map" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="group" aria-label="${escapeXml(title)}" data-project="${escapeXml(layout.graph.project)}" data-view="${layout.graph.view}">`,
  );
  out.push(`<title>${escapeXml(title)}</title>`);
  if (options.palette !== 'webview') out.push(`<style>${exportStyle(options.palette)}</style>`);
  out.push('<defs><marker id="cb-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="cb-arrow" d="M 0 0 L 10 5 L 0 10 z"/></marker></defs>');
  if (options.palette !== 'webview') out.push(`<rect class="cb-bg" x="0" y="0" width="${width}" height="${height}"/>`);

  out.push('<g class="cb-groups">');
  for (const group of layout.groups) {
    const name = fill(strings.network, group.networks.map((n) => (n.startsWith('mode:') ? `network_mode ${n.slice(5)}` : n)).join(' + '));
    out.push(
      `<g class="cb-group" data-group="${escapeXml(group.key)}"><rect class="cb-group-box" x="${group.x}" y="${group.y}" width="${group.width}" height="${group.height}" rx="10"/>` +
        `<text class="cb-group-title" x="${group.x + 14}" y="${group.y + 18}">${escapeXml(name)}</text></g>`,
    );
  }
  out.push('</g>');

  out.push('<g class="cb-edges">');
  for (const edge of layout.edges) {
    const condition = edge.label.replace(/\?$/, '');
    const label = fill(strings.dependsOn, edge.edge.from, edge.edge.to, edge.label);
    const classes = ['cb-edge', `cb-cond-${condition.replace(/[^a-z0-9_-]/gi, '')}`, ...(edge.edge.optional ? ['cb-optional'] : [])];
    out.push(
      `<g class="${classes.join(' ')}" data-from="${escapeXml(edge.edge.from)}" data-to="${escapeXml(edge.edge.to)}" data-condition="${escapeXml(edge.edge.condition)}" role="img" aria-label="${escapeXml(label)}">` +
        `<title>${escapeXml(label)}</title><path class="cb-edge-line" d="${edge.path}" marker-end="url(#cb-arrow)"/>` +
        `<text class="cb-edge-label" x="${edge.labelX}" y="${edge.labelY - 4}" text-anchor="middle">${escapeXml(edge.label)}</text></g>`,
    );
  }
  out.push('</g>');

  out.push('<g class="cb-services">');
  for (const box of layout.boxes) {
    const service = box.service;
    const status = options.status?.get(service.name);
    const classes = ['cb-service', `cb-${service.presence}`];
    const attributes = [
      `class="${classes.join(' ')}"`,
      `data-service="${escapeXml(service.name)}"`,
      `data-x="${box.x}"`,
      `data-y="${box.y}"`,
      `data-state="${escapeXml(status?.state ?? 'unknown')}"`,
      `data-health="${escapeXml(status?.health ?? 'none')}"`,
      `transform="translate(${box.x} ${box.y})"`,
    ];
    if (interactive) attributes.push('tabindex="0"', 'role="button"', `aria-label="${escapeXml(status?.label ?? service.name)}"`);
    const tooltip = [service.name, ...box.lines.map((l) => l.full), ...(service.presence === 'dev-only' ? [strings.devOnly] : service.presence === 'prod-only' ? [strings.prodOnly] : [])].join('\n');
    out.push(`<g ${attributes.join(' ')}><title>${escapeXml(tooltip)}</title>`);
    out.push(`<rect class="cb-box" x="0" y="0" width="${box.width}" height="${box.height}" rx="6"/>`);
    out.push(`<rect class="cb-stripe" x="0" y="0" width="5" height="${box.height}" rx="2"/>`);
    const tags: string[] = [];
    if (service.replicas !== undefined && service.replicas !== 1) tags.push(fill(strings.replicas, service.replicas));
    if (service.presence === 'dev-only') tags.push(strings.devOnly);
    if (service.presence === 'prod-only') tags.push(strings.prodOnly);
    const tagText = tags.join(' · ');
    const nameRoom = Math.floor((box.width - 24 - (interactive ? 24 : 0) - (tagText.length > 0 ? tagText.length * 6.2 + 8 : 0)) / 7.6);
    const shownName = service.name.length > nameRoom ? service.name.slice(0, Math.max(1, nameRoom - 1)) + '…' : service.name;
    out.push(`<text class="cb-name" x="14" y="20">${escapeXml(shownName)}</text>`);
    if (tags.length > 0) out.push(`<text class="cb-tag" x="${box.width - (interactive ? 34 : 10)}" y="20" text-anchor="end">${escapeXml(tagText)}</text>`);
    box.lines.forEach((line, index) => {
      out.push(`<text class="cb-line cb-line-${line.kind}" x="14" y="${30 + 13 + index * 17}">${escapeXml(line.text)}</text>`);
    });
    if (interactive || status) {
      out.push(`<text class="cb-status" x="14" y="${box.height - 12}">${escapeXml(status?.text ?? '')}</text>`);
    }
    out.push('</g>');
    if (interactive) {
      // A sibling of the box, not a child: a button inside a button is one control to a screen reader.
      const count = status?.findings ?? 0;
      out.push(
        `<g class="cb-badge" data-service="${escapeXml(service.name)}" data-count="${count}" data-severity="${escapeXml(status?.severity ?? '')}" tabindex="${count > 0 ? 0 : -1}" role="button" aria-label="${escapeXml(fill(strings.findings, count))}" transform="translate(${box.x + box.width - 16} ${box.y + 15})">` +
          `<circle r="10"/><text class="cb-badge-count" text-anchor="middle" y="4">${count}</text></g>`,
      );
    }
  }
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n');
}
