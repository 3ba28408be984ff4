import * as vscode from 'vscode';
import { ComposeWorkspace } from './editor/composeWorkspace';
import { registerComposeEditing } from './editor/completion/register';
import { BlueprintContext, errorText } from './editor/context';
import { registerDockerfileFeatures } from './editor/dockerfile/register';
import { ServiceActions } from './editor/services/serviceActions';
import { ArchitectureMaps, type MapSnapshot } from './editor/map/architectureMap';
import { ServicesView, type ServicesSnapshot } from './editor/services/servicesView';
import { registerComposeValidation } from './editor/validation/register';
import { registerScaffoldCommands } from './editor/scaffold/commands';
import { ruleMeta } from './core/rules/registry';
import { SwarmDeploy, type SwarmDeployApi } from './editor/swarm/deployToSwarm';
import { runningPrograms } from './editor/processTerminal';

let context: BlueprintContext | undefined;

/** What tests inside the extension host can reach through `extension.exports`. */
export interface BlueprintApi {
  /** From the first statement of the bundle to the end of `activate`: loading plus activation. */
  readonly activatedInMs: number;
  readonly ready: Promise<void>;
  /** Test-facing: the services view's state (connection, projects, services, containers, accessibility labels). */
  servicesSnapshot(): ServicesSnapshot;
  /** Test-facing: the open architecture maps (project, view, services, edges, live status per box). */
  mapSnapshot(): MapSnapshot;
  /** Test-facing: Deploy to Swarm's last decision, and its questions answered without dialogs. */
  readonly swarmDeploy: SwarmDeployApi;
}

export function activate(extension: vscode.ExtensionContext): BlueprintApi {
  const started = (globalThis as { __composeBlueprintLoadStart?: number }).__composeBlueprintLoadStart ?? performance.now();
  const ctx = new BlueprintContext(extension);
  context = ctx;
  extension.subscriptions.push(ctx);
  try {
    const workspace = ctx.own(new ComposeWorkspace(ctx));
    const diagnostics = registerComposeValidation(ctx, workspace);
    const services = ctx.own(new ServicesView(ctx, workspace));
    registerDockerfileFeatures(ctx, workspace, ruleMeta);
    registerComposeEditing(ctx, ruleMeta);
    registerScaffoldCommands(ctx);
    ctx.own(runningPrograms);
    ctx.own(new ServiceActions(ctx, services));
    const maps = ctx.own(new ArchitectureMaps(ctx, workspace, services));
    const swarmDeploy = ctx.own(new SwarmDeploy(ctx, workspace));
    const ready = workspace
      .scan()
      .then(() => diagnostics.refresh())
      .then(() => services.checkDocker());
    ctx.background('starting up', ready);
    const activatedInMs = performance.now() - started;
    ctx.log.info(`activated in ${activatedInMs.toFixed(1)} ms`);
    return { activatedInMs, ready, servicesSnapshot: () => services.snapshot(), mapSnapshot: () => maps.snapshot(), swarmDeploy: swarmDeploy.api };
  } catch (error) {
    // VS Code does not tell the user when activation fails; we do, and keep the log.
    ctx.reportError(vscode.l10n.t('Compose Blueprint failed to start: {0}', errorText(error)), error);
    throw error;
  }
}

export function deactivate(): void {
  context?.dispose();
  context = undefined;
}
