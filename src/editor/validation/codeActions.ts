import * as vscode from 'vscode';
import type { Finding, Fix, TextEdit } from '../../core/findings';
import { combineFixes, type CombinedFix } from '../../core/rules/fixAll';
import { LineIndex } from '../../core/text/lineIndex';
import { localize } from '../context';
import { type CheckedFile, DIAGNOSTIC_SOURCE, diagnosticKey, type FindingStore } from './diagnostics';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('composeBlueprint');

function rangeOf(index: LineIndex, span: TextEdit['span']): vscode.Range {
  const start = index.positionAt(span.start);
  const end = index.positionAt(span.end);
  return new vscode.Range(start.line, start.character, end.line, end.character);
}

/**
 * Turns a fix (offset edits on the checked text, plus edits to sibling files such as `.env.example`) into a
 * WorkspaceEdit. Returns undefined when a file changed since the check (its offsets would be wrong).
 */
export function fixToWorkspaceEdit(file: CheckedFile, fix: Pick<Fix, 'edits' | 'otherFiles'> | CombinedFix, currentText: string): vscode.WorkspaceEdit | undefined {
  if (currentText !== file.text) return undefined;
  const edit = new vscode.WorkspaceEdit();
  const index = new LineIndex(file.text);
  for (const textEdit of fix.edits) edit.replace(file.uri, rangeOf(index, textEdit.span), textEdit.newText);
  type OtherFile = { readonly path: string; readonly edits: readonly TextEdit[]; readonly createIfMissing?: boolean };
  const others: readonly OtherFile[] =
    fix.otherFiles instanceof Map ? [...(fix.otherFiles as CombinedFix['otherFiles'])].map(([path, other]): OtherFile => ({ path, ...other })) : ((fix.otherFiles as Fix['otherFiles']) ?? []);
  const folder = vscode.Uri.joinPath(file.uri, '..');
  for (const other of others) {
    const uri = vscode.Uri.joinPath(folder, ...other.path.split('/'));
    const name = other.path.slice(other.path.lastIndexOf('/') + 1);
    const known = file.siblings.has(name);
    const text = file.siblings.get(name);
    if (!known) return undefined;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isClosed);
    if (open && open.getText() !== (text ?? '')) return undefined;
    if (text === undefined) {
      if (!other.createIfMissing) return undefined;
      edit.createFile(uri, { ignoreIfExists: true });
    }
    const otherIndex = new LineIndex(text ?? '');
    for (const textEdit of other.edits) edit.replace(uri, rangeOf(otherIndex, textEdit.span), textEdit.newText);
  }
  return edit;
}

/**
 * Quick fixes for compose findings, looked up from the diagnostic's key in the FindingStore: the rule's
 * fixes, "disable for this line", and "fix all" (a quick fix with every first fix; `source.fixAll` with the
 * safe, preferred ones, for `editor.codeActionsOnSave`).
 */
export class ComposeCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND] };

  constructor(private readonly store: FindingStore) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const file = this.store.get(document.uri);
    if (!file || file.text !== document.getText()) return [];
    if (context.only && (FIX_ALL_KIND.contains(context.only) || context.only.contains(FIX_ALL_KIND))) {
      const action = this.fixAll(document, file, (f) => f.fixes?.find((fix) => fix.isPreferred), FIX_ALL_KIND);
      return action ? [action] : [];
    }
    const actions: vscode.CodeAction[] = [];
    const index = new LineIndex(file.text);
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const finding = file.byKey.get(diagnosticKey(diagnostic));
      if (!finding) continue;
      for (const fix of finding.fixes ?? []) {
        const edit = fixToWorkspaceEdit(file, fix, document.getText());
        if (!edit) continue;
        const action = new vscode.CodeAction(localize(fix.title), vscode.CodeActionKind.QuickFix);
        action.edit = edit;
        action.diagnostics = [diagnostic];
        action.isPreferred = fix.isPreferred === true;
        actions.push(action);
      }
      if (finding.rule !== 'yaml-syntax') actions.push(this.disableForLine(document, finding, diagnostic, index));
    }
    const fixable = file.findings.filter((f) => (f.fixes?.length ?? 0) > 0);
    if (actions.length > 0 && fixable.length > 1) {
      const all = this.fixAll(document, file, (f) => f.fixes?.[0], vscode.CodeActionKind.QuickFix);
      if (all) actions.push(all);
    }
    return actions;
  }

  private fixAll(document: vscode.TextDocument, file: CheckedFile, choose: (finding: Finding) => Fix | undefined, kind: vscode.CodeActionKind): vscode.CodeAction | undefined {
    const chosen = file.findings.filter((f) => choose(f) !== undefined);
    if (chosen.length === 0) return undefined;
    const edit = fixToWorkspaceEdit(file, combineFixes(chosen, choose), document.getText());
    if (!edit) return undefined;
    const action = new vscode.CodeAction(vscode.l10n.t('Fix all Compose Blueprint problems in this file'), kind);
    action.edit = edit;
    return action;
  }

  private disableForLine(document: vscode.TextDocument, finding: Finding, diagnostic: vscode.Diagnostic, index: LineIndex): vscode.CodeAction {
    const action = new vscode.CodeAction(vscode.l10n.t('Disable {0} for this line', finding.rule), vscode.CodeActionKind.QuickFix);
    const line = index.positionAt(finding.span.start).line;
    const lineText = document.lineAt(line).text;
    const indent = /^\s*/.exec(lineText)?.[0] ?? '';
    const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(line, 0), `${indent}# blueprint-disable-next-line ${finding.rule}${eol}`);
    action.edit = edit;
    action.diagnostics = [diagnostic];
    return action;
  }
}
