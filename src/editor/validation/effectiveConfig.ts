import * as vscode from 'vscode';
import { readOptional } from '../readText';
import { effectiveConfigYaml } from '../../core/compose/effective';
import { prepareProject } from '../../core/validation/checkProject';
import type { ComposeWorkspace } from '../composeWorkspace';
import type { BlueprintContext } from '../context';

export const EFFECTIVE_CONFIG_SCHEME = 'compose-blueprint-config';
export const SHOW_EFFECTIVE_CONFIG_COMMAND = 'composeBlueprint.showEffectiveConfig';

/**
 * A read-only document with the merged, interpolated config of a folder for dev (base + override) or prod
 * (base + prod), like `docker compose config`. The document follows edits to the compose files and `.env`.
 * URI: compose-blueprint-config:/<folder path>/<role>.effective.yaml?<folder uri>
 */
export class EffectiveConfigProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly open = new Set<string>();

  constructor(private readonly workspace: ComposeWorkspace) {}

  static uriFor(folder: vscode.Uri, role: 'dev' | 'prod'): vscode.Uri {
    return vscode.Uri.from({ scheme: EFFECTIVE_CONFIG_SCHEME, path: `${folder.path}/${role}.effective.yaml`, query: folder.toString() });
  }

  refreshAll(): void {
    for (const key of this.open) this.changed.fire(vscode.Uri.parse(key));
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    this.open.add(uri.toString());
    const folder = vscode.Uri.parse(uri.query);
    const role = uri.path.endsWith('/prod.effective.yaml') ? 'prod' : 'dev';
    const files = this.workspace.all().filter((file) => vscode.Uri.joinPath(file.uri, '..').toString() === folder.toString());
    const [envText, envExampleText] = await Promise.all([readOptional(vscode.Uri.joinPath(folder, '.env')), readOptional(vscode.Uri.joinPath(folder, '.env.example'))]);
    const prepared = prepareProject(
      { files: files.map((f) => ({ path: f.uri.toString(), text: f.text })), ...(envText !== undefined ? { envText } : {}), ...(envExampleText !== undefined ? { envExampleText } : {}) },
      role,
    );
    const config = prepared.configs.find((c) => c.role === role);
    const names = (config?.fileIndices ?? []).map((i) => {
      const path = prepared.family.files[i]?.path ?? '';
      return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
    });
    if (!config) return `# ${vscode.l10n.t('No base compose file in {0}.', folder.fsPath)}\n`;
    const header = [vscode.l10n.t('Effective {0} config of {1}: {2} (read-only).', role, folder.fsPath, names.join(' + '))];
    return effectiveConfigYaml(config.root, prepared.env, header);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Registers the provider and `composeBlueprint.showEffectiveConfig` (args: optional uri, optional 'dev' | 'prod'). */
export function registerEffectiveConfig(ctx: BlueprintContext, workspace: ComposeWorkspace): EffectiveConfigProvider {
  const provider = ctx.own(new EffectiveConfigProvider(workspace));
  ctx.own(vscode.workspace.registerTextDocumentContentProvider(EFFECTIVE_CONFIG_SCHEME, provider));
  ctx.own(workspace.onDidChange(() => provider.refreshAll()));
  ctx.registerCommand(SHOW_EFFECTIVE_CONFIG_COMMAND, async (target?: vscode.Uri, roleArg?: 'dev' | 'prod') => {
    let folder: vscode.Uri | undefined;
    const from = target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri;
    if (from && workspace.get(from)) folder = vscode.Uri.joinPath(from, '..');
    if (!folder) {
      const families = workspace.families();
      if (families.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No compose file in this workspace.'));
        return;
      }
      const picked =
        families.length === 1
          ? families[0]
          : (await vscode.window.showQuickPick(families.map((f) => ({ label: vscode.workspace.asRelativePath(f.uris.base), family: f })), { placeHolder: vscode.l10n.t('Which compose project?') }))?.family;
      if (!picked) return;
      folder = vscode.Uri.joinPath(picked.uris.base, '..');
    }
    const role =
      roleArg ??
      (
        await vscode.window.showQuickPick(
          [
            { label: vscode.l10n.t('Development'), description: 'base + override', role: 'dev' as const },
            { label: vscode.l10n.t('Production'), description: 'base + prod', role: 'prod' as const },
          ],
          { placeHolder: vscode.l10n.t('Which config?') },
        )
      )?.role;
    if (!role) return;
    const document = await vscode.workspace.openTextDocument(EffectiveConfigProvider.uriFor(folder, role));
    await vscode.languages.setTextDocumentLanguage(document, 'yaml');
    await vscode.window.showTextDocument(document, { preview: true });
  });
  return provider;
}
