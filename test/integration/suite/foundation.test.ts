import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, waitFor, workspaceUri } from './helpers';

/** The rule id of a diagnostic: its code, or the code's value when the code links to the rule's page. */
function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

suite('foundation: activation, YAML syntax diagnostics', () => {
  test('the extension activates in the real extension host and reports its activation time', async () => {
    const api = await extensionApi();
    assert.equal(typeof api.activatedInMs, 'number');
    assert.ok(api.activatedInMs > 0);
    console.log(`activation time (inside the extension host): ${api.activatedInMs.toFixed(1)} ms`);
    await api.ready;
  });

  test('its commands are registered', async () => {
    await extensionApi();
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['composeBlueprint.showLog', 'composeBlueprint.refreshServices', 'composeBlueprint.retryDocker']) {
      assert.ok(commands.includes(id), `${id} is not registered`);
    }
  });

  test('a compose file with a YAML error gets a diagnostic at the error, without being opened', async () => {
    await (await extensionApi()).ready;
    const uri = workspaceUri('broken/docker-compose.yml');
    const diagnostics = await waitFor(
      () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'compose-blueprint' && ruleOf(d) === 'yaml-syntax'),
      (list) => list.length > 0,
      'a yaml-syntax diagnostic for broken/docker-compose.yml',
    );
    const first = diagnostics[0]!;
    assert.equal(first.severity, vscode.DiagnosticSeverity.Error);
    // The unclosed quote opens at line 3, column 12 (1-based): that is where the diagnostic must start.
    assert.deepEqual([first.range.start.line, first.range.start.character], [2, 11]);
  });

  test('typing a YAML error into an open compose file adds a diagnostic; undoing it clears it', async () => {
    await (await extensionApi()).ready;
    const uri = workspaceUri('shop/docker-compose.yml');
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'compose-blueprint' && ruleOf(d) === 'yaml-syntax');
    assert.deepEqual(ours(), []);
    const line = document.lineAt(document.lineCount - 1).range.end;
    await editor.edit((edit) => edit.insert(line, '\n  bad: [unclosed\n'));
    const added = await waitFor(ours, (list) => list.length > 0, 'a yaml-syntax diagnostic after typing');
    assert.ok(added[0]!.range.start.line >= document.lineCount - 3);
    await vscode.commands.executeCommand('undo');
    await waitFor(ours, (list) => list.length === 0, 'the diagnostic to clear after undo');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('diagnostic messages have every placeholder filled, including inside ${...} references', async () => {
    await (await extensionApi()).ready;
    const secret = await waitFor(
      () => vscode.languages.getDiagnostics().flatMap(([, list]) => list).filter((d) => d.source === 'compose-blueprint' && ruleOf(d) === 'secret-literal'),
      (list) => list.length > 0,
      'a secret-literal diagnostic in the workspace',
    );
    assert.match(secret[0]!.message, /\$\{[A-Z_]+\}/, secret[0]!.message);
    const unfilled = vscode.languages
      .getDiagnostics()
      .flatMap(([, list]) => list)
      .filter((d) => d.source === 'compose-blueprint' && /\{\d+\}/.test(d.message))
      .map((d) => d.message);
    assert.deepEqual(unfilled, []);
  });
});
