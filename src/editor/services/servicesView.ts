import * as vscode from 'vscode';
import { declaredServices } from '../../core/compose/declared';
import { composeProjectName } from '../../core/compose/files';
import type { ContainerInfo } from '../../core/docker/containers';
import { describeEndpoint } from '../../core/docker/endpoint';
import { serviceSources, type ServiceSource } from '../../core/docker/serviceSource';
import {
  buildProjects,
  diffProjects,
  containerSpeech,
  healthText,
  projectRollup,
  projectSpeech,
  serviceKey,
  serviceSpeech,
  stateText,
  unhealthyCount,
  type ProjectInput,
  type ProjectNode,
  type ServiceNode,
} from '../../core/docker/servicesModel';
import { chooseEndpoint } from '../../host/docker/connect';
import { LiveContainers, type LiveChange, type LiveConnection } from '../../host/docker/liveContainers';
import type { ComposeFileState, ComposeWorkspace, WorkspaceFamily } from '../composeWorkspace';
import { localize, type BlueprintContext } from '../context';
import { connectionItem, containerItem, projectItem, serviceItem, speak } from './treeItems';

/** Tree elements are stable handles (one object per key), so VS Code can refresh a single node. */
export type ServicesElement =
  | { readonly kind: 'connection' }
  | { readonly kind: 'project'; readonly key: string }
  | { readonly kind: 'service'; readonly key: string }
  | { readonly kind: 'container'; readonly id: string };

/** A project's files and where its services come from, for actions (compose files, definitions, Dockerfiles). */
export interface ProjectFiles {
  readonly family: WorkspaceFamily;
  readonly name: string;
  /** Base and override, in that order (the development configuration). */
  readonly devFiles: readonly ComposeFileState[];
  readonly sources: ReadonlyMap<string, ServiceSource>;
}

/** What the integration and UI tests read (test-facing; see `BlueprintApi.servicesSnapshot`). */
export interface ServicesSnapshot {
  readonly connection: { readonly status: LiveConnection['status']; readonly reason?: string; readonly message?: string; readonly endpoint?: string };
  readonly badge: number | undefined;
  readonly statusBar: string | undefined;
  readonly projects: readonly {
    readonly name: string;
    readonly rollup: string;
    readonly label: string;
    readonly services: readonly {
      /** The tree element's key, so a test can invoke the view's commands with `{ kind: 'service', key }`. */
      readonly key: string;
      readonly name: string;
      readonly state: string;
      readonly health: string;
      readonly running: number;
      readonly replicas: number;
      readonly label: string;
      readonly description: string;
      readonly containers: readonly { readonly name: string; readonly id: string; readonly state: string; readonly health: string; readonly label: string }[];
    }[];
  }[];
}

/**
 * The services view: compose projects of the workspace -> declared services -> live containers, kept current
 * by one Docker events stream (see LiveContainers). Also owns the view's badge and the status bar rollup.
 */
export class ServicesView implements vscode.TreeDataProvider<ServicesElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ServicesElement | ServicesElement[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly changeListeners = new vscode.EventEmitter<void>();
  /** Fires after the model changed (tests, the health log documents). */
  readonly onDidChangeModel = this.changeListeners.event;
  readonly live: LiveContainers;
  readonly view: vscode.TreeView<ServicesElement>;
  private readonly statusBar: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private projects: ProjectNode[] = [];
  private files = new Map<string, ProjectFiles>();
  private projectNames: ReadonlySet<string> = new Set();
  private readonly handles = new Map<string, ServicesElement>();
  private readonly connectionHandle: ServicesElement = { kind: 'connection' };
  private serviceIndex = new Map<string, ServiceNode>();
  private containerIndex = new Map<string, { container: ContainerInfo; serviceKey: string }>();

  constructor(
    private readonly ctx: BlueprintContext,
    private readonly workspace: ComposeWorkspace,
  ) {
    this.live = new LiveContainers({
      endpoint: () => chooseEndpoint({ setting: vscode.workspace.getConfiguration('composeBlueprint').get<string>('docker.host', '') }),
      projects: () => this.projectNames,
      log: { info: (m) => ctx.log.info(m), warn: (m) => ctx.log.warn(m), debug: (m) => ctx.log.debug(m) },
    });
    this.view = vscode.window.createTreeView('composeBlueprint.services', { treeDataProvider: this, showCollapseAll: true });
    this.statusBar = vscode.window.createStatusBarItem('composeBlueprint.services.status', vscode.StatusBarAlignment.Left, 20);
    this.statusBar.name = vscode.l10n.t('Compose Blueprint: project health');
    this.statusBar.command = 'composeBlueprint.services.focus';
    this.disposables.push(
      this.changed,
      this.changeListeners,
      this.view,
      this.statusBar,
      { dispose: () => this.live.dispose() },
      workspace.onDidChange(() => this.onWorkspaceChanged()),
      this.live.onDidChange((change) => this.onLiveChanged(change)),
      this.live.onDidChangeConnection((connection) => this.onConnectionChanged(connection)),
      this.view.onDidChangeVisibility((event) => this.live.setResyncEnabled(event.visible)),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateStatusBar()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('composeBlueprint.docker')) this.live.retry();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.live.retry()),
    );
    this.live.setResyncEnabled(this.view.visible);
    ctx.registerCommand('composeBlueprint.refreshServices', () => this.refresh());
    ctx.registerCommand('composeBlueprint.retryDocker', () => this.retry());
    this.onWorkspaceChanged();
  }

  /** Reconnects now (the Retry action); resolves when connected or unreachable again. */
  async retry(): Promise<void> {
    this.live.retry();
    await this.live.settled();
  }

  /** Re-reads the compose files' projects and resyncs every container. */
  async refresh(): Promise<void> {
    this.onWorkspaceChanged();
    if (this.live.isConnected) await this.live.resync();
    else await this.retry();
  }

  /** Resolves once the first connection attempt has an outcome (activation's `ready`). */
  async checkDocker(): Promise<void> {
    if (this.files.size === 0 && !this.workspace.isLoaded) return;
    await this.live.settled();
  }

  // ---- model ----

  private projectInputs(): ProjectInput[] {
    return [...this.files.values()].map((files) => ({
      key: files.family.key,
      name: files.name,
      services: declaredServices(files.devFiles.map((f) => f.parsed)).services.map((s) => s.name),
    }));
  }

  private readFamilies(): Map<string, ProjectFiles> {
    const result = new Map<string, ProjectFiles>();
    for (const family of this.workspace.families()) {
      const devFiles = [family.uris.base, family.uris.override].flatMap((uri) => {
        const state = uri ? this.workspace.get(uri) : undefined;
        return state ? [state] : [];
      });
      const parsed = devFiles.map((f) => f.parsed);
      const folderName = decodeURIComponent(family.family.folder.slice(family.family.folder.lastIndexOf('/') + 1));
      const name = composeProjectName(folderName, declaredServices(parsed).name);
      result.set(family.key, { family, name, devFiles, sources: serviceSources(parsed) });
    }
    return result;
  }

  private onWorkspaceChanged(): void {
    this.setContext('composeBlueprint.projectsLoaded', this.workspace.isLoaded);
    this.setContext('composeBlueprint.hasComposeFile', this.workspace.families().length > 0);
    const before = this.projectNames;
    const familiesBefore = this.familiesSignature();
    this.files = this.readFamilies();
    this.projectNames = new Set([...this.files.values()].map((f) => f.name));
    const newProject = [...this.projectNames].some((name) => !before.has(name));
    if (this.files.size > 0) {
      // Connect only once there is something to show; a new project's containers need one list.
      if (this.live.connection.status === 'idle') this.live.start();
      else if (newProject && this.live.isConnected) this.ctx.background('listing containers', this.live.resync());
    }
    // Typing in a compose file lands here on every keystroke: redraw only what changed unless files came or went.
    this.rebuild(this.familiesSignature() !== familiesBefore);
  }

  private familiesSignature(): string {
    return JSON.stringify([...this.files.values()].map((f) => [f.family.key, f.name, f.family.uris.base.toString(), f.family.uris.override?.toString(), f.family.uris.prod?.toString()]));
  }

  private onLiveChanged(change: LiveChange): void {
    this.rebuild(change.full);
  }

  private onConnectionChanged(connection: LiveConnection): void {
    this.setContext('composeBlueprint.dockerConnected', connection.status === 'connected');
    if (connection.status === 'connecting') return;
    this.rebuild(true);
  }

  private readonly contextKeys = new Map<string, boolean>();

  /** Sets a `when` context key only when it changes (the workspace changes on every keystroke in a compose file). */
  private setContext(key: string, value: boolean): void {
    if (this.contextKeys.get(key) === value) return;
    this.contextKeys.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  private rebuild(full: boolean): void {
    const before = this.projects;
    this.projects = buildProjects(this.projectInputs(), this.live.containers.values(), this.live.isConnected);
    this.serviceIndex = new Map(this.projects.flatMap((p) => p.services.map((s) => [s.key, s] as const)));
    this.containerIndex = new Map(this.projects.flatMap((p) => p.services.flatMap((s) => s.containers.map((c) => [c.id, { container: c, serviceKey: s.key }] as const))));
    const diff = diffProjects(before, this.projects);
    if (full || diff.root) {
      this.changed.fire(undefined);
    } else {
      const elements = [
        ...diff.projects.map((key) => this.handle({ kind: 'project', key })),
        ...diff.services.map((key) => this.handle({ kind: 'service', key })),
        ...diff.containers.map((id) => this.handle({ kind: 'container', id })),
      ];
      if (elements.length > 0) this.changed.fire(elements);
    }
    this.updateBadge();
    this.updateStatusBar();
    this.changeListeners.fire();
  }

  private handle(element: ServicesElement): ServicesElement {
    const key = element.kind === 'connection' ? 'connection' : element.kind === 'container' ? `c:${element.id}` : `${element.kind[0]}:${element.key}`;
    const known = this.handles.get(key);
    if (known) return known;
    this.handles.set(key, element);
    return element;
  }

  private updateBadge(): void {
    const unhealthy = unhealthyCount(this.projects);
    this.view.badge = unhealthy > 0 ? { value: unhealthy, tooltip: vscode.l10n.t('{0} unhealthy services', unhealthy) } : undefined;
  }

  /** The project of the active editor's file, else the only project of the workspace. */
  activeProject(): ProjectNode | undefined {
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    if (active) {
      const owner = [...this.files.values()]
        .filter((files) => active.startsWith(files.family.key + '/'))
        .sort((a, b) => b.family.key.length - a.family.key.length)[0];
      if (owner) return this.projects.find((p) => p.key === owner.family.key);
    }
    return this.projects.length === 1 ? this.projects[0] : undefined;
  }

  private updateStatusBar(): void {
    const project = this.activeProject();
    if (!project) {
      this.statusBar.hide();
      return;
    }
    const rollup = localize(projectRollup(project));
    const symbol = !project.live ? '$(debug-disconnect)' : project.unhealthy > 0 ? '$(heart)' : '$(layers)';
    this.statusBar.text = `${symbol} ${project.name}: ${rollup}`;
    this.statusBar.tooltip = vscode.l10n.t('Compose project {0}: {1}. Click to show the services view.', project.name, rollup);
    this.statusBar.accessibilityInformation = { label: speak(projectSpeech(project)) };
    this.statusBar.backgroundColor = project.live && project.unhealthy > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.statusBar.show();
  }

  // ---- lookups for actions ----

  service(key: string): ServiceNode | undefined {
    return this.serviceIndex.get(key);
  }

  container(id: string): ContainerInfo | undefined {
    return this.containerIndex.get(id)?.container;
  }

  project(key: string): ProjectNode | undefined {
    return this.projects.find((p) => p.key === key);
  }

  projectFiles(key: string): ProjectFiles | undefined {
    return this.files.get(key);
  }

  /** The project's files for a service key (`projectKey\0service`). */
  filesOfService(key: string): ProjectFiles | undefined {
    const service = this.serviceIndex.get(key);
    return service ? this.files.get(service.projectKey) : undefined;
  }

  serviceOfContainer(id: string): ServiceNode | undefined {
    const entry = this.containerIndex.get(id);
    return entry ? this.serviceIndex.get(entry.serviceKey) : undefined;
  }

  // ---- TreeDataProvider ----

  getChildren(element?: ServicesElement): ServicesElement[] {
    if (!element) {
      const projects = this.projects.map((p) => this.handle({ kind: 'project', key: p.key }));
      return this.live.connection.status === 'unreachable' && projects.length > 0 ? [this.connectionHandle, ...projects] : projects;
    }
    if (element.kind === 'project') return (this.project(element.key)?.services ?? []).map((s) => this.handle({ kind: 'service', key: s.key }));
    if (element.kind === 'service') return (this.serviceIndex.get(element.key)?.containers ?? []).map((c) => this.handle({ kind: 'container', id: c.id }));
    return [];
  }

  getParent(element: ServicesElement): ServicesElement | undefined {
    if (element.kind === 'service') {
      const service = this.serviceIndex.get(element.key);
      return service ? this.handle({ kind: 'project', key: service.projectKey }) : undefined;
    }
    if (element.kind === 'container') {
      const entry = this.containerIndex.get(element.id);
      return entry ? this.handle({ kind: 'service', key: entry.serviceKey }) : undefined;
    }
    return undefined;
  }

  getTreeItem(element: ServicesElement): vscode.TreeItem {
    const now = Date.now();
    switch (element.kind) {
      case 'connection':
        return connectionItem(this.live.connection);
      case 'project': {
        const project = this.project(element.key);
        const files = this.files.get(element.key);
        if (!project || !files) return new vscode.TreeItem(element.key);
        return projectItem(project, files.family.uris.prod !== undefined, files.family.uris.base);
      }
      case 'service': {
        const service = this.serviceIndex.get(element.key);
        const hasBuild = service ? this.files.get(service.projectKey)?.sources.get(service.name)?.build !== undefined : false;
        return service ? serviceItem(service, now, hasBuild) : new vscode.TreeItem(element.key.split('\u0000').pop() ?? '');
      }
      case 'container': {
        const container = this.container(element.id);
        return container ? containerItem(container, now) : new vscode.TreeItem(element.id.slice(0, 12));
      }
    }
  }

  /** Test-facing: the view's state as plain data, with the accessibility labels the tree shows. */
  snapshot(): ServicesSnapshot {
    const connection = this.live.connection;
    return {
      connection: {
        status: connection.status,
        ...(connection.status !== 'idle' ? { endpoint: describeEndpoint(connection.endpoint) } : {}),
        ...(connection.status === 'unreachable' ? { reason: connection.unreachable.reason, message: localize(connection.unreachable.message) } : {}),
      },
      badge: typeof this.view.badge?.value === 'number' ? this.view.badge.value : undefined,
      statusBar: this.activeProject() ? this.statusBar.text : undefined,
      projects: this.projects.map((project) => ({
        name: project.name,
        rollup: localize(projectRollup(project)),
        label: speak(projectSpeech(project)),
        services: project.services.map((service) => ({
          key: service.key,
          name: service.name,
          state: localize(stateText(service.state, service.exitCode)),
          health: localize(healthText(service.health)),
          running: service.running,
          replicas: service.replicas,
          label: speak(serviceSpeech(service)),
          description: String(serviceItem(service, Date.now()).description ?? ''),
          containers: service.containers.map((c) => ({
            name: c.name,
            id: c.id,
            state: localize(stateText(c.state, c.exitCode)),
            health: localize(healthText(c.health)),
            label: speak(containerSpeech(c)),
          })),
        })),
      })),
    };
  }

  serviceKeyOf(projectKey: string, name: string): string {
    return serviceKey(projectKey, name);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
