import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extensionApi, waitFor, workspaceUri } from './helpers';

const FILE = 'validation/project/docker-compose.yml';
const ruleOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'compose-blueprint');
const at = (d: vscode.Diagnostic) => `${ruleOf(d)} ${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1}`;

async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value)) ?? [];
}

async function setRules(value: Record<string, string> | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('composeBlueprint').update('rules', value, vscode.ConfigurationTarget.Workspace);
}

suite('validation: architecture rules, quick fixes, suppression, settings', () => {
  suiteTeardown(async () => {
    await setRules(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a compose file gets the architecture findings at their nodes, with a code link to the rule page, without being opened', async () => {
    await (await extensionApi()).ready;
    const uri = workspaceUri(FILE);
    const diagnostics = await waitFor(() => ours(uri), (list) => list.some((d) => ruleOf(d) === 'version-obsolete'), 'architecture diagnostics');
    const found = diagnostics.map(at).sort();
    for (const expected of ['version-obsolete 1:1-1:8', 'healthcheck-missing 4:3-4:5', 'secret-literal 16:26-16:33', 'depends-on-unconditioned 45:9-45:12']) {
      assert.ok(found.includes(expected), `expected ${expected} in ${JSON.stringify(found)}`);
    }
    const version = diagnostics.find((d) => ruleOf(d) === 'version-obsolete')!;
    assert.equal(version.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(typeof version.code, 'object');
    const target = (version.code as { target: vscode.Uri }).target;
    assert.equal(target.scheme, 'command');
    assert.match(decodeURIComponent(target.query), /version-obsolete/);
  });

  test('a quick fix removes the obsolete version line and the diagnostic goes away', async () => {
    const uri = workspaceUri(FILE);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const version = await waitFor(() => ours(uri).find((d) => ruleOf(d) === 'version-obsolete'), (d) => d !== undefined, 'version-obsolete');
    const fix = (await quickFixes(uri, version!.range)).find((a) => a.title.includes('version') && a.edit);
    assert.ok(fix, 'a fix for version-obsolete');
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.ok(!document.getText().includes('version:'));
    assert.ok(document.getText().startsWith('\nservices:'), JSON.stringify(document.getText().slice(0, 30)));
    await waitFor(() => ours(uri).filter((d) => ruleOf(d) === 'version-obsolete'), (list) => list.length === 0, 'the version diagnostic to clear');
  });

  test('a suppression comment removes a finding; a setting turns a rule off', async () => {
    const uri = workspaceUri(FILE);
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    const dbLine = document.getText().split('\n').findIndex((line) => line === '  db:');
    const healthcheck = () => ours(uri).filter((d) => ruleOf(d) === 'healthcheck-missing');
    await waitFor(healthcheck, (list) => list.length === 1, 'healthcheck-missing on db');
    await editor.edit((edit) => edit.insert(new vscode.Position(dbLine, 0), '  # blueprint-disable-next-line healthcheck-missing\n'));
    await waitFor(healthcheck, (list) => list.length === 0, 'the suppressed finding to go');
    await vscode.commands.executeCommand('undo');
    await waitFor(healthcheck, (list) => list.length === 1, 'the finding to return after undo');

    const secrets = () => ours(uri).filter((d) => ruleOf(d) === 'secret-literal');
    assert.equal(secrets()[0]?.severity, vscode.DiagnosticSeverity.Error);
    await setRules({ 'secret-literal': 'off', 'healthcheck-missing': 'hint' });
    await waitFor(secrets, (list) => list.length === 0, 'secret-literal off by setting');
    await waitFor(healthcheck, (list) => list[0]?.severity === vscode.DiagnosticSeverity.Hint, 'healthcheck-missing as a hint');
    await setRules(undefined);
    await waitFor(secrets, (list) => list.length === 1, 'secret-literal back');
  });

  test('secret-literal moves the value to .env and a placeholder to .env.example (a multi-file fix)', async () => {
    const uri = workspaceUri(FILE);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const secret = await waitFor(() => ours(uri).find((d) => ruleOf(d) === 'secret-literal'), (d) => d !== undefined, 'secret-literal');
    const fix = (await quickFixes(uri, secret!.range)).find((a) => a.title.includes('POSTGRES_PASSWORD') && a.edit);
    assert.ok(fix, 'a fix for secret-literal');
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.ok(document.getText().includes('POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}'));
    const example = await vscode.workspace.openTextDocument(workspaceUri('validation/project/.env.example'));
    assert.equal(example.getText(), 'API_VERSION=1.2\nPOSTGRES_PASSWORD=\n');
    const env = await vscode.workspace.openTextDocument(workspaceUri('validation/project/.env'));
    assert.equal(env.getText(), 'POSTGRES_PASSWORD=hunter2\n');
    await vscode.workspace.saveAll(false);
    await waitFor(() => ours(uri).filter((d) => ruleOf(d) === 'secret-literal'), (list) => list.length === 0, 'the secret finding to clear');
  });

  test('fix all in this file adds the healthcheck and the depends_on condition, keeping comments', async () => {
    const uri = workspaceUri(FILE);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const depends = await waitFor(() => ours(uri).find((d) => ruleOf(d) === 'depends-on-unconditioned'), (d) => d !== undefined, 'depends-on-unconditioned');
    // Code actions come from the latest check: poll until it has caught up with the previous test's edits.
    let fixAll: vscode.CodeAction | undefined;
    const deadline = Date.now() + 15_000;
    while (!fixAll && Date.now() < deadline) {
      fixAll = (await quickFixes(uri, depends!.range)).find((a) => a.title.startsWith('Fix all') && a.edit);
      if (!fixAll) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(fixAll, 'a fix-all action');
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit!));
    const text = document.getText();
    assert.ok(text.includes('image: postgres:16.4 # the database'), 'comments kept');
    assert.ok(text.includes('pg_isready'), 'postgres healthcheck');
    assert.ok(/depends_on:\n {6}api: # needs the API up\n {8}condition: service_healthy/.test(text), text);
    assert.ok(text.includes('restart: unless-stopped\n    depends_on') === false && /api:\n[\s\S]*?restart: unless-stopped/.test(text), 'restart added to api');
    await waitFor(() => ours(uri).filter((d) => ['healthcheck-missing', 'depends-on-unconditioned'].includes(ruleOf(d))), (list) => list.length === 0, 'fixed findings to clear');
  });

  test('the effective config shows the merged, interpolated YAML', async () => {
    const uri = workspaceUri(FILE);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await vscode.commands.executeCommand('composeBlueprint.showEffectiveConfig', uri, 'prod');
    const shown = await waitFor(() => vscode.window.activeTextEditor?.document, (d) => d?.uri.scheme === 'compose-blueprint-config', 'the effective config editor');
    assert.ok(shown!.getText().includes('image: example/api:1.2'), shown!.getText());
  });

  test('time from an edit to updated diagnostics on a 1,000-line file (baseline: a 35-line file, same run)', async () => {
    const small = await editToDiagnostics('validation/small/docker-compose.yml', 2);
    const big = await editToDiagnostics('validation/big/docker-compose.yml', 63);
    console.log(`edit-to-diagnostics, debounce of 200 ms included: ${big.lines}-line file median ${big.median} ms (samples ${big.samples.join(', ')}); baseline ${small.lines}-line file median ${small.median} ms (samples ${small.samples.join(', ')})`);
    assert.ok(big.samples.length === 5 && small.samples.length === 5);
  });
});

/** Writes a compose file of `count` architecture-style services, then times five edits that remove a `restart:` line until the diagnostic shows. */
async function editToDiagnostics(relative: string, count: number): Promise<{ lines: number; median: number; samples: number[] }> {
  const services: string[] = [];
  for (let i = 0; i < count; i++) {
    services.push(
      [`  svc-${i}:`, `    image: example/svc-${i}:1.0`, '    restart: unless-stopped', '    networks: [app-network]', '    healthcheck:', `      test: ["CMD-SHELL", "curl -fs http://localhost:${8000 + i}/health || exit 1"]`, '      interval: 30s', '    logging:', '      driver: json-file', '      options: {max-size: "10m", max-file: "3"}', '    deploy:', '      resources:', "        limits: {memory: 1G, cpus: '0.5'}", "        reservations: {memory: 512M, cpus: '0.25'}", '    ports:', `      - "${10000 + i}:${8000 + i}"`].join('\n'),
    );
  }
  const text = `version: "3"\nservices:\n${services.join('\n')}\nnetworks:\n  app-network:\n    driver: bridge\n`;
  const uri = workspaceUri(relative);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document);
  await waitFor(() => ours(uri), (list) => list.some((d) => ruleOf(d) === 'version-obsolete'), 'the first check', 20_000);
  const restart = () => ours(uri).filter((d) => ruleOf(d) === 'restart-missing');
  await waitFor(restart, (list) => list.length === 0, 'a clean start', 20_000);
  const samples: number[] = [];
  for (let round = 0; round < 5; round++) {
    // The `restart:` line of svc-<round % count> (1 version line, 1 services line, 16 lines per service).
    const line = 4 + (round % count) * 16;
    assert.match(document.lineAt(line).text, /restart:/);
    const started = Date.now();
    await editor.edit((edit) => edit.replace(document.lineAt(line).range, '    stop_grace_period: 5s'));
    await waitFor(restart, (list) => list.length === 1, 'diagnostics after the edit', 20_000);
    samples.push(Date.now() - started);
    await vscode.commands.executeCommand('undo');
    await waitFor(restart, (list) => list.length === 0, 'diagnostics after undo', 20_000);
  }
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  const sorted = [...samples].sort((a, b) => a - b);
  return { lines: document.lineCount, median: sorted[2]!, samples };
}
