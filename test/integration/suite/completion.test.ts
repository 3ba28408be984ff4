import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, workspaceUri } from './helpers';

const COMPOSE = 'dockerfile/docker-compose.yml';

function positionOf(document: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const offset = document.getText().indexOf(needle);
  assert.ok(offset >= 0, `${needle} is in the fixture`);
  return document.positionAt(offset + delta);
}

suite('compose completion and hover', () => {
  test('completion inside depends_on lists the other declared services', async () => {
    await (await extensionApi()).ready;
    const document = await vscode.workspace.openTextDocument(workspaceUri(COMPOSE));
    const position = positionOf(document, '      - db', '      - db'.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position);
    const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    assert.ok(labels.includes('db'), labels.join(', '));
    assert.ok(!labels.includes('api'), 'not the service itself');
  });

  test('completion of a ${VAR} name from .env.example', async () => {
    await (await extensionApi()).ready;
    const document = await vscode.workspace.openTextDocument(workspaceUri(COMPOSE));
    const editor = await vscode.window.showTextDocument(document);
    try {
      const at = positionOf(document, '      - "8080:8000"');
      await editor.edit((edit) => edit.insert(at, '      - "${API\n'));
      const position = new vscode.Position(at.line, '      - "${API'.length);
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position, '{');
      const item = list.items.find((i) => i.label === 'API_PORT');
      assert.ok(item, list.items.map((i) => String(typeof i.label === 'string' ? i.label : i.label.label)).join(', '));
      assert.match(String(item.detail), /\.env\.example: 8000/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  test('hover over healthcheck shows the compose schema description', async () => {
    await (await extensionApi()).ready;
    const document = await vscode.workspace.openTextDocument(workspaceUri(COMPOSE));
    const position = positionOf(document, 'healthcheck:', 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Configure a health check for the container/);
  });
});
