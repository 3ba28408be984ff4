import * as vscode from 'vscode';
import type { Finding, Fix } from '../../core/findings';
import { LineIndex } from '../../core/text/lineIndex';
import { localize } from '../context';
import { DIAGNOSTIC_SOURCE } from '../validation/diagnostics';
import { isDockerfileDocument, type DockerfileDiagnostics } from './dockerfileDiagnostics';

const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('composeBlueprint');

/**
 * Quick fixes for Dockerfile findings, computed again from the document's current text (fixes are data on
 * the findings), plus "disable for this line" and a fix-all of the safe (preferred) fixes.
 */
export class DockerfileFixes implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly diagnostics: DockerfileDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    // The selector's pattern also matches Dockerfile.dockerignore and the like; they are not Dockerfiles.
    if (!isDockerfileDocument(document)) return [];
    const text = document.getText();
    const index = new LineIndex(text);
    const toRange = (span: { start: number; end: number }) => {
      const start = index.positionAt(span.start);
      const end = index.positionAt(span.end);
      return new vscode.Range(start.line, start.character, end.line, end.character);
    };
    const { findings } = this.diagnostics.check(document.uri, text);
    const actions: vscode.CodeAction[] = [];

    if (context.only && (context.only.contains(FIX_ALL_KIND) || FIX_ALL_KIND.contains(context.only))) {
      const fixAll = this.fixAll(document, findings, toRange);
      return fixAll ? [fixAll] : [];
    }

    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    for (const finding of findings) {
      const findingRange = toRange(finding.span);
      if (!findingRange.intersection(range) && !(range.isEmpty && findingRange.contains(range.start))) continue;
      const matching = ours.filter((d) => codeOf(d) === finding.rule && d.range.isEqual(findingRange));
      for (const fix of finding.fixes ?? []) actions.push(this.toAction(document, fix, matching, toRange));
      if (finding.rule !== 'dockerfile-syntax') actions.push(this.disableAction(document, finding, matching, index));
    }
    return actions;
  }

  private toAction(document: vscode.TextDocument, fix: Fix, diagnostics: vscode.Diagnostic[], toRange: (span: { start: number; end: number }) => vscode.Range): vscode.CodeAction {
    const action = new vscode.CodeAction(localize(fix.title), vscode.CodeActionKind.QuickFix);
    const edit = new vscode.WorkspaceEdit();
    for (const textEdit of fix.edits) edit.replace(document.uri, toRange(textEdit.span), textEdit.newText);
    action.edit = edit;
    action.diagnostics = diagnostics;
    action.isPreferred = fix.isPreferred === true;
    return action;
  }

  private disableAction(document: vscode.TextDocument, finding: Finding, diagnostics: vscode.Diagnostic[], index: LineIndex): vscode.CodeAction {
    const action = new vscode.CodeAction(vscode.l10n.t('Disable {0} for this line', finding.rule), vscode.CodeActionKind.QuickFix);
    const line = index.positionAt(finding.span.start).line;
    const lineText = document.lineAt(line).text;
    const indent = /^[ \t]*/.exec(lineText)?.[0] ?? '';
    const eol = document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(line, 0), `${indent}# blueprint-disable-next-line ${finding.rule}${eol}`);
    action.edit = edit;
    action.diagnostics = diagnostics;
    return action;
  }

  /** Applies every preferred fix whose edits do not overlap an earlier one; running it again picks up the rest. */
  private fixAll(document: vscode.TextDocument, findings: readonly Finding[], toRange: (span: { start: number; end: number }) => vscode.Range): vscode.CodeAction | undefined {
    const edit = new vscode.WorkspaceEdit();
    const taken: { start: number; end: number }[] = [];
    let count = 0;
    for (const finding of findings) {
      const fix = finding.fixes?.find((f) => f.isPreferred);
      if (!fix) continue;
      const overlaps = fix.edits.some((e) => taken.some((t) => e.span.start <= t.end && t.start <= e.span.end));
      if (overlaps) continue;
      for (const textEdit of fix.edits) {
        edit.replace(document.uri, toRange(textEdit.span), textEdit.newText);
        taken.push(textEdit.span);
      }
      count++;
    }
    if (count === 0) return undefined;
    const action = new vscode.CodeAction(vscode.l10n.t('Fix all safe Dockerfile issues'), FIX_ALL_KIND);
    action.edit = edit;
    return action;
  }
}

function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (typeof code === 'string' || typeof code === 'number') return String(code);
  return code ? String(code.value) : undefined;
}
