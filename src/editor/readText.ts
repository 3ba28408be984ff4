import * as vscode from 'vscode';

/**
 * A file's current text: the open editor's (unsaved edits count), else the file on disk; undefined when
 * it cannot be read. Checks, hovers and the effective config all read `.env` and compose files this way.
 */
export async function readOptional(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isClosed);
  if (open) return open.getText();
  try {
    return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}
