import * as vscode from 'vscode';
import { type ArchitectureGraph, type MapView } from '../../core/map/graph';
import { layoutGraph } from '../../core/map/layout';
import { toMermaid } from '../../core/map/mermaid';
import { fill, renderSvg, type SvgPalette } from '../../core/map/svg';
import { LineIndex } from '../../core/text/lineIndex';
import type { ComposeWorkspace, WorkspaceFamily } from '../composeWorkspace';
import { errorText, type BlueprintContext } from '../context';
import type { ServicesElement, ServicesView } from '../services/servicesView';
import { architectureOf, findingsByService, mapFiles, mapStrings, statusOf, type MapFiles, type MapFinding } from './mapModel';
import { mapHtml } from './mapHtml';

export const MAP_VIEW_TYPE = 'composeBlueprint.architectureMap';

/** Messages from the webview's script (media/map/map.js). */
type FromWebview =
  | { readonly type: 'ready' }
  | { readonly type: 'open'; readonly service: string }
  | { readonly type: 'openFindings'; readonly service: string }
  | { readonly type: 'view'; readonly view: MapView }
  | { readonly type: 'exportSvg' }
  | { readonly type: 'copyMermaid' }
  | { readonly type: 'painted'; readonly ms: number; readonly services: number };

/** Test-facing: what each open map shows. */
export interface MapSnapshot {
  readonly panels: readonly {
    readonly project: string;
    readonly view: MapView;
    readonly visible: boolean;
    readonly services: readonly string[];
    readonly edges: readonly string[];
    readonly status: Readonly<Record<string, { readonly state: string; readonly health: string; readonly label: string; readonly findings: number }>>;
    /** Milliseconds from the webview's script start to the first painted map, as the webview measured it. */
    readonly firstPaintMs?: number;
  }[];
}

interface PersistedState {
  readonly familyKey?: string;
  readonly view?: MapView;
}

/**
 * The architecture map panels: one per compose project, kept current by the compose files (re-drawn after an
 * edit), the Docker state of the services view (state and health patched in place, no re-draw) and our
 * diagnostics (badges). Commands: show the map, export SVG, copy Mermaid.
 */
export class ArchitectureMaps implements vscode.Disposable {
  private readonly panels = new Map<string, MapPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private redrawTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: BlueprintContext,
    private readonly workspace: ComposeWorkspace,
    private readonly services: ServicesView,
  ) {
    ctx.registerCommand('composeBlueprint.showArchitectureMap', (target?: ServicesElement | vscode.Uri) => this.show(target));
    ctx.registerCommand('composeBlueprint.exportArchitectureSvg', (target?: ServicesElement | vscode.Uri) => this.withPanel(target, (panel) => panel.exportSvg()));
    ctx.registerCommand('composeBlueprint.copyArchitectureMermaid', (target?: ServicesElement | vscode.Uri) => this.withPanel(target, (panel) => panel.copyMermaid()));
    this.disposables.push(
      workspace.onDidChange(() => this.scheduleRedraw()),
      services.onDidChangeModel(() => {
        for (const panel of this.panels.values()) panel.postStatus();
      }),
      vscode.languages.onDidChangeDiagnostics((event) => {
        for (const panel of this.panels.values()) if (event.uris.some((uri) => panel.owns(uri))) panel.postStatus();
      }),
      vscode.window.registerWebviewPanelSerializer(MAP_VIEW_TYPE, {
        deserializeWebviewPanel: async (webviewPanel, state: unknown) => {
          const persisted = (state ?? {}) as PersistedState;
          await this.workspace.scan().catch(() => undefined);
          const family = this.workspace.families().find((f) => f.key === persisted.familyKey);
          if (!family) {
            webviewPanel.dispose();
            return;
          }
          this.adopt(webviewPanel, family, persisted.view ?? 'dev');
        },
      }),
    );
  }

  /** Opens (or reveals) the map of a project: the tree's project node, a compose file, or a pick. */
  async show(target?: ServicesElement | vscode.Uri, view?: MapView): Promise<MapPanel | undefined> {
    const family = await this.familyFor(target);
    if (!family) return undefined;
    const existing = this.panels.get(family.key);
    if (existing) {
      if (view) existing.setView(view);
      existing.reveal();
      return existing;
    }
    const webviewPanel = vscode.window.createWebviewPanel(MAP_VIEW_TYPE, vscode.l10n.t('Architecture map'), vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'media', 'map')],
    });
    return this.adopt(webviewPanel, family, view ?? 'dev');
  }

  private adopt(webviewPanel: vscode.WebviewPanel, family: WorkspaceFamily, view: MapView): MapPanel {
    webviewPanel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'media', 'map')] };
    const panel = new MapPanel(this.ctx, webviewPanel, family.key, view, {
      files: () => {
        const current = this.workspace.families().find((f) => f.key === family.key);
        return current ? mapFiles(this.workspace, current) : undefined;
      },
      project: () => this.services.project(family.key),
    });
    this.panels.set(family.key, panel);
    webviewPanel.onDidDispose(() => {
      if (this.panels.get(family.key) === panel) this.panels.delete(family.key);
      panel.dispose();
    });
    return panel;
  }

  private async withPanel(target: ServicesElement | vscode.Uri | undefined, action: (panel: MapPanel) => Promise<void>): Promise<void> {
    const active = target === undefined ? [...this.panels.values()].find((p) => p.active) : undefined;
    const panel = active ?? (await this.show(target));
    if (panel) await action(panel);
  }

  private async familyFor(target: ServicesElement | vscode.Uri | undefined): Promise<WorkspaceFamily | undefined> {
    // From the palette the pick must list what is on disk now: a project created a moment ago (by the CLI, a
    // git checkout) whose watcher event is late or lost would be missing. A tree node or a file is known already.
    if (!this.workspace.isLoaded || target === undefined) await this.workspace.scan();
    const families = this.workspace.families();
    if (target instanceof vscode.Uri) {
      const uri = target.toString();
      return families.find((f) => [f.uris.base, f.uris.override, f.uris.prod].some((u) => u?.toString() === uri)) ?? families.find((f) => uri.startsWith(f.key + '/'));
    }
    if (target && 'kind' in target && (target.kind === 'project' || target.kind === 'service')) {
      const key = target.kind === 'project' ? target.key : target.key.split('\u0000')[0];
      const family = families.find((f) => f.key === key);
      if (family) return family;
    }
    if (families.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No compose project in this workspace: the map needs a docker-compose.yml or compose.yaml.'));
      return undefined;
    }
    if (families.length === 1) return families[0];
    const active = vscode.window.activeTextEditor?.document.uri.toString() ?? '';
    const items = families
      .map((family) => {
        const files = mapFiles(this.workspace, family);
        return { family, label: files?.project ?? family.key, description: vscode.workspace.asRelativePath(family.folderUri), current: active.startsWith(family.key + '/') };
      })
      .sort((a, b) => Number(b.current) - Number(a.current) || a.label.localeCompare(b.label));
    const picked = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Which project\'s architecture map?'), matchOnDescription: true });
    return picked?.family;
  }

  private scheduleRedraw(): void {
    if (this.redrawTimer) clearTimeout(this.redrawTimer);
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = undefined;
      for (const panel of this.panels.values()) panel.render();
    }, 150);
  }

  snapshot(): MapSnapshot {
    return { panels: [...this.panels.values()].map((p) => p.snapshot()) };
  }

  dispose(): void {
    if (this.redrawTimer) clearTimeout(this.redrawTimer);
    for (const panel of this.panels.values()) panel.close();
    this.panels.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

interface PanelSources {
  files(): MapFiles | undefined;
  project(): ReturnType<ServicesView['project']>;
}

/** One project's map in one webview panel. */
export class MapPanel implements vscode.Disposable {
  private graph: ArchitectureGraph | undefined;
  private files: MapFiles | undefined;
  private findings = new Map<string, MapFinding[]>();
  private hasProd = false;
  private ready = false;
  private firstPaintMs: number | undefined;
  private lastStatus: MapSnapshot['panels'][number]['status'] = {};
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly ctx: BlueprintContext,
    private readonly panel: vscode.WebviewPanel,
    readonly familyKey: string,
    private view: MapView,
    private readonly sources: PanelSources,
  ) {
    const icon = (theme: string) => vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'map', `icon-${theme}.svg`);
    panel.iconPath = { light: icon('light'), dark: icon('dark') };
    panel.webview.html = mapHtml(panel.webview, ctx.extension.extensionUri, this.familyKey, view);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: FromWebview) => ctx.background('architecture map', this.onMessage(message))),
      panel.onDidChangeViewState(() => {
        // Hidden webviews are unloaded (retainContextWhenHidden is off); the script asks again with `ready`.
        if (!panel.visible) this.ready = false;
      }),
    );
    this.render();
  }

  get active(): boolean {
    return this.panel.active;
  }

  reveal(): void {
    this.panel.reveal();
  }

  owns(uri: vscode.Uri): boolean {
    const key = uri.toString();
    return this.files?.files.some((f) => f.uri.toString() === key) ?? false;
  }

  setView(view: MapView): void {
    if (view === this.view) return;
    this.view = view;
    this.render();
  }

  /** Rebuilds the graph from the files and sends the picture (when the webview is listening). */
  render(): void {
    this.files = this.sources.files();
    let error: string | undefined;
    try {
      if (this.files) {
        const architecture = architectureOf(this.files);
        this.hasProd = architecture.hasProd;
        this.graph = architecture[this.view];
      } else {
        this.graph = undefined;
        error = vscode.l10n.t('The compose files of this project are gone.');
      }
    } catch (e) {
      this.graph = undefined;
      error = vscode.l10n.t('The map cannot be drawn: {0}', errorText(e));
      this.ctx.log.warn(`architecture map: ${errorText(e)}`);
    }
    const project = this.files?.project ?? '';
    this.panel.title = project ? vscode.l10n.t('Architecture: {0}', project) : vscode.l10n.t('Architecture map');
    if (!this.ready) return;
    if (!this.graph) {
      void this.panel.webview.postMessage({ type: 'error', message: error ?? '' });
      return;
    }
    const status = this.currentStatus();
    const svg = renderSvg(layoutGraph(this.graph), { palette: 'webview', interactive: true, strings: mapStrings(), status });
    const empty = this.graph.services.length === 0 ? vscode.l10n.t('No services are declared in the {0} configuration.', this.viewName()) : '';
    void this.panel.webview.postMessage({ type: 'render', svg, view: this.view, hasProd: this.hasProd, project, empty, summary: this.summary() });
  }

  /** Sends only the live part (state, health, findings): the boxes change colour without a re-draw. */
  postStatus(): void {
    if (!this.graph) return;
    const status = this.currentStatus();
    if (!this.ready) return;
    const badge = mapStrings().findings;
    void this.panel.webview.postMessage({ type: 'status', services: [...status].map(([name, s]) => ({ name, ...s, badgeLabel: fill(badge, s.findings) })) });
  }

  private currentStatus() {
    this.findings = this.files && this.graph ? findingsByService(this.files, this.view) : new Map<string, MapFinding[]>();
    const status = statusOf(this.graph?.services ?? [], this.sources.project(), this.findings);
    this.lastStatus = Object.fromEntries([...status].map(([name, s]) => [name, { state: s.state, health: s.health, label: s.label, findings: s.findings }]));
    return status;
  }

  private viewName(): string {
    return this.view === 'dev' ? vscode.l10n.t('development') : vscode.l10n.t('production');
  }

  private summary(): string {
    const graph = this.graph;
    if (!graph) return '';
    return vscode.l10n.t('{0} services, {1} dependencies, {2} networks ({3} configuration)', graph.services.length, graph.edges.length, graph.networks.length, this.viewName());
  }

  private async onMessage(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.render();
        return;
      case 'view':
        if (message.view === 'dev' || message.view === 'prod') this.setView(message.view);
        return;
      case 'open':
        await this.openDefinition(message.service);
        return;
      case 'openFindings':
        await this.openFindings(message.service);
        return;
      case 'exportSvg':
        await this.exportSvg();
        return;
      case 'copyMermaid':
        await this.copyMermaid();
        return;
      case 'painted':
        if (this.firstPaintMs === undefined && typeof message.ms === 'number') {
          this.firstPaintMs = message.ms;
          this.ctx.log.info(`architecture map: first paint of ${message.services} services in ${message.ms.toFixed(1)} ms`);
        }
        return;
    }
  }

  private async openDefinition(name: string): Promise<void> {
    const service = this.graph?.services.find((s) => s.name === name);
    const file = service && this.files?.files[service.definition.file];
    if (!service || !file) return;
    const index = new LineIndex(file.text);
    const start = index.positionAt(service.definition.span.start);
    const end = index.positionAt(service.definition.span.end);
    const selection = new vscode.Range(start.line, start.character, end.line, end.character);
    await vscode.window.showTextDocument(file.uri, { selection, viewColumn: vscode.ViewColumn.Beside, preserveFocus: false });
  }

  private async openFindings(name: string): Promise<void> {
    const list = this.findings.get(name) ?? [];
    let chosen: MapFinding | undefined = list[0];
    if (list.length > 1) {
      const picked = await vscode.window.showQuickPick(
        list.map((finding) => ({
          finding,
          label: finding.diagnostic.message,
          description: `${typeof finding.diagnostic.code === 'object' ? String(finding.diagnostic.code.value) : String(finding.diagnostic.code ?? '')} · ${vscode.workspace.asRelativePath(finding.uri)}:${finding.diagnostic.range.start.line + 1}`,
        })),
        { placeHolder: vscode.l10n.t('Findings of {0}', name) },
      );
      chosen = picked?.finding;
    }
    if (!chosen) return;
    await vscode.window.showTextDocument(chosen.uri, { selection: chosen.diagnostic.range, viewColumn: vscode.ViewColumn.Beside });
  }

  /** Saves the current view as a self-contained SVG (colours follow the reader's light or dark preference). */
  async exportSvg(palette: Exclude<SvgPalette, 'webview'> = 'auto'): Promise<void> {
    if (!this.graph || !this.files) return;
    const defaultUri = vscode.Uri.joinPath(this.files.family.folderUri, `architecture-${this.view}.svg`);
    const target = await vscode.window.showSaveDialog({ defaultUri, filters: { SVG: ['svg'] }, saveLabel: vscode.l10n.t('Export SVG') });
    if (!target) return;
    const svg = renderSvg(layoutGraph(this.graph), { palette, strings: mapStrings() });
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(`<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`));
    this.ctx.log.info(`architecture map: exported ${target.toString(true)}`);
    void this.panel.webview.postMessage({ type: 'announce', text: vscode.l10n.t('Saved {0}', vscode.workspace.asRelativePath(target)) });
  }

  /** Copies the current view as a Mermaid flowchart (for a README's ```mermaid block). */
  async copyMermaid(): Promise<void> {
    if (!this.graph) return;
    const strings = mapStrings();
    await vscode.env.clipboard.writeText(toMermaid(this.graph, { network: strings.network, devOnly: strings.devOnly, prodOnly: strings.prodOnly }));
    const text = vscode.l10n.t('Mermaid flowchart of {0} copied to the clipboard', this.graph.project);
    vscode.window.setStatusBarMessage(text, 4000);
    void this.panel.webview.postMessage({ type: 'announce', text });
  }

  snapshot(): MapSnapshot['panels'][number] {
    return {
      project: this.files?.project ?? '',
      view: this.view,
      visible: this.panel.visible,
      services: this.graph?.services.map((s) => s.name) ?? [],
      edges: this.graph?.edges.map((e) => `${e.from}->${e.to}:${e.condition}`) ?? [],
      status: this.lastStatus,
      ...(this.firstPaintMs !== undefined ? { firstPaintMs: this.firstPaintMs } : {}),
    };
  }

  /** Closes the panel (its onDidDispose then disposes this). */
  close(): void {
    this.panel.dispose();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
