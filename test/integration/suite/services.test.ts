import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import type { ProcessPty } from '../../../src/editor/processTerminal';
import type { ServicesSnapshot } from '../../../src/editor/services/servicesView';
import { DockerSocketProxy } from '../../docker/socketProxy';
import { extensionApi, requireDaemon, waitFor, workspaceUri } from './helpers';

// The services view in the real editor against the real daemon: the fixture project `services`
// (test/fixtures/workspaces/main/services) is brought up with the installed Compose, changed with the docker CLI,
// and read through the extension's test-facing `servicesSnapshot()` (the same labels the tree speaks).
// "The daemon stopped / started again" is played by pointing `composeBlueprint.docker.host` at a proxy socket in
// front of the real one and shutting it: the shared daemon other suites use keeps running.

const PROJECT = 'services';

function run(command: string, args: readonly string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { cwd, timeout: 120_000 }, (error, stdout, stderr) => (error ? reject(new Error(`${command} ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout)));
  });
}

type ProjectSnapshot = ServicesSnapshot['projects'][number];
type ServiceSnapshot = ProjectSnapshot['services'][number];

async function snapshot(): Promise<ServicesSnapshot> {
  return (await extensionApi()).servicesSnapshot();
}

async function waitForService(name: string, done: (service: ServiceSnapshot) => boolean, what: string, timeoutMs = 30_000): Promise<ServiceSnapshot> {
  const api = await extensionApi();
  const read = () => api.servicesSnapshot().projects.find((p) => p.name === PROJECT)?.services.find((s) => s.name === name);
  const found = await waitFor(read, (s) => s !== undefined && done(s), what, timeoutMs);
  return found!;
}

suite('services view: live state from the Docker daemon', function () {
  this.timeout(180_000);
  const folder = () => workspaceUri('services').fsPath;
  const compose = (...args: string[]) => run('docker-compose', ['-p', PROJECT, ...args], folder());

  suiteSetup(async function () {
    await requireDaemon(this);
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('composeBlueprint').update('docker.host', undefined, vscode.ConfigurationTarget.Workspace);
    await compose('down', '-t', '1', '--remove-orphans').catch(() => undefined);
  });

  test('declared services (base + override) are listed before anything runs, with spoken state', async () => {
    const api = await extensionApi();
    const project = await waitFor(() => api.servicesSnapshot().projects.find((p) => p.name === PROJECT), (p) => p !== undefined, 'the fixture project in the view');
    assert.ok(project);
    assert.deepEqual(
      project.services.map((s) => s.name),
      ['web', 'worker', 'later'],
    );
    await compose('down', '-t', '1', '--remove-orphans');
    const web = await waitForService('web', (s) => s.state === 'not created', 'web not created');
    assert.equal(web.label, 'web, not created');
  });

  test('compose up -> web running and healthy, project rollup and status bar', async () => {
    await compose('up', '-d', 'web', 'worker');
    const web = await waitForService('web', (s) => s.label === 'web, running, healthy', 'web healthy');
    assert.match(web.description, /^1\/1 · 18181:80$/);
    const project = (await snapshot()).projects.find((p) => p.name === PROJECT)!;
    assert.match(project.rollup, /^\d\/3 healthy$/);
    assert.equal(web.containers[0]!.label, `${web.containers[0]!.name}, running, healthy`);
    const later = project.services.find((s) => s.name === 'later')!;
    assert.equal(later.label, 'later, not created');
    // The status bar shows the rollup of the active editor's project.
    await vscode.window.showTextDocument(workspaceUri('services/docker-compose.yml'));
    const api = await extensionApi();
    const bar = await waitFor(() => api.servicesSnapshot().statusBar, (text) => text !== undefined && /services: \d\/3 healthy/.test(text), 'status bar rollup');
    assert.match(bar!, /^\$\([a-z-]+\) services: \d\/3 healthy$/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('docker exec touch /tmp/unhealthy -> unhealthy, counted in the badge', async () => {
    const web = await waitForService('web', (s) => s.containers.length === 1, 'web container');
    await run('docker', ['exec', web.containers[0]!.id, 'touch', '/tmp/unhealthy']);
    await waitForService('web', (s) => s.label === 'web, running, unhealthy', 'web unhealthy');
    const after = await snapshot();
    assert.ok((after.badge ?? 0) >= 1, `badge ${after.badge}`);
  });

  test('Show Health Log opens a read-only document with the failing probes; Copy Container ID; Open Definition', async () => {
    const web = await waitForService('web', (s) => s.health === 'unhealthy', 'web unhealthy');
    const container = web.containers[0]!;
    await vscode.commands.executeCommand('composeBlueprint.services.showHealthLog', { kind: 'container', id: container.id });
    const log = await waitFor(() => vscode.window.activeTextEditor?.document, (d) => d?.uri.scheme === 'compose-blueprint-health' && /exit 1/.test(d.getText()), 'the health log document');
    assert.match(log!.getText(), new RegExp(`^# ${container.name} \\(${container.id.slice(0, 12)}\\)\nrunning, unhealthy; failing streak [1-9]`));
    await vscode.commands.executeCommand('composeBlueprint.services.copyContainerId', { kind: 'container', id: container.id });
    assert.equal(await vscode.env.clipboard.readText(), container.id);
    await vscode.commands.executeCommand('composeBlueprint.services.openDefinition', { serviceKey: web.key });
    const editor = await waitFor(() => vscode.window.activeTextEditor, (e) => e?.document.uri.path.endsWith('/services/docker-compose.yml') === true, 'the compose file at web');
    const line = editor!.document.lineAt(editor!.selection.active.line).text;
    assert.match(line, /^ {2}web:/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('stop -> exited with its code', async () => {
    await compose('stop', '-t', '1', 'web');
    const web = await waitForService('web', (s) => s.state.startsWith('exited'), 'web exited');
    assert.match(web.label, /^web, exited with code \d+, no health check$/);
  });

  test('the Start action on an exited service starts it through the Docker API', async () => {
    const web = await waitForService('web', (s) => s.state.startsWith('exited'), 'web exited');
    await vscode.commands.executeCommand('composeBlueprint.services.start', { kind: 'service', key: web.key });
    await waitForService('web', (s) => s.state === 'running', 'web running again after Start');
    await compose('stop', '-t', '1', 'web');
    await waitForService('web', (s) => s.state.startsWith('exited'), 'web exited again');
  });

  test('the Start action on a service never created runs Compose up for it in a terminal', async () => {
    const later = await waitForService('later', (s) => s.state === 'not created', 'later not created');
    const opened = new Promise<vscode.Terminal>((resolve) => {
      const subscription = vscode.window.onDidOpenTerminal((terminal) => {
        subscription.dispose();
        resolve(terminal);
      });
    });
    await vscode.commands.executeCommand('composeBlueprint.services.start', { kind: 'service', key: later.key });
    const terminal = await opened;
    assert.match(terminal.name, /^services: compose up later$/);
    const { invocation } = (terminal.creationOptions as vscode.ExtensionTerminalOptions).pty as unknown as ProcessPty;
    assert.ok(Array.isArray(invocation.args), 'an argument array, not a shell string');
    const args = invocation.args;
    assert.deepEqual(args.slice(-3), ['up', '-d', 'later']);
    assert.ok(args.includes('-p') && args[args.indexOf('-p') + 1] === 'services');
    assert.equal(args.filter((a) => a === '-f').length, 2, 'base + override');
    await waitForService('later', (s) => s.state === 'running', 'later running after compose up', 60_000);
    terminal.dispose();
  });

  test('scale to 3 -> three containers, "3/3"', async () => {
    await compose('up', '-d', '--scale', 'worker=3', 'worker');
    const worker = await waitForService('worker', (s) => s.replicas === 3 && s.running === 3, 'three workers running');
    assert.equal(worker.containers.length, 3);
    assert.match(worker.description, /^3\/3/);
  });

  test('the daemon goes away -> the view says why; it comes back -> the view recovers with no action', async () => {
    const proxy = new DockerSocketProxy('/var/run/docker.sock');
    await proxy.open();
    try {
      const config = vscode.workspace.getConfiguration('composeBlueprint');
      await config.update('docker.host', `unix://${proxy.socketPath}`, vscode.ConfigurationTarget.Workspace);
      await waitForConnection((c) => c.status === 'connected' && c.endpoint === `unix://${proxy.socketPath}`);
      await waitForService('worker', (s) => s.running === 3, 'workers seen through the proxy');

      await proxy.shut();
      // The first attempt can race the socket's removal (a reset); the retries then find no socket at all.
      const unreachable = await waitForConnection((c) => c.status === 'unreachable' && c.reason === 'no-socket');
      assert.match(unreachable.message ?? '', /not reachable/);
      const worker = await waitForService('worker', (s) => s.state === 'state unknown', 'unknown state while unreachable');
      assert.equal(worker.label, 'worker, state unknown');

      await proxy.open();
      await waitForConnection((c) => c.status === 'connected', 40_000);
      await waitForService('worker', (s) => s.running === 3, 'workers back after recovery', 40_000);
    } finally {
      await vscode.workspace.getConfiguration('composeBlueprint').update('docker.host', undefined, vscode.ConfigurationTarget.Workspace);
      await proxy.dispose();
    }
  });
});

async function waitForConnection(done: (connection: ServicesSnapshot['connection']) => boolean, timeoutMs = 30_000): Promise<ServicesSnapshot['connection']> {
  const api = await extensionApi();
  return waitFor(() => api.servicesSnapshot().connection, done, 'connection state', timeoutMs);
}
