import * as vscode from 'vscode';
import { describeEndpoint } from '../../core/docker/endpoint';
import { endpointIdentity, hostProblem, withEntry, withoutEntry, type EngineEntry } from '../../core/docker/engines';
import { listDockerContexts } from '../../host/docker/contexts';
import { localize, type BlueprintContext } from '../context';
import type { ServicesElement, ServicesView } from './servicesView';

const SECTION = 'composeBlueprint';
const KEY = 'docker.engines';

/**
 * "Add Docker Engine…" and "Remove Engine": both only edit the `composeBlueprint.docker.engines` setting (user
 * settings; the view follows the setting), so removing asks nothing: it stops watching an engine, it changes
 * nothing on it, and adding it back is one command away.
 */
export function registerEngineCommands(ctx: BlueprintContext, view: ServicesView): void {
  ctx.registerCommand('composeBlueprint.services.addEngine', () => addEngine(view));
  ctx.registerCommand('composeBlueprint.services.removeEngine', (element?: ServicesElement) => removeEngine(view, element));
}

/** Where the engines list is written: where it is already set (workspace wins), else the user settings. */
function target(): vscode.ConfigurationTarget {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown>(KEY);
  if (inspected?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
  if (inspected?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  return vscode.ConfigurationTarget.Global;
}

function currentValue(which: vscode.ConfigurationTarget): unknown {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown>(KEY);
  if (which === vscode.ConfigurationTarget.WorkspaceFolder) return inspected?.workspaceFolderValue;
  if (which === vscode.ConfigurationTarget.Workspace) return inspected?.workspaceValue;
  return inspected?.globalValue;
}

async function addEngine(view: ServicesView): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Docker engines from settings are not used in Restricted Mode. Trust the workspace to add an engine.'));
    return;
  }
  const known = new Set(view.allEngines().map((engine) => endpointIdentity(engine.spec.endpoint)));
  const knownContexts = new Set(view.allEngines().flatMap((engine) => (engine.spec.context ? [engine.spec.context] : [])));
  type Pick = vscode.QuickPickItem & { entry?: EngineEntry; manual?: boolean };
  const contexts: Pick[] = listDockerContexts()
    .filter((context) => context.endpoint !== undefined && !knownContexts.has(context.name) && !known.has(endpointIdentity(context.endpoint)))
    .map((context) => ({
      label: `$(server) ${context.name}`,
      description: describeEndpoint(context.endpoint!),
      ...(context.description ? { detail: context.description } : {}),
      entry: { kind: 'context', context: context.name },
    }));
  const items: Pick[] = [
    ...(contexts.length > 0 ? [{ label: vscode.l10n.t('Docker contexts'), kind: vscode.QuickPickItemKind.Separator } as Pick] : []),
    ...contexts,
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: `$(edit) ${vscode.l10n.t('Enter an address…')}`, description: 'tcp://host:2375, ssh://user@host, unix:///path', manual: true },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Add Docker Engine'),
    placeHolder: contexts.length > 0 ? vscode.l10n.t('Choose a docker context, or enter an address') : vscode.l10n.t('No other docker context found: enter an address'),
  });
  if (!picked) return;
  let entry = picked.entry;
  if (picked.manual) {
    const host = await vscode.window.showInputBox({
      title: vscode.l10n.t('Add Docker Engine'),
      prompt: vscode.l10n.t('The Docker Engine address, as in DOCKER_HOST'),
      placeHolder: 'ssh://deploy@staging.example.com',
      ignoreFocusOut: true,
      validateInput: (value) => {
        const problem = hostProblem(value);
        return problem ? localize(problem) : undefined;
      },
    });
    if (host === undefined) return;
    const name = await vscode.window.showInputBox({
      title: vscode.l10n.t('Add Docker Engine'),
      prompt: vscode.l10n.t('A name for the view (optional)'),
      placeHolder: host.trim(),
      ignoreFocusOut: true,
    });
    if (name === undefined) return;
    entry = { kind: 'host', host: host.trim(), ...(name.trim() !== '' ? { name: name.trim() } : {}) };
  }
  if (!entry) return;
  const where = target();
  await vscode.workspace.getConfiguration(SECTION).update(KEY, withEntry(currentValue(where), entry), where);
}

async function removeEngine(view: ServicesView, element: ServicesElement | undefined): Promise<void> {
  const engine = element?.kind === 'engine' ? view.engine(element.key) : undefined;
  if (!engine) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Choose an engine in the Services view.'));
    return;
  }
  if (engine.spec.local) {
    void vscode.window.showInformationMessage(vscode.l10n.t('The local engine is always shown; change it with the setting composeBlueprint.docker.host or the current docker context.'));
    return;
  }
  // The engine's index is in the merged setting; remove it where that entry was written.
  const where = target();
  const value = currentValue(where);
  const merged = vscode.workspace.getConfiguration(SECTION).get<unknown>(KEY);
  if (!Array.isArray(value) || JSON.stringify(value) !== JSON.stringify(merged)) {
    // Entries come from more than one settings file: open the setting rather than guess which entry to drop.
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} is set in more than one place; remove the engine there.', `${SECTION}.${KEY}`));
    await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.${KEY}`);
    return;
  }
  await vscode.workspace.getConfiguration(SECTION).update(KEY, withoutEntry(value, engine.spec.index), where);
}
