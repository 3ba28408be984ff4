import * as vscode from 'vscode';
import { declaredServices } from '../../core/compose/declared';
import { composeProjectName } from '../../core/compose/files';
import type { ContainerInfo } from '../../core/docker/containers';
import { describeEndpoint } from '../../core/docker/endpoint';
import { ENGINES_SETTING, LOCAL_ENGINE_KEY, parseEnginesSetting, resolveEngines, type EngineProblem, type EngineSpec } from '../../core/docker/engines';
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
import { buildStacks, diffStacks, stackLabel, stackServiceSpeech, stackSpeech, taskSpeech, taskStateText, serviceStatusText, type StackNode, type StackServiceNode, type TaskNode } from '../../core/docker/swarm';
import { chooseEndpoint } from '../../host/docker/connect';
import { listDockerContexts } from '../../host/docker/contexts';
import { LiveContainers, type LiveChange, type LiveConnection, type LiveLog } from '../../host/docker/liveContainers';
import type { ComposeFileState, ComposeWorkspace, WorkspaceFamily } from '../composeWorkspace';
import { localize, type BlueprintContext } from '../context';
import { connectionItem, containerItem, engineItem, projectItem, serviceItem, speak, stackItem, stackServiceItem, taskItem } from './treeItems';

/** Tree elements are stable handles (one object per key), so VS Code can refresh a single node. */
export type ServicesElement =
  | { readonly kind: 'connection' }
  | { readonly kind: 'engine'; readonly key: string }
  | { readonly kind: 'project'; readonly key: string }
  | { readonly kind: 'service'; readonly key: string }
  /** `engine` is the engine's key; absent: the local engine. */
  | { readonly kind: 'container'; readonly id: string; readonly engine?: string }
  /** Swarm: `engine` is always the engine's key (one daemon reached twice shows the same ids twice). */
  | { readonly kind: 'stack'; readonly engine: string; readonly key: string }
  | { readonly kind: 'swarmService'; readonly engine: string; readonly key: string }
  | { readonly kind: 'task'; readonly engine: string; readonly key: string };

/** One Docker engine of the view: its connection and the compose projects seen there. */
export interface ViewEngine {
  spec: EngineSpec;
  readonly live: LiveContainers;
  projects: ProjectNode[];
  /** Swarm stacks when the engine is a Swarm manager, else empty. */
  stacks: StackNode[];
  /** When the engine became unreachable (for the retry countdown). */
  unreachableAt?: number;
  readonly subscriptions: { dispose(): void }[];
}

type ProjectSnapshot = {
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
};

type StackSnapshot = {
  readonly key: string;
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly services: readonly {
    /** The tree element's key: `{ kind: 'swarmService', engine, key }` invokes the view's Swarm commands. */
    readonly key: string;
    readonly id: string;
    readonly name: string;
    readonly mode: string;
    readonly running: number;
    readonly desired: number;
    readonly status: string;
    readonly updateState?: string;
    readonly health: string;
    readonly label: string;
    readonly description: string;
    readonly tasks: readonly {
      readonly key: string;
      readonly id: string;
      readonly name: string;
      readonly state: string;
      readonly current: boolean;
      readonly node: string;
      readonly error?: string;
      readonly health: string;
      readonly label: string;
      readonly description: string;
    }[];
  }[];
};

type ConnectionSnapshot = {
  readonly status: LiveConnection['status'];
  readonly reason?: string;
  readonly message?: string;
  readonly endpoint?: string;
  readonly version?: string;
};

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
  /** The local engine's connection (the only one in the one-engine view). */
  readonly connection: ConnectionSnapshot;
  readonly badge: number | undefined;
  readonly statusBar: string | undefined;
  /** The local engine's compose projects. */
  readonly projects: readonly ProjectSnapshot[];
  /** The local engine's Swarm stacks (empty unless it is a Swarm manager). */
  readonly stacks: readonly StackSnapshot[];
  /** Every engine, local first, with its connection, its projects and its tree row's label and description. */
  readonly engines: readonly {
    readonly key: string;
    readonly name: string;
    readonly local: boolean;
    readonly connection: ConnectionSnapshot;
    readonly label: string;
    readonly description: string;
    readonly projects: readonly ProjectSnapshot[];
    /** Whether the engine is a Swarm manager (its stacks are shown). */
    readonly swarmManager: boolean;
    readonly stacks: readonly StackSnapshot[];
  }[];
  /** Problems of the engines setting, formatted. */
  readonly engineProblems: readonly string[];
  /** Labels of the root rows as the tree shows them. */
  readonly roots: readonly string[];
}

/** Separates an engine's key from a family key in the project keys of engines other than the local one. */
const ENGINE_SEPARATOR = '\u0001';

/**
 * The services view: for each Docker engine (the local one, plus those of `composeBlueprint.docker.engines`),
 * compose projects of the workspace -> declared services -> live containers, kept current by one Docker events
 * stream per engine (see LiveContainers). With one engine the tree has no engine level. Also owns the view's
 * badge and the status bar rollup (local engine).
 */
export class ServicesView implements vscode.TreeDataProvider<ServicesElement>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ServicesElement | ServicesElement[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly changeListeners = new vscode.EventEmitter<void>();
  /** Fires after the model changed (tests, the health log documents). */
  readonly onDidChangeModel = this.changeListeners.event;
  readonly view: vscode.TreeView<ServicesElement>;
  private readonly statusBar: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private engines: ViewEngine[] = [];
  private engineProblems: readonly EngineProblem[] = [];
  private files = new Map<string, ProjectFiles>();
  private projectNames: ReadonlySet<string> = new Set();
  private readonly handles = new Map<string, ServicesElement>();
  private readonly connectionHandle: ServicesElement = { kind: 'connection' };
  private serviceIndex = new Map<string, ServiceNode>();
  private containerIndex = new Map<string, { container: ContainerInfo; serviceKey: string }>();
  /** Swarm nodes by `<engine>\0<key>`, with their parent's key. */
  private swarmServiceIndex = new Map<string, StackServiceNode>();
  private taskIndex = new Map<string, { task: TaskNode; serviceKey: string }>();
  private countdown: NodeJS.Timeout | undefined;
  private lastProblems = '';

  constructor(
    private readonly ctx: BlueprintContext,
    private readonly workspace: ComposeWorkspace,
  ) {
    this.view = vscode.window.createTreeView('composeBlueprint.services', { treeDataProvider: this, showCollapseAll: true });
    this.statusBar = vscode.window.createStatusBarItem('composeBlueprint.services.status', vscode.StatusBarAlignment.Left, 20);
    this.statusBar.name = vscode.l10n.t('Compose Blueprint: project health');
    this.statusBar.command = 'composeBlueprint.services.focus';
    this.disposables.push(
      this.changed,
      this.changeListeners,
      this.view,
      this.statusBar,
      { dispose: () => this.disposeEngines() },
      workspace.onDidChange(() => this.onWorkspaceChanged()),
      this.view.onDidChangeVisibility((event) => {
        for (const engine of this.engines) engine.live.setResyncEnabled(event.visible);
        this.updateCountdown();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateStatusBar()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration('composeBlueprint.docker')) return;
        this.reconcileEngines();
        if (event.affectsConfiguration('composeBlueprint.docker.host')) this.local.live.retry();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.reconcileEngines();
        for (const engine of this.engines) engine.live.retry();
      }),
    );
    this.reconcileEngines();
    ctx.registerCommand('composeBlueprint.refreshServices', () => this.refresh());
    ctx.registerCommand('composeBlueprint.retryDocker', (element?: ServicesElement) => this.retry(element));
    this.onWorkspaceChanged();
  }

  /** The local engine (always present, always first). */
  get local(): ViewEngine {
    return this.engines[0]!;
  }

  /** The local engine's connection (the map, the status bar, and the one-engine view use it). */
  get live(): LiveContainers {
    return this.local.live;
  }

  /** True when the tree shows a level of engine nodes. */
  get multiEngine(): boolean {
    return this.engines.length > 1;
  }

  /** Reconnects now (the Retry action); resolves when connected or unreachable again. */
  async retry(element?: ServicesElement): Promise<void> {
    const targets = element?.kind === 'engine' ? this.engines.filter((e) => e.spec.key === element.key) : element === undefined || element.kind === 'connection' ? (element ? [this.local] : this.engines) : [this.engineOf(element)];
    for (const engine of targets) engine.live.retry();
    await Promise.all(targets.map((engine) => engine.live.settled()));
  }

  /** Re-reads the compose files' projects and resyncs every container of every engine. */
  async refresh(): Promise<void> {
    await this.workspace.scan();
    this.onWorkspaceChanged();
    this.reconcileEngines();
    await Promise.all(this.engines.map((engine) => (engine.live.isConnected ? engine.live.resync() : (engine.live.retry(), engine.live.settled()))));
  }

  /** Resolves once the first connection attempt has an outcome (activation's `ready`). */
  async checkDocker(): Promise<void> {
    if (this.files.size === 0 && !this.workspace.isLoaded) return;
    await Promise.all(this.engines.map((engine) => engine.live.settled()));
  }

  // ---- engines ----

  /** Engines of the settings, resolved; problems of the setting are logged once each time they change. */
  private engineSpecs(): EngineSpec[] {
    const config = vscode.workspace.getConfiguration('composeBlueprint');
    const local = chooseEndpoint({ setting: config.get<string>('docker.host', '') });
    const { entries, problems: parseProblems } = parseEnginesSetting(config.get<unknown>('docker.engines'));
    const needsContexts = entries.some((entry) => entry.kind === 'context');
    const contexts = new Map(needsContexts ? listDockerContexts().map((c) => [c.name, c.endpoint] as const) : []);
    const { engines, problems } = resolveEngines({ local, entries, contexts });
    this.engineProblems = [...parseProblems, ...problems];
    const text = this.engineProblems.map((p) => localize(p.message)).join('\n');
    if (text !== this.lastProblems) {
      this.lastProblems = text;
      if (text !== '') {
        this.ctx.log.warn(`${ENGINES_SETTING}:\n${text}`);
        this.ctx.background('showing the engines setting problems', this.showEngineProblems());
      }
    }
    return engines;
  }

  /** Tells the user once per change of the setting's problems, with the first one and a way to the setting. */
  private async showEngineProblems(): Promise<void> {
    const first = this.engineProblems[0];
    if (!first) return;
    const openSettings = vscode.l10n.t('Open Settings');
    const openLog = vscode.l10n.t('Open Log');
    const text =
      this.engineProblems.length === 1
        ? vscode.l10n.t('{0}: {1}', ENGINES_SETTING, localize(first.message))
        : vscode.l10n.t('{0}: {1} (and {2} more problems; see the log)', ENGINES_SETTING, localize(first.message), this.engineProblems.length - 1);
    const choice = await vscode.window.showWarningMessage(text, openSettings, openLog);
    if (choice === openSettings) await vscode.commands.executeCommand('workbench.action.openSettings', ENGINES_SETTING);
    else if (choice === openLog) this.ctx.log.show();
  }

  /** Creates, updates and drops engines to match the settings; each keeps its connection while its key stays. */
  private reconcileEngines(): void {
    const specs = this.engineSpecs();
    const before = new Map(this.engines.map((e) => [e.spec.key, e]));
    const next: ViewEngine[] = [];
    for (const spec of specs) {
      const known = before.get(spec.key);
      if (known) {
        known.spec = spec;
        before.delete(spec.key);
        next.push(known);
      } else {
        next.push(this.createEngine(spec));
      }
    }
    for (const gone of before.values()) this.disposeEngine(gone);
    const shapeChanged = next.length !== this.engines.length || next.some((e, i) => e !== this.engines[i]);
    this.engines = next;
    this.setContext('composeBlueprint.multipleEngines', this.multiEngine);
    for (const engine of this.engines) if (!engine.spec.local || this.files.size > 0 || this.multiEngine) engine.live.start();
    if (shapeChanged) this.rebuild(true);
  }

  private createEngine(spec: EngineSpec): ViewEngine {
    const engine: ViewEngine = { spec, projects: [], stacks: [], subscriptions: [], live: undefined as unknown as LiveContainers };
    const live = new LiveContainers({
      // The local engine resolves its endpoint on every (re)connection, so a changed context takes effect on Retry.
      endpoint: () => (engine.spec.local ? chooseEndpoint({ setting: vscode.workspace.getConfiguration('composeBlueprint').get<string>('docker.host', '') }) : engine.spec.endpoint),
      projects: () => this.projectNames,
      log: this.engineLog(spec),
    });
    (engine as { live: LiveContainers }).live = live;
    engine.subscriptions.push(
      live.onDidChange((change) => this.onLiveChanged(engine, change)),
      live.onDidChangeConnection((connection) => this.onConnectionChanged(engine, connection)),
    );
    live.setResyncEnabled(this.view?.visible ?? false);
    return engine;
  }

  private engineLog(spec: EngineSpec): LiveLog {
    const prefix = spec.local ? '' : `[${spec.name}] `;
    return { info: (m) => this.ctx.log.info(prefix + m), warn: (m) => this.ctx.log.warn(prefix + m), debug: (m) => this.ctx.log.debug(prefix + m) };
  }

  private disposeEngine(engine: ViewEngine): void {
    for (const subscription of engine.subscriptions.splice(0)) subscription.dispose();
    engine.live.dispose();
  }

  private disposeEngines(): void {
    if (this.countdown) clearInterval(this.countdown);
    this.countdown = undefined;
    for (const engine of this.engines.splice(0)) this.disposeEngine(engine);
  }

  engine(key: string): ViewEngine | undefined {
    return this.engines.find((e) => e.spec.key === key);
  }

  allEngines(): readonly ViewEngine[] {
    return this.engines;
  }

  /** The engine a tree element belongs to (the local one for elements without an engine). */
  engineOf(element: ServicesElement | undefined): ViewEngine {
    if (!element) return this.local;
    switch (element.kind) {
      case 'engine':
        return this.engine(element.key) ?? this.local;
      case 'connection':
        return this.local;
      case 'container':
        return (element.engine ? this.engine(element.engine) : undefined) ?? this.local;
      case 'project':
        return this.engineOfProjectKey(element.key);
      case 'service': {
        const service = this.serviceIndex.get(element.key);
        return service ? this.engineOfProjectKey(service.projectKey) : this.local;
      }
      case 'stack':
      case 'swarmService':
      case 'task':
        return this.engine(element.engine) ?? this.local;
    }
  }

  private engineOfProjectKey(projectKey: string): ViewEngine {
    const at = projectKey.indexOf(ENGINE_SEPARATOR);
    return at < 0 ? this.local : (this.engine(projectKey.slice(0, at)) ?? this.local);
  }

  private familyKeyOf(projectKey: string): string {
    const at = projectKey.indexOf(ENGINE_SEPARATOR);
    return at < 0 ? projectKey : projectKey.slice(at + 1);
  }

  // ---- model ----

  private projectInputs(engine: ViewEngine): ProjectInput[] {
    const prefix = engine.spec.local ? '' : engine.spec.key + ENGINE_SEPARATOR;
    return [...this.files.values()].map((files) => ({
      key: prefix + files.family.key,
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
      for (const engine of this.engines) {
        // Connect only once there is something to show; a new project's containers need one list.
        if (engine.live.connection.status === 'idle') engine.live.start();
        else if (newProject && engine.live.isConnected) this.ctx.background('listing containers', engine.live.resync());
      }
    }
    // Typing in a compose file lands here on every keystroke: redraw only what changed unless files came or went.
    this.rebuild(this.familiesSignature() !== familiesBefore);
  }

  private familiesSignature(): string {
    return JSON.stringify([...this.files.values()].map((f) => [f.family.key, f.name, f.family.uris.base.toString(), f.family.uris.override?.toString(), f.family.uris.prod?.toString()]));
  }

  private onLiveChanged(_engine: ViewEngine, change: LiveChange): void {
    this.rebuild(change.full);
  }

  private onConnectionChanged(engine: ViewEngine, connection: LiveConnection): void {
    if (engine === this.local) this.setContext('composeBlueprint.dockerConnected', connection.status === 'connected');
    if (connection.status === 'unreachable') engine.unreachableAt = Date.now();
    else delete engine.unreachableAt;
    this.updateCountdown();
    if (connection.status === 'connecting') {
      if (this.multiEngine) this.changed.fire(this.handle({ kind: 'engine', key: engine.spec.key }));
      return;
    }
    this.rebuild(true);
  }

  /** While an engine is unreachable and the view visible, its row counts down to the next attempt. */
  private updateCountdown(): void {
    const waiting = this.view.visible && this.engines.some((e) => e.unreachableAt !== undefined);
    if (waiting && !this.countdown) {
      this.countdown = setInterval(() => {
        const rows = this.engines.filter((e) => e.unreachableAt !== undefined).map((e) => (this.multiEngine ? this.handle({ kind: 'engine', key: e.spec.key }) : e === this.local ? this.connectionHandle : undefined));
        const present = rows.filter((r): r is ServicesElement => r !== undefined);
        if (present.length > 0) this.changed.fire(present);
      }, 1000);
      this.countdown.unref?.();
    } else if (!waiting && this.countdown) {
      clearInterval(this.countdown);
      this.countdown = undefined;
    }
  }

  private readonly contextKeys = new Map<string, boolean>();

  /** Sets a `when` context key only when it changes (the workspace changes on every keystroke in a compose file). */
  private setContext(key: string, value: boolean): void {
    if (this.contextKeys.get(key) === value) return;
    this.contextKeys.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  private rebuild(full: boolean): void {
    if (this.engines.length === 0) return;
    const changedElements: ServicesElement[] = [];
    let root = full;
    for (const engine of this.engines) {
      const before = engine.projects;
      const built = buildProjects(this.projectInputs(engine), engine.live.containers.values(), engine.live.isConnected);
      // Other engines show the workspace's projects that have containers there; the local one shows them all.
      engine.projects = engine.spec.local ? built : built.filter((p) => p.services.some((s) => s.containers.length > 0));
      const diff = diffProjects(before, engine.projects);
      if (diff.root) {
        if (engine.spec.local && !this.multiEngine) root = true;
        else changedElements.push(this.handle({ kind: 'engine', key: engine.spec.key }));
      }
      const engineKey = engine.spec.local ? undefined : engine.spec.key;
      changedElements.push(
        ...diff.projects.map((key) => this.handle({ kind: 'project', key })),
        ...diff.services.map((key) => this.handle({ kind: 'service', key })),
        ...diff.containers.map((id) => this.handle({ kind: 'container', id, ...(engineKey ? { engine: engineKey } : {}) })),
      );
      const stacksBefore = engine.stacks;
      const swarm = engine.live.swarm;
      engine.stacks = swarm ? buildStacks(swarm, engine.live.taskContainers.values()) : [];
      const stackDiff = diffStacks(stacksBefore, engine.stacks);
      const on = engine.spec.key;
      if (stackDiff.root) {
        if (engine.spec.local && !this.multiEngine) root = true;
        else changedElements.push(this.handle({ kind: 'engine', key: engine.spec.key }));
      }
      changedElements.push(
        ...stackDiff.stacks.map((key) => this.handle({ kind: 'stack', engine: on, key })),
        ...stackDiff.services.map((key) => this.handle({ kind: 'swarmService', engine: on, key })),
        ...stackDiff.tasks.map((key) => this.handle({ kind: 'task', engine: on, key })),
      );
    }
    this.swarmServiceIndex = new Map(this.engines.flatMap((e) => e.stacks.flatMap((st) => st.services.map((sv) => [`${e.spec.key}\u0000${sv.key}`, sv] as const))));
    this.taskIndex = new Map(
      this.engines.flatMap((e) => e.stacks.flatMap((st) => st.services.flatMap((sv) => sv.tasks.map((t) => [`${e.spec.key}\u0000${t.key}`, { task: t, serviceKey: sv.key }] as const)))),
    );
    this.serviceIndex = new Map(this.engines.flatMap((e) => e.projects.flatMap((p) => p.services.map((s) => [s.key, s] as const))));
    this.containerIndex = new Map(
      this.engines.flatMap((e) => e.projects.flatMap((p) => p.services.flatMap((s) => s.containers.map((c) => [containerIndexKey(e.spec, c.id), { container: c, serviceKey: s.key }] as const)))),
    );
    this.pruneHandles();
    if (root) this.changed.fire(undefined);
    else if (changedElements.length > 0) this.changed.fire(changedElements);
    this.updateBadge();
    this.updateStatusBar();
    this.changeListeners.fire();
  }

  /** Forgets handles of containers and tasks that are gone: a crash-looping service makes a new task every few seconds. */
  private pruneHandles(): void {
    for (const [key, element] of this.handles) {
      const gone =
        element.kind === 'task'
          ? !this.taskIndex.has(`${element.engine}\u0000${element.key}`)
          : element.kind === 'container'
            ? !this.containerIndex.has(`${element.engine ?? LOCAL_ENGINE_KEY}\u0000${element.id}`)
            : false;
      if (gone) this.handles.delete(key);
    }
  }

  private handle(element: ServicesElement): ServicesElement {
    const key =
      element.kind === 'connection'
        ? 'connection'
        : element.kind === 'container'
          ? `c:${element.engine ?? LOCAL_ENGINE_KEY}:${element.id}`
          : element.kind === 'stack' || element.kind === 'swarmService' || element.kind === 'task'
            ? `${element.kind}:${element.engine}:${element.key}`
            : `${element.kind}:${element.key}`;
    const known = this.handles.get(key);
    if (known) return known;
    this.handles.set(key, element);
    return element;
  }

  /** Unhealthy services of every engine. */
  private badgeCount(): number {
    return this.engines.reduce((sum, engine) => sum + unhealthyCount(engine.projects) + engine.stacks.reduce((n, stack) => n + stack.unhealthy, 0), 0);
  }

  private updateBadge(): void {
    const unhealthy = this.badgeCount();
    this.view.badge = unhealthy > 0 ? { value: unhealthy, tooltip: vscode.l10n.t('{0} services unhealthy or failing', unhealthy) } : undefined;
  }

  /** The local project of the active editor's file, else the only project of the workspace. */
  activeProject(): ProjectNode | undefined {
    const projects = this.local.projects;
    const active = vscode.window.activeTextEditor?.document.uri.toString();
    if (active) {
      const owner = [...this.files.values()]
        .filter((files) => active.startsWith(files.family.key + '/'))
        .sort((a, b) => b.family.key.length - a.family.key.length)[0];
      if (owner) return projects.find((p) => p.key === owner.family.key);
    }
    return projects.length === 1 ? projects[0] : undefined;
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

  container(id: string, engineKey?: string): ContainerInfo | undefined {
    return this.containerIndex.get(`${engineKey ?? LOCAL_ENGINE_KEY}\u0000${id}`)?.container;
  }

  project(key: string): ProjectNode | undefined {
    return this.engineOfProjectKey(key).projects.find((p) => p.key === key);
  }

  projectFiles(key: string): ProjectFiles | undefined {
    return this.files.get(this.familyKeyOf(key));
  }

  /** The project's files for a service key (`projectKey\0service`). */
  filesOfService(key: string): ProjectFiles | undefined {
    const service = this.serviceIndex.get(key);
    return service ? this.projectFiles(service.projectKey) : undefined;
  }

  serviceOfContainer(id: string, engineKey?: string): ServiceNode | undefined {
    const entry = this.containerIndex.get(`${engineKey ?? LOCAL_ENGINE_KEY}\u0000${id}`);
    return entry ? this.serviceIndex.get(entry.serviceKey) : undefined;
  }

  stack(engineKey: string, key: string): StackNode | undefined {
    return this.engine(engineKey)?.stacks.find((stack) => stack.key === key);
  }

  swarmService(engineKey: string, key: string): StackServiceNode | undefined {
    return this.swarmServiceIndex.get(`${engineKey}\u0000${key}`);
  }

  task(engineKey: string, key: string): TaskNode | undefined {
    return this.taskIndex.get(`${engineKey}\u0000${key}`)?.task;
  }

  // ---- TreeDataProvider ----

  /** An engine's compose projects, then its Swarm stacks. */
  private engineChildren(engine: ViewEngine): ServicesElement[] {
    return [
      ...engine.projects.map((p) => this.handle({ kind: 'project', key: p.key })),
      ...engine.stacks.map((stack) => this.handle({ kind: 'stack', engine: engine.spec.key, key: stack.key })),
    ];
  }

  getChildren(element?: ServicesElement): ServicesElement[] {
    if (!element) {
      if (this.multiEngine) return this.engines.map((e) => this.handle({ kind: 'engine', key: e.spec.key }));
      if (this.engines.length === 0) return [];
      const projects = this.engineChildren(this.local);
      return this.live.connection.status === 'unreachable' && projects.length > 0 ? [this.connectionHandle, ...projects] : projects;
    }
    if (element.kind === 'engine') {
      const engine = this.engine(element.key);
      return engine ? this.engineChildren(engine) : [];
    }
    if (element.kind === 'project') return (this.project(element.key)?.services ?? []).map((s) => this.handle({ kind: 'service', key: s.key }));
    if (element.kind === 'service') {
      const engine = this.engineOf(element);
      const engineKey = engine.spec.local ? undefined : engine.spec.key;
      return (this.serviceIndex.get(element.key)?.containers ?? []).map((c) => this.handle({ kind: 'container', id: c.id, ...(engineKey ? { engine: engineKey } : {}) }));
    }
    if (element.kind === 'stack') return (this.stack(element.engine, element.key)?.services ?? []).map((s) => this.handle({ kind: 'swarmService', engine: element.engine, key: s.key }));
    if (element.kind === 'swarmService') return (this.swarmService(element.engine, element.key)?.tasks ?? []).map((t) => this.handle({ kind: 'task', engine: element.engine, key: t.key }));
    return [];
  }

  getParent(element: ServicesElement): ServicesElement | undefined {
    if (element.kind === 'stack') return this.multiEngine ? this.handle({ kind: 'engine', key: element.engine }) : undefined;
    if (element.kind === 'swarmService') {
      const service = this.swarmService(element.engine, element.key);
      return service ? this.handle({ kind: 'stack', engine: element.engine, key: service.stackKey }) : undefined;
    }
    if (element.kind === 'task') {
      const entry = this.taskIndex.get(`${element.engine}\u0000${element.key}`);
      return entry ? this.handle({ kind: 'swarmService', engine: element.engine, key: entry.serviceKey }) : undefined;
    }
    if (element.kind === 'project') {
      return this.multiEngine ? this.handle({ kind: 'engine', key: this.engineOfProjectKey(element.key).spec.key }) : undefined;
    }
    if (element.kind === 'service') {
      const service = this.serviceIndex.get(element.key);
      return service ? this.handle({ kind: 'project', key: service.projectKey }) : undefined;
    }
    if (element.kind === 'container') {
      const entry = this.containerIndex.get(`${element.engine ?? LOCAL_ENGINE_KEY}\u0000${element.id}`);
      return entry ? this.handle({ kind: 'service', key: entry.serviceKey }) : undefined;
    }
    return undefined;
  }

  getTreeItem(element: ServicesElement): vscode.TreeItem {
    const now = Date.now();
    switch (element.kind) {
      case 'connection':
        return connectionItem(this.live.connection, this.retryInMs(this.local, now));
      case 'engine': {
        const engine = this.engine(element.key);
        return engine ? engineItem(engine.spec, engine.live.connection, this.retryInMs(engine, now), this.engineRollup(engine)) : new vscode.TreeItem(element.key);
      }
      case 'project': {
        const project = this.project(element.key);
        const files = this.projectFiles(element.key);
        if (!project || !files) return new vscode.TreeItem(element.key);
        return projectItem(project, files.family.uris.prod !== undefined, files.family.uris.base);
      }
      case 'service': {
        const service = this.serviceIndex.get(element.key);
        const hasBuild = service ? this.projectFiles(service.projectKey)?.sources.get(service.name)?.build !== undefined : false;
        return service ? serviceItem(service, now, hasBuild) : new vscode.TreeItem(element.key.split('\u0000').pop() ?? '');
      }
      case 'container': {
        const container = this.container(element.id, element.engine);
        if (!container) return new vscode.TreeItem(element.id.slice(0, 12));
        const item = containerItem(container, now);
        // The same daemon can be reached twice (a proxy, a context): ids stay unique per engine.
        if (element.engine) item.id = `container:${element.engine}:${container.id}`;
        return item;
      }
      case 'stack': {
        const stack = this.stack(element.engine, element.key);
        return stack ? stackItem(stack, element.engine) : new vscode.TreeItem(element.key);
      }
      case 'swarmService': {
        const service = this.swarmService(element.engine, element.key);
        return service ? stackServiceItem(service, element.engine) : new vscode.TreeItem(element.key);
      }
      case 'task': {
        const task = this.task(element.engine, element.key);
        return task ? taskItem(task, element.engine, now) : new vscode.TreeItem(element.key);
      }
    }
  }

  /** Milliseconds until the engine's next connection attempt, while unreachable. */
  private retryInMs(engine: ViewEngine, now: number): number | undefined {
    const connection = engine.live.connection;
    if (connection.status !== 'unreachable' || engine.unreachableAt === undefined) return undefined;
    return Math.max(0, connection.retryInMs - (now - engine.unreachableAt));
  }

  /** Unhealthy or failing services on the engine, for its row. */
  private engineRollup(engine: ViewEngine): { projects: number; unhealthy: number } {
    return { projects: engine.projects.length + engine.stacks.length, unhealthy: unhealthyCount(engine.projects) + engine.stacks.reduce((n, stack) => n + stack.unhealthy, 0) };
  }

  private stackSnapshot(engine: ViewEngine, stack: StackNode, now: number): StackSnapshot {
    const on = engine.spec.key;
    return {
      key: stack.key,
      name: localize(stackLabel(stack)),
      label: speak(stackSpeech(stack)),
      description: String(stackItem(stack, on).description ?? ''),
      services: stack.services.map((service) => ({
        key: service.key,
        id: service.id,
        name: service.name,
        mode: service.mode,
        running: service.running,
        desired: service.desired,
        status: localize(serviceStatusText(service.status)),
        ...(service.updateState ? { updateState: service.updateState } : {}),
        health: localize(healthText(service.health)),
        label: speak(stackServiceSpeech(service)),
        description: String(stackServiceItem(service, on).description ?? ''),
        tasks: service.tasks.map((task) => ({
          key: task.key,
          id: task.id,
          name: task.name,
          state: localize(taskStateText(task.state, task.exitCode)),
          current: task.current,
          node: task.nodeName,
          ...(task.error ? { error: task.error } : {}),
          health: localize(healthText(task.health)),
          label: speak(taskSpeech(task)),
          description: String(taskItem(task, on, now).description ?? ''),
        })),
      })),
    };
  }

  private connectionSnapshot(engine: ViewEngine): ConnectionSnapshot {
    const connection = engine.live.connection;
    return {
      status: connection.status,
      ...(connection.status !== 'idle' ? { endpoint: describeEndpoint(connection.endpoint) } : {}),
      ...(connection.status === 'connected' ? { version: connection.version } : {}),
      ...(connection.status === 'unreachable' ? { reason: connection.unreachable.reason, message: localize(connection.unreachable.message) } : {}),
    };
  }

  private projectSnapshot(project: ProjectNode): ProjectSnapshot {
    return {
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
    };
  }

  /** Test-facing: the view's state as plain data, with the accessibility labels the tree shows. */
  snapshot(): ServicesSnapshot {
    const now = Date.now();
    const label = (item: vscode.TreeItem) => item.accessibilityInformation?.label ?? (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));
    return {
      connection: this.connectionSnapshot(this.local),
      badge: typeof this.view.badge?.value === 'number' ? this.view.badge.value : undefined,
      statusBar: this.activeProject() ? this.statusBar.text : undefined,
      projects: this.local.projects.map((project) => this.projectSnapshot(project)),
      stacks: this.local.stacks.map((stack) => this.stackSnapshot(this.local, stack, now)),
      engines: this.engines.map((engine) => {
        const item = engineItem(engine.spec, engine.live.connection, this.retryInMs(engine, now), this.engineRollup(engine));
        return {
          key: engine.spec.key,
          name: engine.spec.name,
          local: engine.spec.local,
          connection: this.connectionSnapshot(engine),
          label: label(item),
          description: String(item.description ?? ''),
          projects: engine.projects.map((project) => this.projectSnapshot(project)),
          swarmManager: engine.live.swarm !== undefined,
          stacks: engine.stacks.map((stack) => this.stackSnapshot(engine, stack, now)),
        };
      }),
      engineProblems: this.engineProblems.map((p) => localize(p.message)),
      roots: this.getChildren().map((element) => label(this.getTreeItem(element))),
    };
  }

  serviceKeyOf(projectKey: string, name: string): string {
    return serviceKey(projectKey, name);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function containerIndexKey(spec: EngineSpec, id: string): string {
  return `${spec.key}\u0000${id}`;
}
