import * as vscode from 'vscode';
import type { Finding, Severity } from '../../core/findings';
import { LineIndex } from '../../core/text/lineIndex';
import { checkComposeText } from '../../core/validation/checkFile';
import type { ComposeWorkspace } from '../composeWorkspace';
import { localize, type BlueprintContext } from '../context';

export const DIAGNOSTIC_SOURCE = 'compose-blueprint';

const severities: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** Converts findings (offsets) to diagnostics (ranges), once, at the edge. */
export function toDiagnostics(text: string, findings: readonly Finding[]): vscode.Diagnostic[] {
  const index = new LineIndex(text);
  return findings.map((finding) => {
    const start = index.positionAt(finding.span.start);
    const end = index.positionAt(finding.span.end);
    const diagnostic = new vscode.Diagnostic(
      new vscode.Range(start.line, start.character, end.line, end.character),
      localize(finding.message),
      severities[finding.severity],
    );
    diagnostic.source = DIAGNOSTIC_SOURCE;
    diagnostic.code = finding.rule;
    return diagnostic;
  });
}

/**
 * Keeps the Problems panel in step with the compose files: every file of the workspace at start
 * (without opening it), open files as the user types (debounced), and nothing for deleted files.
 */
export class ComposeDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(
    private readonly ctx: BlueprintContext,
    private readonly workspace: ComposeWorkspace,
    private readonly debounceMs = 250,
  ) {
    this.disposables.push(workspace.onDidChange(() => this.schedule()));
  }

  private schedule(): void {
    const key = 'workspace';
    const existing = this.pending.get(key);
    if (existing) clearTimeout(existing);
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        this.refresh();
      }, this.debounceMs),
    );
  }

  /** Recomputes diagnostics for every known compose file. */
  refresh(): void {
    const seen = new Set<string>();
    for (const file of this.workspace.all()) {
      seen.add(file.uri.toString());
      try {
        const { findings } = checkComposeText(file.text);
        this.collection.set(file.uri, toDiagnostics(file.text, findings));
      } catch (error) {
        this.ctx.log.error(`checking ${file.uri.toString(true)} failed`, error instanceof Error ? error.stack : String(error));
      }
    }
    this.collection.forEach((uri) => {
      if (!seen.has(uri.toString())) this.collection.delete(uri);
    });
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
