import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import * as vscode from 'vscode';
import type { ScaffoldOutcome } from '../../../src/editor/scaffold/commands';
import { type ConflictQuestion, ScriptedPrompter } from '../../../src/editor/scaffold/prompter';
import { extensionApi, waitFor, workspaceUri } from './helpers';

// The real commands, run through executeCommand with a scripted prompter answering the quick picks and
// input boxes; the files are checked on disk.

async function run(command: string, folder: vscode.Uri | undefined, prompter: ScriptedPrompter): Promise<ScaffoldOutcome> {
  return (await vscode.commands.executeCommand<ScaffoldOutcome>(command, { ...(folder ? { folder } : {}), prompter }));
}

const exists = (uri: vscode.Uri) => fs.existsSync(uri.fsPath);

const proposedDifferenceTabs = () =>
  vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === 'compose-blueprint-proposed');

/** Counts the open differences of generated files at each conflict question, after the command opened its own. */
class DiffWatchingPrompter extends ScriptedPrompter {
  readonly differencesOpenAtChoice: number[] = [];

  override async resolveConflict(question: ConflictQuestion): Promise<'overwrite' | 'keep' | undefined> {
    const choice = await super.resolveConflict(question);
    this.differencesOpenAtChoice.push(proposedDifferenceTabs().length);
    return choice;
  }
}

suite('Scaffolding in the editor', function () {
  // Each test writes a few dozen files that the extension then validates; on a loaded machine that takes a while.
  this.timeout(180_000);

  suiteSetup(async () => {
    await (await extensionApi()).ready;
  });

  test('both commands are in the command palette', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('composeBlueprint.newProject'));
    assert.ok(commands.includes('composeBlueprint.addService'));
  });

  test('New Project asks, validates the name inline, and writes the architecture as one edit', async () => {
    const folder = workspaceUri('scaffold/new-project');
    const prompter = new ScriptedPrompter([['Bad Name', '../x', 'demo-app'], 'es', 'web-app', true]);
    const outcome = await run('composeBlueprint.newProject', folder, prompter);
    assert.equal(outcome.status, 'applied', JSON.stringify(prompter.asked));
    assert.equal(prompter.validationMessages.length, 2, 'two bad names got an inline message each');
    assert.match(prompter.validationMessages[0]!, /hyphen|guion/i);
    for (const path of ['docker-compose.yml', 'docker-compose.override.yml', 'docker-compose.prod.yml', '.env.example', '.gitignore', 'README.md', 'build/api/Dockerfile', 'data/api/main.py', 'bd/postgres-data/.gitkeep']) {
      assert.ok(exists(vscode.Uri.joinPath(folder, path)), path);
    }
    assert.match(fs.readFileSync(vscode.Uri.joinPath(folder, 'README.md').fsPath, 'utf8'), /## Desarrollo/);
    const script = vscode.Uri.joinPath(folder, 'data/scripts/dev-setup.sh').fsPath;
    assert.ok((fs.statSync(script).mode & 0o111) !== 0, 'scripts are executable');
    // The generated files pass our own checks in the editor too: no diagnostics on the base file.
    const base = vscode.Uri.joinPath(folder, 'docker-compose.yml');
    await vscode.workspace.openTextDocument(base);
    const describe = () => vscode.languages.getDiagnostics(base).filter((d) => d.source === 'compose-blueprint').map((d) => `${String(typeof d.code === 'object' ? d.code.value : d.code)}: ${d.message}`);
    // Let validation settle: the files appear one by one, so early findings may be about files not yet written.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await waitFor(describe, (list) => list.length === 0, 'no findings on the generated docker-compose.yml', 30_000);
    // Running it again changes nothing.
    const again = await run('composeBlueprint.newProject', folder, new ScriptedPrompter(['demo-app', 'es', 'web-app']));
    assert.equal(again.status, 'nothing-to-do');
  });

  test('an existing file is left untouched when the user keeps it, after the difference was shown', async () => {
    const folder = workspaceUri('scaffold/existing');
    const readme = vscode.Uri.joinPath(folder, 'README.md');
    const before = fs.readFileSync(readme.fsPath, 'utf8');
    const prompter = new DiffWatchingPrompter(['keep-me', 'en', 'empty', 'keep', true]);
    const outcome = await run('composeBlueprint.newProject', folder, prompter);
    assert.equal(outcome.status, 'applied', JSON.stringify(prompter.asked));
    assert.deepEqual(outcome.kept, ['README.md']);
    assert.ok(prompter.asked.includes('conflict README.md'));
    assert.deepEqual(prompter.differencesOpenAtChoice, [1], 'the difference was open when the choice was asked');
    assert.equal(proposedDifferenceTabs().length, 0, 'the difference is closed once the choice is made');
    assert.equal(fs.readFileSync(readme.fsPath, 'utf8'), before);
    assert.ok(exists(vscode.Uri.joinPath(folder, 'docker-compose.yml')));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Add Service edits the compose files in place, keeping comments, order and indentation', async () => {
    const folder = workspaceUri('scaffold/project');
    const base = vscode.Uri.joinPath(folder, 'docker-compose.yml');
    const before = fs.readFileSync(base.fsPath, 'utf8');
    const prompter = new ScriptedPrompter(['redis', ['web', 'cache'], ['web'], true]);
    const outcome = await run('composeBlueprint.addService', folder, prompter);
    assert.equal(outcome.status, 'applied', JSON.stringify(prompter.asked));
    assert.equal(prompter.validationMessages.length, 1, '"web" clashes with the existing service');
    const after = fs.readFileSync(base.fsPath, 'utf8');
    const cut = before.indexOf('\n# The network');
    assert.equal(after.slice(0, cut), before.slice(0, cut), 'everything before the new service is unchanged');
    assert.ok(after.includes('# The network every service joins.\nnetworks:\n    app-network:\n        driver: bridge\n'));
    assert.match(after, /\n {4}cache:\n {8}image: redis:7\.4\.1-alpine/);
    assert.match(after, /depends_on:\n {12}web:\n {16}condition: service_healthy/);
    assert.ok(exists(vscode.Uri.joinPath(folder, 'bd/cache-data/.gitkeep')));
    assert.match(fs.readFileSync(vscode.Uri.joinPath(folder, '.env.example').fsPath, 'utf8'), /CACHE_PASSWORD=change-me/);
  });

  test('Undo reverts the files a New Project wrote', async () => {
    const folder = workspaceUri('scaffold/undo');
    const outcome = await run('composeBlueprint.newProject', folder, new ScriptedPrompter(['undo-me', 'en', 'empty', true]));
    assert.equal(outcome.status, 'applied');
    const base = vscode.Uri.joinPath(folder, 'docker-compose.yml');
    assert.ok(exists(base));
    // Undo in the editor of a file the edit created undoes the whole workspace edit: every file goes.
    await vscode.window.showTextDocument(base);
    await vscode.commands.executeCommand('undo');
    await waitFor(() => exists(base), (present) => !present, 'the created files to be removed by Undo');
    assert.ok(!exists(vscode.Uri.joinPath(folder, 'data/scripts/dev-setup.sh')));
  });
});
