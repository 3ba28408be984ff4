import * as vscode from 'vscode';
import { composeInvocation, displayCommand, filesFor, type ComposeAction, type ComposeEnvironment, type ComposeTool } from '../../core/docker/composeCommand';
import type { ContainerInfo } from '../../core/docker/containers';
import { describeEndpoint } from '../../core/docker/endpoint';
import { dockerfilePath } from '../../core/docker/serviceSource';
import { formatDuration, healthText, stateText } from '../../core/docker/servicesModel';
import { LineIndex } from '../../core/text/lineIndex';
import { detectComposeTool } from '../../host/docker/composeTool';
import { localize, type BlueprintContext } from '../context';
import { openProcessTerminal, withEnvOverrides } from '../processTerminal';
import { registerEngineCommands } from './engineCommands';
import { SwarmCommands } from './swarmCommands';
import type { ServicesElement, ServicesView } from './servicesView';

const HEALTH_SCHEME = 'compose-blueprint-health';

type ContainerAction = 'start' | 'stop' | 'restart';

/**
 * The services view's actions. Everything that runs something checks workspace trust first (the menus
 * hide these actions in Restricted Mode too); commands take the tree element they were invoked on.
 */
export class ServiceActions implements vscode.Disposable {
  private composeTool: Promise<ComposeTool | undefined> | undefined;
  private readonly healthDocs = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [this.healthDocs];

  constructor(
    private readonly ctx: BlueprintContext,
    private readonly view: ServicesView,
  ) {
    const command = (id: string, handler: (element?: ServicesElement) => unknown) => ctx.registerCommand(`composeBlueprint.services.${id}`, handler);
    command('start', (element) => this.containerAction(element, 'start'));
    command('stop', (element) => this.containerAction(element, 'stop'));
    command('restart', (element) => this.containerAction(element, 'restart'));
    command('composeUp', (element) => this.compose(element, 'up', 'development'));
    command('composeUpProduction', (element) => this.compose(element, 'up', 'production'));
    command('composeDown', (element) => this.compose(element, 'down', 'development'));
    command('composeRestart', (element) => this.compose(element, 'restart', 'development'));
    command('logs', (element) => this.logs(element));
    command('showHealthLog', (element) => this.showHealthLog(element));
    command('openDefinition', (element?: ServicesElement | { serviceKey: string }) => this.openDefinition(element));
    command('openDockerfile', (element) => this.openDockerfile(element));
    command('copyContainerId', (element) => this.copyContainerId(element));
    registerEngineCommands(ctx, view);
    new SwarmCommands(ctx, view, (name, shell, args, cwd, element) => this.runInTerminal(name, shell, args, cwd, element));
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(HEALTH_SCHEME, {
        onDidChange: this.healthDocs.event,
        provideTextDocumentContent: (uri) => this.healthLogText(uri),
      }),
      view.onDidChangeModel(() => {
        for (const document of vscode.workspace.textDocuments) if (document.uri.scheme === HEALTH_SCHEME) this.healthDocs.fire(document.uri);
      }),
    );
  }

  private trusted(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage(vscode.l10n.t('Compose Blueprint runs no Docker or Compose command in Restricted Mode. Trust the workspace to use this action.'));
    return false;
  }

  private async confirm(question: string, action: string): Promise<boolean> {
    const choice = await vscode.window.showWarningMessage(question, { modal: true }, action);
    return choice === action;
  }

  /** Containers an element stands for: a container, or a service's replicas (one-offs included for stop). */
  private containersOf(element: ServicesElement | undefined): { containers: ContainerInfo[]; serviceKey?: string } {
    if (element?.kind === 'container') {
      const container = this.view.container(element.id, element.engine);
      return { containers: container ? [container] : [] };
    }
    if (element?.kind === 'service') return { containers: [...(this.view.service(element.key)?.containers ?? [])], serviceKey: element.key };
    return { containers: [] };
  }

  private async containerAction(element: ServicesElement | undefined, action: ContainerAction): Promise<void> {
    if (!this.trusted()) return;
    const { containers, serviceKey } = this.containersOf(element);
    if (containers.length === 0 && serviceKey && action === 'start') {
      // A service never created: Compose creates it (and what it depends on).
      await this.compose({ kind: 'service', key: serviceKey }, 'up', 'development');
      return;
    }
    const engine = this.view.engineOf(element);
    const docker = engine.live.docker;
    if (!docker) {
      void vscode.window.showWarningMessage(this.view.multiEngine ? vscode.l10n.t('{0} is not reachable; the action was not run.', engine.spec.name) : vscode.l10n.t('Docker is not reachable; the action was not run.'));
      return;
    }
    const targets = containers.filter((c) => {
      if (action === 'start') return c.state !== 'running' && c.state !== 'restarting';
      if (action === 'stop') return c.state === 'running' || c.state === 'paused' || c.state === 'restarting';
      return true;
    });
    if (targets.length === 0) return;
    if (action === 'stop') {
      const names = targets.map((c) => c.name).join(', ');
      if (!(await this.confirm(vscode.l10n.t('Stop {0}?', names), vscode.l10n.t('Stop')))) return;
    }
    await vscode.window.withProgress({ location: { viewId: 'composeBlueprint.services' } }, async () => {
      const results = await Promise.allSettled(
        targets.map(async (c) => {
          const container = docker.getContainer(c.id);
          if (action === 'start') await (c.state === 'paused' ? container.unpause() : container.start());
          else if (action === 'stop') await container.stop();
          else await container.restart();
          this.ctx.log.info(`${action} ${c.name}`);
        }),
      );
      const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [`${targets[i]!.name}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`] : []));
      if (failures.length > 0) throw new Error(failures.join('; '));
    });
  }

  private tool(): Promise<ComposeTool | undefined> {
    this.composeTool ??= detectComposeTool(this.terminalEnv()).then((tool) => {
      if (tool) this.ctx.log.info(`Compose ${tool.version} (${tool.kind === 'v2' ? 'docker compose' : tool.path})`);
      else this.composeTool = undefined; // Installed later: look again next time.
      return tool;
    });
    return this.composeTool;
  }

  /**
   * What a terminal needs to reach the element's engine: nothing for the local engine found by the CLI itself
   * (DOCKER_HOST or the current context), DOCKER_HOST when a setting chose it, DOCKER_CONTEXT for a context.
   */
  terminalEnvOverrides(element?: ServicesElement): Record<string, string | null> | undefined {
    const engine = this.view.engineOf(element);
    const connection = engine.live.connection;
    const endpoint = connection.status === 'idle' ? engine.spec.endpoint : connection.endpoint;
    if (engine.spec.context) return { DOCKER_CONTEXT: engine.spec.context, DOCKER_HOST: null };
    if (engine.spec.local && !endpoint.source.startsWith('setting')) return undefined;
    const host = describeEndpoint(endpoint).replace('tcp+tls://', 'tcp://');
    if (endpoint.kind === 'tcp' && endpoint.tls) return { DOCKER_HOST: host, DOCKER_TLS_VERIFY: '1', ...(endpoint.certDir ? { DOCKER_CERT_PATH: endpoint.certDir } : {}), DOCKER_CONTEXT: null };
    return { DOCKER_HOST: host, DOCKER_CONTEXT: null };
  }

  /** The same as a process environment, for tools we start ourselves. */
  private terminalEnv(element?: ServicesElement): NodeJS.ProcessEnv {
    return withEnvOverrides(this.terminalEnvOverrides(element));
  }

  private projectKeyOf(element: ServicesElement | undefined): string | undefined {
    if (element?.kind === 'project') return element.key;
    if (element?.kind === 'service') return this.view.service(element.key)?.projectKey;
    if (element?.kind === 'container') return this.view.serviceOfContainer(element.id, element.engine)?.projectKey;
    return this.view.activeProject()?.key;
  }

  private async compose(element: ServicesElement | undefined, action: ComposeAction, environment: ComposeEnvironment, services?: string[]): Promise<void> {
    if (!this.trusted()) return;
    const projectKey = this.projectKeyOf(element);
    const files = projectKey ? this.view.projectFiles(projectKey) : undefined;
    if (!files) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Choose a compose project in the Services view.'));
      return;
    }
    const tool = await this.tool();
    if (!tool) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Neither `docker compose` nor `docker-compose` could be run. Install Docker Compose and try again.'));
      return;
    }
    const uris = files.family.uris;
    const fileList = filesFor({ base: uris.base.fsPath, ...(uris.override ? { override: uris.override.fsPath } : {}), ...(uris.prod ? { prod: uris.prod.fsPath } : {}) }, environment);
    const serviceNames = services ?? (element?.kind === 'service' ? [this.view.service(element.key)?.name ?? ''] : []).filter((s) => s !== '');
    if (action === 'down' && !(await this.confirm(vscode.l10n.t('Stop and remove the containers and networks of project {0}?', files.name), vscode.l10n.t('Compose Down')))) return;
    const invocation = composeInvocation(tool, files.name, fileList, action, serviceNames);
    this.ctx.log.info(`running ${displayCommand(invocation)}`);
    const engine = this.view.engineOf(element);
    const on = this.view.multiEngine && !engine.spec.local ? ` @ ${engine.spec.name}` : '';
    this.runInTerminal(`${files.name}: compose ${action}${serviceNames.length > 0 ? ' ' + serviceNames.join(' ') : ''}${on}`, invocation.command, invocation.args, files.family.folderUri, element);
  }

  runInTerminal(name: string, command: string, args: readonly string[], cwd?: vscode.Uri, element?: ServicesElement): vscode.Terminal {
    const env = this.terminalEnvOverrides(element);
    return openProcessTerminal({ name, command, args, ...(cwd ? { cwd } : {}), ...(env ? { env } : {}) });
  }

  private async logs(element: ServicesElement | undefined): Promise<void> {
    if (!this.trusted()) return;
    if (element?.kind === 'container') {
      const container = this.view.container(element.id, element.engine);
      if (container) this.runInTerminal(vscode.l10n.t('logs: {0}', container.name), 'docker', ['logs', '-f', '--tail', '200', container.id], undefined, element);
      return;
    }
    await this.compose(element, 'logs', 'development');
  }

  private healthUri(element: ServicesElement | undefined): vscode.Uri | undefined {
    if (element?.kind === 'container') {
      const container = this.view.container(element.id, element.engine);
      return container ? vscode.Uri.from({ scheme: HEALTH_SCHEME, path: `/${container.name}.health.log`, query: `container=${container.id}${element.engine ? `&engine=${encodeURIComponent(element.engine)}` : ''}` }) : undefined;
    }
    if (element?.kind === 'service') {
      const service = this.view.service(element.key);
      return service ? vscode.Uri.from({ scheme: HEALTH_SCHEME, path: `/${service.project}-${service.name}.health.log`, query: `service=${encodeURIComponent(element.key)}` }) : undefined;
    }
    return undefined;
  }

  private async showHealthLog(element: ServicesElement | undefined): Promise<void> {
    const uri = this.healthUri(element);
    if (!uri) return;
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: true });
  }

  /** The health log as text: one section per container with its state, failing streak and last probes. */
  private healthLogText(uri: vscode.Uri): string {
    const query = new URLSearchParams(uri.query);
    const containerId = query.get('container');
    const key = query.get('service');
    const containers = containerId ? [this.view.container(containerId, query.get('engine') ?? undefined)] : key ? [...(this.view.service(key)?.containers ?? [])] : [];
    const present = containers.filter((c): c is ContainerInfo => c !== undefined);
    if (present.length === 0) return vscode.l10n.t('No container: the service is not running, or Docker is not reachable.') + '\n';
    const now = Date.now();
    return present
      .map((c) => {
        const lines = [
          `# ${c.name} (${c.id.slice(0, 12)})`,
          `${localize(stateText(c.state, c.exitCode))}, ${localize(healthText(c.health))}; ${vscode.l10n.t('failing streak {0}', c.failingStreak)}`,
        ];
        if (c.probes.length === 0) lines.push(vscode.l10n.t('No probe results yet.'));
        for (const probe of [...c.probes].reverse()) {
          const ended = Date.parse(probe.end);
          const ago = Number.isFinite(ended) ? ` (${vscode.l10n.t('{0} ago', formatDuration(now - ended))})` : '';
          lines.push('', `${probe.end}${ago} ${vscode.l10n.t('exit {0}', probe.exitCode)}`);
          if (probe.output.trim() !== '') lines.push(...probe.output.trimEnd().split('\n').map((line) => `    ${line}`));
        }
        return lines.join('\n');
      })
      .join('\n\n')
      .concat('\n');
  }

  private async openDefinition(element: ServicesElement | { serviceKey: string } | undefined): Promise<void> {
    const key = element && 'serviceKey' in element ? element.serviceKey : element?.kind === 'service' ? element.key : undefined;
    const service = key ? this.view.service(key) : undefined;
    const files = key ? this.view.filesOfService(key) : undefined;
    const source = service && files ? files.sources.get(service.name) : undefined;
    if (!service || !files || !source) {
      if (service && !service.declared) void vscode.window.showInformationMessage(vscode.l10n.t('{0} is not declared in the compose files of this project.', service.name));
      return;
    }
    const file = files.devFiles[source.fileIndex];
    if (!file) return;
    const start = new LineIndex(file.text).positionAt(source.keySpan.start);
    const position = new vscode.Position(start.line, start.character);
    await vscode.window.showTextDocument(file.uri, { selection: new vscode.Range(position, position), preview: true });
  }

  private async openDockerfile(element: ServicesElement | undefined): Promise<void> {
    if (element?.kind !== 'service') return;
    const service = this.view.service(element.key);
    const files = this.view.filesOfService(element.key);
    const build = service && files ? files.sources.get(service.name)?.build : undefined;
    if (!service || !files || !build) {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} has no build section: it runs an image.', service?.name ?? ''));
      return;
    }
    const relative = dockerfilePath(build);
    const uri = relative.startsWith('/') ? vscode.Uri.file(relative) : vscode.Uri.joinPath(files.family.folderUri, ...relative.split('/'));
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      void vscode.window.showWarningMessage(vscode.l10n.t('The Dockerfile of {0} does not exist: {1}', service.name, uri.fsPath));
      return;
    }
    await vscode.window.showTextDocument(uri, { preview: true });
  }

  private async copyContainerId(element: ServicesElement | undefined): Promise<void> {
    const { containers } = this.containersOf(element);
    const first = containers[0];
    if (!first) return;
    await vscode.env.clipboard.writeText(first.id);
    vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the id of {0}', first.name), 3000);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
