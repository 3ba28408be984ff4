import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, waitFor, workspaceUri } from './helpers';

const PROJECT = 'commentbot-map';

function mapTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('composeBlueprint.architectureMap'));
}

suite('architecture map: command, panel, graph wiring', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the map commands are registered', async () => {
    await extensionApi();
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['composeBlueprint.showArchitectureMap', 'composeBlueprint.exportArchitectureSvg', 'composeBlueprint.copyArchitectureMermaid']) {
      assert.ok(commands.includes(id), `${id} is not registered`);
    }
  });

  test('showing the map of a compose file opens one webview panel with the merged development graph', async () => {
    const api = await extensionApi();
    await api.ready;
    await vscode.commands.executeCommand('composeBlueprint.showArchitectureMap', workspaceUri(`map/${PROJECT}/docker-compose.yml`));
    await waitFor(() => mapTabs().length, (n) => n === 1, 'one architecture map tab');
    assert.match(mapTabs()[0]!.label, new RegExp(PROJECT));
    const panel = await waitFor(() => api.mapSnapshot().panels.find((p) => p.project === PROJECT), (p) => p !== undefined && p.services.length > 0, 'the map snapshot');
    assert.equal(panel!.view, 'dev');
    assert.deepEqual(panel!.services, ['commentbot-core', 'debug-tools', 'ollama', 'whisper-service']);
    assert.deepEqual(panel!.edges, ['commentbot-core->ollama:service_healthy', 'commentbot-core->whisper-service:service_started']);
    // Each box has a status with a spoken label, whether or not a daemon answers.
    await waitFor(() => api.mapSnapshot().panels[0]?.status ?? {}, (s) => Object.keys(s).length === 4, 'a status per box');
    const status = api.mapSnapshot().panels[0]!.status;
    assert.match(status['debug-tools']!.label, /^debug-tools, .*dev only/);
  });

  test('showing it again reveals the same panel instead of opening a second one', async () => {
    await vscode.commands.executeCommand('composeBlueprint.showArchitectureMap', { kind: 'project', key: workspaceUri(`map/${PROJECT}`).toString() });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(mapTabs().length, 1);
  });

  test('an edit of the compose file redraws the map', async () => {
    const api = await extensionApi();
    const uri = workspaceUri(`map/${PROJECT}/docker-compose.override.yml`);
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.Beside);
    await editor.edit((edit) => edit.insert(document.lineAt(document.lineCount - 1).range.end, '\n  extra-worker:\n    image: compose-blueprint/busybox-health:1\n    depends_on: [ollama]\n'));
    const panel = await waitFor(() => api.mapSnapshot().panels.find((p) => p.project === PROJECT), (p) => p?.services.includes('extra-worker') === true, 'the new service on the map');
    assert.ok(panel!.edges.includes('extra-worker->ollama:service_started'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor(() => api.mapSnapshot().panels.find((p) => p.project === PROJECT), (p) => p?.services.includes('extra-worker') === false, 'the service gone after revert');
  });

  test('Copy Mermaid puts a flowchart of the map on the clipboard', async () => {
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('composeBlueprint.copyArchitectureMermaid', workspaceUri(`map/${PROJECT}/docker-compose.yml`));
    const text = await vscode.env.clipboard.readText();
    assert.match(text, /^flowchart RL\n/);
    assert.match(text, /s_commentbot_core -->\|healthy\| s_ollama/);
    assert.match(text, /s_debug_tools\["<b>debug-tools<\/b> \(dev only\)/);
  });
});
