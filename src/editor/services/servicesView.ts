import * as vscode from 'vscode';
import { declaredServices } from '../../core/compose/declared';
import { composeProjectName } from '../../core/compose/files';
import type { DockerEndpoint } from '../../core/docker/endpoint';
import { chooseEndpoint, createDockerClient, pingDocker, type PingResult } from '../../host/docker/connect';
import type { ComposeWorkspace, WorkspaceFamily } from '../composeWorkspace';
import { localize, type BlueprintContext } from '../context';

type Node =
  | { readonly kind: 'docker'; readonly ping: PingResult | undefined; readonly endpoint: DockerEndpoint }
  | { readonly kind: 'project'; readonly family: WorkspaceFamily; readonly name: string }
  | { readonly kind: 'service'; readonly family: WorkspaceFamily; readonly name: string; readonly uri: vscode.Uri; readonly offset: number };

/**
 * The services view: one node per compose project of the workspace with its declared services, and a
 * Docker connection node that says why the daemon cannot be reached.
 */
export class ServicesView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private ping: PingResult | undefined;
  private endpoint: DockerEndpoint;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  readonly view: vscode.TreeView<Node>;

  constructor(
    private readonly ctx: BlueprintContext,
    private readonly workspace: ComposeWorkspace,
  ) {
    this.endpoint = this.currentEndpoint();
    this.view = vscode.window.createTreeView('composeBlueprint.services', { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      workspace.onDidChange(() => this.refreshProjects()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('composeBlueprint.docker')) ctx.background('reconnecting to Docker', this.checkDocker());
      }),
    );
    ctx.registerCommand('composeBlueprint.refreshServices', () => this.checkDocker());
    ctx.registerCommand('composeBlueprint.retryDocker', () => this.checkDocker());
  }

  private currentEndpoint(): DockerEndpoint {
    const setting = vscode.workspace.getConfiguration('composeBlueprint').get<string>('docker.host', '');
    return chooseEndpoint({ setting });
  }

  async checkDocker(): Promise<void> {
    this.endpoint = this.currentEndpoint();
    this.ping = await pingDocker(createDockerClient(this.endpoint), this.endpoint);
    if (this.ping.ok) this.ctx.log.info(`Docker ${this.ping.version} (API ${this.ping.apiVersion}) at ${this.endpoint.source}`);
    else this.ctx.log.warn(localize(this.ping.message));
    this.changed.fire(undefined);
  }

  private refreshProjects(): void {
    void vscode.commands.executeCommand('setContext', 'composeBlueprint.projectsLoaded', this.workspace.isLoaded);
    void vscode.commands.executeCommand('setContext', 'composeBlueprint.hasComposeFile', this.workspace.families().length > 0);
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      const families = this.workspace.families();
      if (families.length === 0) return [];
      const projects: Node[] = families.map((family) => ({ kind: 'project', family, name: this.projectName(family) }));
      return this.ping && !this.ping.ok ? [{ kind: 'docker', ping: this.ping, endpoint: this.endpoint }, ...projects] : projects;
    }
    if (node.kind !== 'project') return [];
    const files = [node.family.uris.base, node.family.uris.override].flatMap((uri) => {
      const state = uri ? this.workspace.get(uri) : undefined;
      return state ? [state] : [];
    });
    const project = declaredServices(files.map((f) => f.parsed));
    return project.services.map((service) => {
      const file = files[service.fileIndex];
      return { kind: 'service', family: node.family, name: service.name, uri: file!.uri, offset: service.keySpan.start };
    });
  }

  private projectName(family: WorkspaceFamily): string {
    const files = [family.uris.base, family.uris.override].flatMap((uri) => (uri && this.workspace.get(uri) ? [this.workspace.get(uri)!.parsed] : []));
    const folderName = decodeURIComponent(family.family.folder.slice(family.family.folder.lastIndexOf('/') + 1));
    return composeProjectName(folderName, declaredServices(files).name);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'docker': {
        const item = new vscode.TreeItem(vscode.l10n.t('Docker not reachable'), vscode.TreeItemCollapsibleState.None);
        item.description = node.ping && !node.ping.ok ? localize(node.ping.message) : '';
        item.tooltip = item.description;
        item.iconPath = new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.contextValue = 'dockerUnreachable';
        item.command = { command: 'composeBlueprint.retryDocker', title: vscode.l10n.t('Retry') };
        item.accessibilityInformation = { label: `${item.label as string}, ${item.description}` };
        return item;
      }
      case 'project': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `project:${node.family.key}`;
        item.iconPath = new vscode.ThemeIcon('layers');
        item.contextValue = 'project';
        item.tooltip = node.family.uris.base.fsPath;
        item.accessibilityInformation = { label: vscode.l10n.t('{0}, compose project', node.name) };
        return item;
      }
      case 'service': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
        item.id = `service:${node.family.key}:${node.name}`;
        item.iconPath = new vscode.ThemeIcon('circle-outline');
        item.contextValue = 'service';
        item.description = this.ping?.ok ? '' : vscode.l10n.t('state unknown');
        item.accessibilityInformation = { label: vscode.l10n.t('{0}, service, state unknown', node.name) };
        item.command = {
          command: 'vscode.open',
          title: vscode.l10n.t('Open Definition'),
          arguments: [node.uri, { selection: new vscode.Range(0, 0, 0, 0) }],
        };
        const state = this.workspace.get(node.uri);
        if (state) {
          const position = positionOf(state.text, node.offset);
          item.command.arguments = [node.uri, { selection: new vscode.Range(position, position) }];
        }
        return item;
      }
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

function positionOf(text: string, offset: number): vscode.Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return new vscode.Position(line, offset - (before.lastIndexOf('\n') + 1));
}
