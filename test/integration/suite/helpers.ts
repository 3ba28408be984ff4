import * as vscode from 'vscode';
import type { BlueprintApi } from '../../../src/extension';

export const EXTENSION_ID = 'compose-blueprint.compose-blueprint';

/** Activates the extension (if needed) and returns its API. */
export async function extensionApi(): Promise<BlueprintApi> {
  const extension = vscode.extensions.getExtension<BlueprintApi>(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not installed in this host`);
  return extension.isActive ? extension.exports : await extension.activate();
}

export function workspaceUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the integration tests need a workspace folder');
  return vscode.Uri.joinPath(folder.uri, ...relative.split('/'));
}

/** Polls `read` until `done` holds (diagnostics arrive asynchronously); fails with `what` after the timeout. */
export async function waitFor<T>(read: () => T, done: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = read();
  }
  return value;
}

/**
 * For a suite that needs the Docker daemon: waits for the extension's first connection outcome; without a
 * daemon the suite fails under CI (a missing daemon must not pass as green) and is skipped elsewhere.
 */
export async function requireDaemon(suite: Mocha.Context): Promise<BlueprintApi> {
  const api = await extensionApi();
  await api.ready;
  const state = await waitFor(() => api.servicesSnapshot().connection.status, (s) => s === 'connected' || s === 'unreachable', 'a first connection outcome');
  if (state !== 'connected') {
    const why = api.servicesSnapshot().connection.message ?? state;
    if (process.env.CI === 'true') throw new Error(`no Docker daemon: ${why}`);
    suite.skip();
  }
  return api;
}
