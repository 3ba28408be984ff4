import fs from 'node:fs';
import * as vscode from 'vscode';
import { ruleMeta } from '../../core/rules/registry';
import { localize, type BlueprintContext } from '../context';

export const SHOW_RULE_DOC_COMMAND = 'composeBlueprint.showRuleDoc';

let extensionUri: vscode.Uri | undefined;
/** Rule ids that have a page in docs/rules (read once at start: a link only where there is a page). */
let documented = new Set<string>();

/** The page of a rule shipped with the extension: docs/rules/<id>.md. */
export function ruleDocUri(base: vscode.Uri, rule: string): vscode.Uri {
  return vscode.Uri.joinPath(base, 'docs', 'rules', `${rule}.md`);
}

/**
 * The diagnostic code link of a rule: a command URI that opens its page in the Markdown preview (a plain
 * file link would open the Markdown source). Undefined for a rule without a page (such as `yaml-syntax`),
 * and until `registerRuleDocs` ran.
 */
export function ruleDocTarget(rule: string): vscode.Uri | undefined {
  if (!extensionUri || !documented.has(rule)) return undefined;
  return vscode.Uri.parse(`command:${SHOW_RULE_DOC_COMMAND}?${encodeURIComponent(JSON.stringify([rule]))}`);
}

/** Registers `composeBlueprint.showRuleDoc` (rule id -> its page in the Markdown preview, or its summary when no page exists). */
export function registerRuleDocs(ctx: BlueprintContext): void {
  extensionUri = ctx.extension.extensionUri;
  try {
    documented = new Set(
      fs
        .readdirSync(vscode.Uri.joinPath(extensionUri, 'docs', 'rules').fsPath)
        .filter((name) => name.endsWith('.md'))
        .map((name) => name.slice(0, -3)),
    );
  } catch (error) {
    ctx.log.warn(`rule pages not found: ${String(error)}`);
  }
  ctx.own({ dispose: () => (extensionUri = undefined) });
  ctx.registerCommand(SHOW_RULE_DOC_COMMAND, async (rule?: string) => {
    const id = typeof rule === 'string' ? rule : await vscode.window.showInputBox({ prompt: vscode.l10n.t('Rule id') });
    if (!id) return;
    const page = ruleDocUri(ctx.extension.extensionUri, id);
    try {
      await vscode.workspace.fs.stat(page);
    } catch {
      const meta = ruleMeta(id);
      void vscode.window.showInformationMessage(meta ? `${id}: ${localize(meta.summary)}` : vscode.l10n.t('No page for the rule {0}.', id));
      return;
    }
    await vscode.commands.executeCommand('markdown.showPreview', page);
  });
}
