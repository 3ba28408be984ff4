import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, waitFor, workspaceUri } from './helpers';

const DOCKERFILE = 'dockerfile/build/api/Dockerfile';

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'compose-blueprint');
const ruleOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));

suite('Dockerfile checks in the editor', () => {
  test('a build/** Dockerfile gets its diagnostics at start, without being opened, with the compose side', async () => {
    await (await extensionApi()).ready;
    const uri = workspaceUri(DOCKERFILE);
    const expected = ['add-instead-of-copy', 'cmd-shell-form', 'expose-missing', 'healthcheck-tool-missing'];
    const diagnostics = await waitFor(() => ours(uri), (list) => expected.every((rule) => list.some((d) => ruleOf(d) === rule)), 'Dockerfile diagnostics');
    assert.deepEqual([...new Set(diagnostics.map(ruleOf))].sort(), expected);
    const add = diagnostics.find((d) => ruleOf(d) === 'add-instead-of-copy')!;
    assert.deepEqual([add.range.start.line, add.range.start.character, add.range.end.character], [5, 0, 3], 'on the ADD keyword');
    const cmd = diagnostics.find((d) => ruleOf(d) === 'cmd-shell-form')!;
    assert.deepEqual([cmd.range.start.line, cmd.range.start.character], [7, 4], 'on the shell-form command');
    assert.equal(add.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(diagnostics.find((d) => ruleOf(d) === 'expose-missing')!.message, /8000/);
  });

  test('the quick fix turns ADD into COPY and the diagnostic goes away; typing a new problem adds one', async () => {
    await (await extensionApi()).ready;
    const uri = workspaceUri(DOCKERFILE);
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    try {
      const add = await waitFor(() => ours(uri).find((d) => ruleOf(d) === 'add-instead-of-copy'), (d) => d !== undefined, 'the ADD diagnostic');
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, add!.range, vscode.CodeActionKind.QuickFix.value);
      const fix = actions.find((a) => a.title === 'Replace ADD with COPY');
      assert.ok(fix?.edit, `actions: ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(actions.some((a) => a.title === 'Disable add-instead-of-copy for this line'));
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.equal(document.lineAt(5).text, 'COPY main.py /app/');
      await waitFor(() => ours(uri).filter((d) => ruleOf(d) === 'add-instead-of-copy'), (list) => list.length === 0, 'the ADD diagnostic to clear');

      await editor.edit((edit) => edit.insert(new vscode.Position(document.lineCount, 0), 'RUN apt-get install -y curl\n'));
      const typed = await waitFor(() => ours(uri).filter((d) => ruleOf(d) === 'apt-no-recommends'), (list) => list.length === 1, 'a diagnostic for the typed RUN');
      assert.equal(typed[0]!.range.start.line, document.lineCount - 2);
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  test('hover on a rule id in a suppression comment shows the rule page', async () => {
    await (await extensionApi()).ready;
    const document = await vscode.workspace.openTextDocument({ language: 'dockerfile', content: 'FROM python:3.12-slim\n# blueprint-disable-next-line from-unpinned\nADD x /x\n' });
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(1, 35));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /# from-unpinned/);
    assert.match(text, /pin/i);
  });
});
