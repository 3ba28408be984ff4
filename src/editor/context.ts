import * as vscode from 'vscode';
import { formatMessage, type Message } from '../core/message';

/**
 * One object owns every resource the extension creates: the log, commands, providers, watchers.
 * Everything is pushed here and disposed with the extension, so nothing leaks across reloads.
 */
export class BlueprintContext implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('Compose Blueprint', { log: true });
    this.own(this.log);
    this.registerCommand('composeBlueprint.showLog', () => this.log.show());
  }

  /** Takes ownership of a disposable for the extension's lifetime. */
  own<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  /**
   * Registers a command whose failures are logged and shown with "Open Log" instead of vanishing
   * in the extension host: a command never throws at the user.
   */
  registerCommand(id: string, handler: (...args: never[]) => unknown): void {
    this.own(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...(args as never[]));
        } catch (error) {
          this.reportError(vscode.l10n.t('Compose Blueprint: the command failed: {0}', errorText(error)), error);
          return undefined;
        }
      }),
    );
  }

  /** Logs an error with its stack and tells the user, with a button to open the log. */
  reportError(userMessage: string, error?: unknown): void {
    this.log.error(userMessage, ...(error === undefined ? [] : [error instanceof Error ? (error.stack ?? error.message) : errorText(error)]));
    const openLog = vscode.l10n.t('Open Log');
    void vscode.window.showErrorMessage(userMessage, openLog).then((choice) => {
      if (choice === openLog) this.log.show();
    });
  }

  /** Runs a promise whose result nobody awaits, logging its failure instead of leaving an unhandled rejection. */
  background(what: string, work: Promise<unknown>): void {
    work.catch((error: unknown) => this.log.error(`${what}: ${errorText(error)}`));
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0).reverse()) {
      try {
        disposable.dispose();
      } catch (error) {
        console.error('Compose Blueprint: dispose failed', error);
      }
    }
  }
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

/** Formats a core message in the editor's language through `vscode.l10n`. */
export function localize(message: Message): string {
  // vscode.l10n.t looks the template up in l10n/bundle.l10n.<lang>.json; the core keeps English templates.
  // We fill the placeholders ourselves: l10n.t's own formatting leaves `{0}` alone inside `${{0}}`, which
  // messages about `${VAR}` references need.
  return formatMessage({ template: vscode.l10n.t(message.template), args: message.args });
}
