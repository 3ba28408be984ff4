import * as vscode from 'vscode';
import { globalModeScaleError, invalidReplicasError, parseReplicas } from '../../core/docker/swarmErrors';
import { forceUpdateService, removeStack, scaleService, SwarmActionError } from '../../host/docker/swarmActions';
import { errorText, localize, type BlueprintContext } from '../context';
import type { ServicesElement, ServicesView, ViewEngine } from './servicesView';

/**
 * Options a caller other than a menu may pass as the second argument (tests, keybindings). Menus pass the
 * selected elements there (an array), which is ignored.
 */
interface SwarmCommandOptions {
  /** Scale to this count without asking. */
  readonly replicas?: number;
  /** Skip the modal confirmation (force update, remove stack). */
  readonly confirmed?: boolean;
}

function optionsOf(value: unknown): SwarmCommandOptions {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value) : {};
}

/**
 * The Swarm actions of the services view: scale a service, force an update (rolling restart), show a service's
 * logs, remove a stack. Through the Engine API of the element's engine (never a shell); the logs run
 * `docker service logs` in a terminal with an argument array. Nothing runs in Restricted Mode.
 */
export class SwarmCommands {
  constructor(
    private readonly ctx: BlueprintContext,
    private readonly view: ServicesView,
    private readonly runInTerminal: (name: string, command: string, args: readonly string[], cwd: vscode.Uri | undefined, element: ServicesElement) => vscode.Terminal,
  ) {
    const command = (id: string, handler: (element: ServicesElement | undefined, options: SwarmCommandOptions) => unknown) =>
      ctx.registerCommand(`composeBlueprint.services.${id}`, (element?: ServicesElement, second?: unknown) => handler(element, optionsOf(second)));
    command('scaleSwarmService', (element, options) => this.scale(element, options));
    command('forceUpdateSwarmService', (element, options) => this.forceUpdate(element, options));
    command('swarmServiceLogs', (element) => this.logs(element));
    command('removeStack', (element, options) => this.removeStack(element, options));
  }

  private trusted(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage(vscode.l10n.t('Compose Blueprint runs no Docker or Compose command in Restricted Mode. Trust the workspace to use this action.'));
    return false;
  }

  /** The element's engine when it is connected and a Swarm manager; else says why and gives undefined. */
  private manager(element: ServicesElement): ViewEngine | undefined {
    const engine = this.view.engineOf(element);
    if (!engine.live.docker) {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} is not reachable; the action was not run.', engine.spec.name));
      return undefined;
    }
    if (!engine.live.swarm) {
      void vscode.window.showWarningMessage(vscode.l10n.t('{0} is no longer a Swarm manager; the action was not run.', engine.spec.name));
      return undefined;
    }
    return engine;
  }

  /** Runs an action against the engine; a failure is shown with Open Log, in the engine's words when it has them. */
  private async run(what: string, work: () => Promise<void>): Promise<boolean> {
    try {
      await vscode.window.withProgress({ location: { viewId: 'composeBlueprint.services' } }, work);
      return true;
    } catch (error) {
      const text = error instanceof SwarmActionError ? localize(error.userMessage) : errorText(error);
      this.ctx.reportError(vscode.l10n.t('{0}: {1}', what, text), error);
      return false;
    }
  }

  private async scale(element: ServicesElement | undefined, options: SwarmCommandOptions): Promise<void> {
    if (element?.kind !== 'swarmService' || !this.trusted()) return;
    const service = this.view.swarmService(element.engine, element.key);
    if (!service) return;
    if (service.mode !== 'replicated') {
      void vscode.window.showInformationMessage(localize(globalModeScaleError(service.fullName).message));
      return;
    }
    let replicas = options.replicas;
    if (replicas === undefined) {
      const typed = await vscode.window.showInputBox({
        title: vscode.l10n.t('Scale {0}', service.fullName),
        prompt: vscode.l10n.t('Replicas (now {0} running of {1})', service.running, service.desired),
        value: String(service.desired),
        valueSelection: [0, String(service.desired).length],
        ignoreFocusOut: true,
        validateInput: (value) => (parseReplicas(value) === undefined ? localize(invalidReplicasError(value).message) : undefined),
      });
      if (typed === undefined) return;
      replicas = parseReplicas(typed);
    }
    if (replicas === undefined || !Number.isInteger(replicas) || replicas < 0 || replicas > 1000) {
      void vscode.window.showWarningMessage(localize(invalidReplicasError(String(replicas)).message));
      return;
    }
    if (replicas === service.desired) return;
    const engine = this.manager(element);
    const client = engine?.live.docker;
    if (!engine || !client) return;
    const count = replicas;
    const done = await this.run(vscode.l10n.t('Scale {0}', service.fullName), () => scaleService(client, service.id, count));
    if (done) this.ctx.log.info(`${engine.spec.local ? '' : `[${engine.spec.name}] `}scaled ${service.fullName} from ${service.desired} to ${count}`);
  }

  private async forceUpdate(element: ServicesElement | undefined, options: SwarmCommandOptions): Promise<void> {
    if (element?.kind !== 'swarmService' || !this.trusted()) return;
    const service = this.view.swarmService(element.engine, element.key);
    if (!service) return;
    if (!options.confirmed) {
      const action = vscode.l10n.t('Restart Tasks');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Restart every task of {0}?', service.fullName),
        { modal: true, detail: vscode.l10n.t('Swarm replaces the {0} tasks with new ones, following the service\'s update_config (docker service update --force).', service.running) },
        action,
      );
      if (choice !== action) return;
    }
    const engine = this.manager(element);
    const client = engine?.live.docker;
    if (!engine || !client) return;
    const done = await this.run(vscode.l10n.t('Restart the tasks of {0}', service.fullName), () => forceUpdateService(client, service.id));
    if (done) this.ctx.log.info(`forced an update of ${service.fullName}`);
  }

  private logs(element: ServicesElement | undefined): void {
    if (element?.kind !== 'swarmService' || !this.trusted()) return;
    const service = this.view.swarmService(element.engine, element.key);
    if (!service) return;
    if (!this.manager(element)) return;
    this.runInTerminal(vscode.l10n.t('logs: {0}', service.fullName), 'docker', ['service', 'logs', '-f', '--tail', '200', service.id], undefined, element);
  }

  private async removeStack(element: ServicesElement | undefined, options: SwarmCommandOptions): Promise<void> {
    if (element?.kind !== 'stack' || !this.trusted()) return;
    const stack = this.view.stack(element.engine, element.key);
    if (!stack || stack.loose) return;
    const engine = this.view.engineOf(element);
    if (!options.confirmed) {
      const action = vscode.l10n.t('Remove Stack');
      const question = this.view.multiEngine
        ? vscode.l10n.t('Remove stack {0} on {1} and its {2} services?', stack.name, engine.spec.name, stack.total)
        : vscode.l10n.t('Remove stack {0} and its {1} services?', stack.name, stack.total);
      const choice = await vscode.window.showWarningMessage(
        question,
        { modal: true, detail: vscode.l10n.t('Like docker stack rm: its services, networks, secrets and configs are removed; volumes are kept.') },
        action,
      );
      if (choice !== action) return;
    }
    if (!this.manager(element)) return;
    const client = engine.live.docker;
    if (!client) return;
    await this.run(vscode.l10n.t('Remove stack {0}', stack.name), async () => {
      const removed = await removeStack(client, stack.name);
      this.ctx.log.info(`removed stack ${stack.name}: ${removed.services.length} services, ${removed.networks.length} networks, ${removed.secrets.length} secrets, ${removed.configs.length} configs`);
      if (removed.failures.length > 0) {
        throw new Error(removed.failures.map((f) => `${f.kind} ${f.name}: ${localize(f.message)}`).join('; '));
      }
    });
  }
}
