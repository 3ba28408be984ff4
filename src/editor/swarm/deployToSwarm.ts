import * as vscode from 'vscode';
import { composeProjectName } from '../../core/compose/files';
import { declaredServices } from '../../core/compose/declared';
import { describeEndpoint, parseDockerHost } from '../../core/docker/endpoint';
import { normalizeResolveImage, planStackDeploy, swarmBlocker, validateStackName, type StackDeployPlan } from '../../core/docker/stackDeploy';
import type { Finding } from '../../core/findings';
import { normalizeRuleLevels } from '../../core/rules/ruleConfig';
import { LineIndex } from '../../core/text/lineIndex';
import { checkProject } from '../../core/validation/checkProject';
import { parseYaml } from '../../core/yaml/parse';
import { dockerClientVersion, dockerContextName, dockerSwarmInfo, privateTempPath, writePrivateFile, type PrivateTempFile } from '../../host/docker/dockerCli';
import type { ComposeWorkspace, WorkspaceFamily } from '../composeWorkspace';
import { localize, type BlueprintContext } from '../context';
import { openProcessTerminal } from '../processTerminal';
import { readOptional } from '../readText';

/** The questions the command asks; tests replace them (a modal dialog cannot be answered from the extension host). */
export interface DeployPrompts {
  /** A modal question; resolves to the chosen button or undefined (cancel). */
  confirm(message: string, detail: string, buttons: readonly string[]): Thenable<string | undefined>;
  stackName(defaultName: string): Thenable<string | undefined>;
}

/** What the last run of the command decided (test-facing, see `BlueprintApi.swarm`). */
export interface DeployRecord {
  readonly outcome: 'started' | 'cancelled' | 'blocked';
  readonly reason?: string;
  readonly stack?: string;
  readonly command?: string;
  readonly args?: readonly string[];
  /** The generated copy's path, when one was deployed (removed when the terminal closes). */
  readonly generatedPath?: string;
  readonly warnings?: readonly string[];
  /** Every modal message shown during the run, in order. */
  readonly asked: readonly string[];
}

export interface SwarmDeployApi {
  /** Test-facing: answers the command's questions instead of dialogs; undefined restores the dialogs. */
  setPrompts(prompts: DeployPrompts | undefined): void;
  lastDeploy(): DeployRecord | undefined;
}

const dialogs: DeployPrompts = {
  confirm: (message, detail, buttons) => vscode.window.showWarningMessage(message, { modal: true, detail }, ...buttons),
  stackName: (defaultName) =>
    vscode.window.showInputBox({
      title: vscode.l10n.t('Deploy to Swarm'),
      prompt: vscode.l10n.t('Stack name (services become <stack>_<service>)'),
      value: defaultName,
      // The docker calls before this box take a second or two: a click elsewhere meanwhile must not cancel the deploy.
      ignoreFocusOut: true,
      validateInput: (value) => {
        const problem = validateStackName(value);
        return problem ? localize(problem) : undefined;
      },
    }),
};

class Stop extends Error {}

/** Errors the deployed copy resolves by itself (bridge networks become overlay): they do not stop a deploy. */
const FIXED_BY_COPY = new Set(['swarm-network-driver']);

/**
 * "Deploy to Swarm": `docker stack deploy` of a project's base and production files, in a terminal, after
 * saying exactly what will run and where. Refuses in Restricted Mode, without a docker CLI, on an engine
 * that is not a Swarm manager; asks before deploying the base file alone or despite errors of the Swarm checks.
 */
export class SwarmDeploy implements vscode.Disposable {
  private prompts: DeployPrompts = dialogs;
  private record: DeployRecord | undefined;
  private asked: string[] = [];
  private readonly temps = new Set<PrivateTempFile>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly ctx: BlueprintContext,
    private readonly workspace: ComposeWorkspace,
  ) {
    ctx.registerCommand('composeBlueprint.deployToSwarm', (target?: unknown) => this.deploy(target));
  }

  readonly api: SwarmDeployApi = {
    setPrompts: (prompts) => {
      this.prompts = prompts ?? dialogs;
    },
    lastDeploy: () => this.record,
  };

  private async ask(message: string, detail: string, ...buttons: string[]): Promise<string | undefined> {
    this.asked.push(message);
    return this.prompts.confirm(message, detail, buttons);
  }

  private stop(outcome: 'cancelled' | 'blocked', reason: string): never {
    throw this.stopError(outcome, reason);
  }

  private stopError(outcome: 'cancelled' | 'blocked', reason: string): Stop {
    this.record = { outcome, reason, asked: [...this.asked] };
    return new Stop(reason);
  }

  private block(message: string): Promise<never> {
    this.asked.push(message);
    // Not a modal: the reason stays readable while the user fixes it.
    void vscode.window.showErrorMessage(message);
    return Promise.reject(this.stopError('blocked', message));
  }

  async deploy(target?: unknown): Promise<void> {
    this.asked = [];
    try {
      await this.run(target);
    } catch (error) {
      if (!(error instanceof Stop)) throw error;
      this.ctx.log.info(`deploy to Swarm: ${this.record?.outcome ?? 'stopped'}: ${error.message}`);
    }
  }

  private familyOf(target: unknown): WorkspaceFamily | undefined {
    const families = this.workspace.families();
    if (target instanceof vscode.Uri) {
      const key = target.toString();
      return families.find((f) => [f.uris.base, f.uris.override, f.uris.prod].some((u) => u?.toString() === key) || f.folderUri.toString() === key);
    }
    if (target && typeof target === 'object' && (target as { kind?: unknown }).kind === 'project') {
      const key = (target as { key?: unknown }).key;
      return families.find((f) => f.key === key);
    }
    return undefined;
  }

  private async chooseFamily(target: unknown): Promise<WorkspaceFamily | undefined> {
    const direct = this.familyOf(target) ?? (target === undefined ? this.familyOf(vscode.window.activeTextEditor?.document.uri) : undefined);
    if (direct) return direct;
    // Invoked on a file or a project node that is not (yet) a known project: say so rather than ask for another.
    if (target !== undefined) {
      return this.block(vscode.l10n.t('{0} is not part of a compose project with a base file (docker-compose.yml or compose.yaml).', target instanceof vscode.Uri ? vscode.workspace.asRelativePath(target) : vscode.l10n.t('This item')));
    }
    const families = this.workspace.families();
    if (families.length === 1) return families[0];
    if (families.length === 0) return undefined;
    const picked = await vscode.window.showQuickPick(
      families.map((family) => ({ label: vscode.workspace.asRelativePath(family.folderUri), description: family.uris.prod ? '' : vscode.l10n.t('no production file'), family })),
      { title: vscode.l10n.t('Deploy to Swarm'), placeHolder: vscode.l10n.t('Choose the compose project to deploy'), ignoreFocusOut: true },
    );
    return picked?.family;
  }

  /** DOCKER_HOST for the CLI when the setting chose the daemon; otherwise the CLI finds it (env, context). */
  private dockerEnv(scope: vscode.Uri): { env: NodeJS.ProcessEnv; overrides: Record<string, string>; endpoint: string | undefined } {
    const setting = vscode.workspace.getConfiguration('composeBlueprint', scope).get<string>('docker.host')?.trim();
    const endpoint = setting ? parseDockerHost(setting, 'setting') : undefined;
    if (!endpoint) return { env: process.env, overrides: {}, endpoint: process.env.DOCKER_HOST };
    const host = describeEndpoint(endpoint).replace('tcp+tls://', 'tcp://');
    return { env: { ...process.env, DOCKER_HOST: host }, overrides: { DOCKER_HOST: host }, endpoint: host };
  }

  private async run(target: unknown): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      return this.block(vscode.l10n.t('Compose Blueprint runs no Docker command in Restricted Mode. Trust the workspace to deploy to Swarm.'));
    }
    const family = await this.chooseFamily(target);
    if (!family) {
      if (this.workspace.families().length === 0) return this.block(vscode.l10n.t('No compose project to deploy: open a folder with a docker-compose.yml.'));
      return this.stop('cancelled', 'no project chosen');
    }
    const folder = family.folderUri;
    const config = vscode.workspace.getConfiguration('composeBlueprint', folder);
    const docker = 'docker';
    const { env, overrides, endpoint } = this.dockerEnv(folder);

    const client = await dockerClientVersion(docker, env);
    if (!client.found) return this.block(vscode.l10n.t('The docker CLI was not found on the PATH. Install Docker (the CLI runs "docker stack deploy") and try again.'));
    const swarm = await dockerSwarmInfo(docker, env);
    if (!swarm.ok) return this.block(vscode.l10n.t('Docker did not answer ({0}). Start Docker or check DOCKER_HOST and the docker context, then try again.', swarm.error));
    const blocker = swarmBlocker(swarm.state);
    if (blocker) return this.block(localize(blocker));
    const context = endpoint ? undefined : await dockerContextName(docker, env);
    const engine = `${swarm.state.engineName ?? '?'} (Docker Engine ${swarm.state.engineVersion ?? '?'}), ${endpoint ? `DOCKER_HOST=${endpoint}` : vscode.l10n.t('docker context "{0}"', context ?? 'default')}`;

    // The CLI reads the files on disk: unsaved edits would not be deployed.
    const fileUris = [family.uris.base, ...(family.uris.prod ? [family.uris.prod] : [])];
    const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && fileUris.some((u) => u.toString() === d.uri.toString()));
    if (dirty.length > 0) {
      const save = vscode.l10n.t('Save and Continue');
      const names = dirty.map((d) => vscode.workspace.asRelativePath(d.uri)).join(', ');
      if ((await this.ask(vscode.l10n.t('{0} has unsaved changes.', names), vscode.l10n.t('docker stack deploy reads the files on disk.'), save)) !== save) this.stop('cancelled', 'unsaved files');
      for (const document of dirty) if (!(await document.save())) this.stop('cancelled', 'save failed');
    }

    let useProd = family.uris.prod !== undefined;
    if (!useProd) {
      const baseOnly = vscode.l10n.t('Deploy Base File Only');
      const answer = await this.ask(
        vscode.l10n.t('{0} has no docker-compose.prod.yml.', vscode.workspace.asRelativePath(folder)),
        vscode.l10n.t('The stack would be deployed from the base file alone, without production settings (replicas, resources, restart policies).'),
        baseOnly,
      );
      if (answer !== baseOnly) this.stop('cancelled', 'no production file');
      useProd = false;
    }
    const baseText = await readOptional(family.uris.base);
    const prodText = useProd && family.uris.prod ? await readOptional(family.uris.prod) : undefined;
    if (baseText === undefined || (useProd && prodText === undefined)) return this.block(vscode.l10n.t('The compose files of {0} could not be read.', vscode.workspace.asRelativePath(folder)));

    // The Swarm checks run whatever composeBlueprint.swarm.checks says: this is a Swarm deployment.
    const files = [{ path: family.uris.base.toString(), text: baseText }, ...(useProd && family.uris.prod && prodText !== undefined ? [{ path: family.uris.prod.toString(), text: prodText }] : [])];
    const checked = checkProject({ files }, { configs: 'prod', swarm: 'on', rules: normalizeRuleLevels(config.get('rules')) });
    const errors: { uri: vscode.Uri; text: string; finding: Finding }[] = [];
    for (const file of files) {
      for (const finding of checked.files.get(file.path) ?? []) if (finding.severity === 'error' && !FIXED_BY_COPY.has(finding.rule)) errors.push({ uri: vscode.Uri.parse(file.path), text: file.text, finding });
    }
    if (errors.length > 0) {
      const showProblems = vscode.l10n.t('Show Problems');
      const anyway = vscode.l10n.t('Deploy Anyway');
      const lines = errors.slice(0, 8).map(({ uri, text, finding }) => `${vscode.workspace.asRelativePath(uri)}:${new LineIndex(text).positionAt(finding.span.start).line + 1} ${finding.rule}: ${localize(finding.message)}`);
      if (errors.length > 8) lines.push(vscode.l10n.t('and {0} more', errors.length - 8));
      const answer = await this.ask(vscode.l10n.t('The production config has {0} error(s) for Swarm.', errors.length), lines.join('\n'), showProblems, anyway);
      if (answer === showProblems) {
        const first = errors[0]!;
        const position = new LineIndex(first.text).positionAt(first.finding.span.start);
        await vscode.window.showTextDocument(first.uri, { selection: new vscode.Range(position.line, position.character, position.line, position.character) });
        await vscode.commands.executeCommand('workbench.actions.view.problems');
      }
      if (answer !== anyway) this.stop('cancelled', 'errors in the production config');
    }

    const declaredName = declaredServices([parseYaml(baseText), ...(prodText !== undefined ? [parseYaml(prodText)] : [])]).name;
    const folderName = decodeURIComponent(folder.path.slice(folder.path.lastIndexOf('/') + 1));
    const stack = await this.prompts.stackName(composeProjectName(folderName, declaredName));
    if (stack === undefined) return this.stop('cancelled', 'no stack name');
    const nameProblem = validateStackName(stack);
    if (nameProblem) return this.block(localize(nameProblem));

    const temp = privateTempPath('compose-blueprint-stack-', `${stack}.stack.yml`);
    let plan: StackDeployPlan;
    try {
      const envText = await readOptional(vscode.Uri.joinPath(folder, '.env'));
      plan = planStackDeploy({
        docker,
        ...(client.version ? { clientVersion: client.version } : {}),
        stack,
        folder: folder.fsPath,
        base: { path: family.uris.base.fsPath, text: baseText },
        ...(useProd && family.uris.prod && prodText !== undefined ? { prod: { path: family.uris.prod.fsPath, text: prodText } } : {}),
        resolveImage: normalizeResolveImage(config.get('swarm.resolveImage')),
        prune: config.get('swarm.prune') === true,
        withRegistryAuth: config.get('swarm.withRegistryAuth') === true,
        ...(envText !== undefined ? { envText } : {}),
        inheritedEnv: env,
        generatedPath: temp.path,
      });
    } catch (error) {
      temp.remove();
      throw error;
    }
    const warnings = plan.warnings.map((w) => localize(w));
    const deploy = vscode.l10n.t('Deploy');
    const detail = [
      vscode.l10n.t('Engine: {0}', engine),
      vscode.l10n.t('Command: {0}', plan.display),
      vscode.l10n.t('Folder: {0}', plan.cwd),
      ...warnings.map((w) => `• ${w}`),
    ].join('\n\n');
    if ((await this.ask(vscode.l10n.t('Deploy stack "{0}" to the Swarm of {1}?', stack, swarm.state.engineName ?? '?'), detail, deploy)) !== deploy) {
      temp.remove();
      this.stop('cancelled', 'not confirmed');
    }
    if (plan.generated) {
      writePrivateFile(plan.generated.path, plan.generated.text);
      this.temps.add(temp);
    } else temp.remove();
    this.ctx.log.info(`running ${plan.display}${plan.generated ? ` (generated ${plan.generated.path})` : ''}`);
    const removeCopy = plan.generated ? this.removeWhenDone(temp) : undefined;
    openProcessTerminal({
      name: vscode.l10n.t('Swarm: deploy {0}', stack),
      command: plan.command,
      args: plan.args,
      cwd: folder,
      env: { ...plan.env, ...overrides },
      ...(removeCopy ? { onExit: removeCopy } : {}),
    });
    this.record = { outcome: 'started', stack, command: plan.command, args: plan.args, ...(plan.generated ? { generatedPath: plan.generated.path } : {}), warnings, asked: [...this.asked] };
  }

  /**
   * The generated copy holds the merged configuration: it goes when docker exits (the returned function, called
   * then), or two minutes after the start (the CLI reads it at once), or when the extension stops, whichever
   * comes first.
   */
  private removeWhenDone(temp: PrivateTempFile): () => void {
    const remove = () => {
      temp.remove();
      this.temps.delete(temp);
      clearTimeout(timer);
    };
    const timer = setTimeout(remove, 120_000);
    this.disposables.push({ dispose: remove });
    return remove;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    for (const temp of this.temps) temp.remove();
    this.temps.clear();
  }
}
