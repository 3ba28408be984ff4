import * as vscode from 'vscode';

/**
 * A file's current text: the open editor's (unsaved edits count), else the file on disk; undefined when
 * it cannot be read (`onError` hears why). Checks, hovers, the effective config and the workspace's compose files
 * all read this way.
 */
export async function readOptional(uri: vscode.Uri, onError?: (error: unknown) => void): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isClosed);
  if (open) return open.getText();
  try {
    return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
  } catch (error) {
    onError?.(error);
    return undefined;
  }
}
