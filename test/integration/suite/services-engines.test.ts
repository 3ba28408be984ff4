import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import type { ServicesSnapshot } from '../../../src/editor/services/servicesView';
import { DockerSocketProxy } from '../../docker/socketProxy';
import { extensionApi, requireDaemon, waitFor, workspaceUri } from './helpers';
import { closedPort } from '../../harness/closedPort';

// Several Docker engines at once in the real editor: the local daemon, the same daemon through a proxy socket
// (a second engine with its own connection), and an address where nothing listens (unreachable, with its reason).
// Engines are added and removed through the setting composeBlueprint.docker.engines and the view's commands.

const PROJECT = 'services-engines';
const SETTING = 'docker.engines';

function run(command: string, args: readonly string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { cwd, timeout: 120_000 }, (error, stdout, stderr) => (error ? reject(new Error(`${command} ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout)));
  });
}

type Engine = ServicesSnapshot['engines'][number];

async function waitForEngines(done: (engines: readonly Engine[], snapshot: ServicesSnapshot) => boolean, what: string, timeoutMs = 30_000): Promise<ServicesSnapshot> {
  const api = await extensionApi();
  return waitFor(() => api.servicesSnapshot(), (s) => done(s.engines, s), what, timeoutMs);
}

const config = () => vscode.workspace.getConfiguration('composeBlueprint');

suite('services view: several Docker engines', function () {
  this.timeout(180_000);
  const folder = () => workspaceUri(PROJECT).fsPath;
  const compose = (...args: string[]) => run('docker-compose', ['-p', PROJECT, ...args], folder());
  const proxy = new DockerSocketProxy('/var/run/docker.sock');
  let port = 0;

  suiteSetup(async function () {
    await requireDaemon(this);
    await proxy.open();
    port = await closedPort();
    await compose('up', '-d');
  });

  suiteTeardown(async () => {
    await config().update(SETTING, undefined, vscode.ConfigurationTarget.Workspace);
    await compose('down', '-t', '1', '--remove-orphans').catch(() => undefined);
    await proxy.dispose();
  });

  test('one engine: no engine level (the tree starts with the projects)', async () => {
    const snapshot = await waitForEngines((engines, s) => engines.length === 1 && s.projects.some((p) => p.name === PROJECT), 'one engine with the fixture project');
    assert.equal(snapshot.engines[0]!.local, true);
    assert.ok(snapshot.roots.some((label) => label.startsWith(`${PROJECT}, compose project`)), `roots: ${snapshot.roots.join(' | ')}`);
    assert.ok(!snapshot.roots.some((label) => /Docker engine/.test(label)));
  });

  test('two more engines: each connects (or not) on its own; the tree gets a level of engines', async () => {
    await config().update(
      SETTING,
      [
        { name: 'through-proxy', host: `unix://${proxy.socketPath}` },
        { name: 'nowhere', host: `tcp://127.0.0.1:${port}` },
      ],
      vscode.ConfigurationTarget.Workspace,
    );
    const snapshot = await waitForEngines(
      (engines) => engines.length === 3 && engines[1]?.connection.status === 'connected' && engines[2]?.connection.status === 'unreachable',
      'local, through-proxy connected, nowhere unreachable',
    );
    const [local, viaProxy, nowhere] = snapshot.engines as [Engine, Engine, Engine];
    assert.deepEqual(
      snapshot.engines.map((e) => e.name),
      ['local', 'through-proxy', 'nowhere'],
    );
    assert.equal(local.connection.status, 'connected');
    assert.equal(viaProxy.connection.endpoint, `unix://${proxy.socketPath}`);
    assert.match(viaProxy.connection.version ?? '', /^\d+\.\d+/);
    assert.match(viaProxy.description, /^Docker \d+\.\d+/);
    assert.equal(viaProxy.label, `through-proxy, Docker engine, connected, Docker ${viaProxy.connection.version}`);
    assert.equal(nowhere.connection.reason, 'connection-refused');
    assert.match(nowhere.connection.message ?? '', new RegExp(`connection refused at tcp://127\\.0\\.0\\.1:${port}`));
    assert.match(nowhere.description, /^connection refused · retry in \d+ s$/);
    assert.equal(nowhere.label, 'nowhere, Docker engine, unreachable, connection refused');
    assert.deepEqual(snapshot.roots, snapshot.engines.map((e) => e.label));
    // The proxy reaches the same daemon: the project's container shows under both engines, each on its own.
    const seen = await waitForEngines(
      (engines) => engines.slice(0, 2).every((e) => e.projects.find((p) => p.name === PROJECT)?.services[0]?.running === 1),
      'the probe container under local and through-proxy',
    );
    const probeLocal = seen.engines[0]!.projects.find((p) => p.name === PROJECT)!.services[0]!;
    const probeProxy = seen.engines[1]!.projects.find((p) => p.name === PROJECT)!.services[0]!;
    assert.equal(probeLocal.containers[0]!.id, probeProxy.containers[0]!.id);
    assert.notEqual(probeLocal.key, probeProxy.key, 'service keys differ per engine');
    // The unreachable engine shows no project (other engines only show projects that have containers there).
    assert.equal(seen.engines[2]!.projects.length, 0);
    // The one-engine fields still describe the local engine.
    assert.equal(seen.connection.status, 'connected');
  });

  test('a change seen through one engine does not depend on the other: the proxy going away leaves local connected', async () => {
    await proxy.shut();
    const snapshot = await waitForEngines((engines) => engines[1]?.connection.status === 'unreachable', 'through-proxy unreachable');
    assert.equal(snapshot.engines[0]!.connection.status, 'connected');
    assert.equal(snapshot.engines[1]!.projects.length, 0);
    await proxy.open();
    await vscode.commands.executeCommand('composeBlueprint.retryDocker', { kind: 'engine', key: snapshot.engines[1]!.key });
    await waitForEngines((engines) => engines[1]?.connection.status === 'connected', 'through-proxy connected after Retry');
  });

  test('Retry on the unreachable engine tries again now and says why again', async () => {
    const before = await waitForEngines((engines) => engines[2]?.connection.status === 'unreachable', 'nowhere unreachable');
    await vscode.commands.executeCommand('composeBlueprint.retryDocker', { kind: 'engine', key: before.engines[2]!.key });
    const after = (await extensionApi()).servicesSnapshot();
    assert.equal(after.engines[2]!.connection.status, 'unreachable');
    assert.equal(after.engines[2]!.connection.reason, 'connection-refused');
  });

  test('bad and duplicate entries are reported and skipped; the good ones stay', async () => {
    const current = config().get<unknown[]>(SETTING) ?? [];
    await config().update(SETTING, [...current, { host: 'ftp://nope' }, { name: 'again', host: 'unix:///var/run/docker.sock' }, { context: 'no-such-context-bpview' }], vscode.ConfigurationTarget.Workspace);
    const snapshot = await waitForEngines((_, s) => s.engineProblems.length === 3, 'three problems');
    assert.equal(snapshot.engines.length, 3);
    assert.match(snapshot.engineProblems[0]!, /^Engine 3: "ftp:\/\/nope" is not a usable Docker address/);
    assert.match(snapshot.engineProblems[1]!, /^again reaches the same engine as local \(unix:\/\/\/var\/run\/docker\.sock\); it is shown once\.$/);
    assert.match(snapshot.engineProblems[2]!, /^There is no docker context named "no-such-context-bpview"/);
    await config().update(SETTING, current, vscode.ConfigurationTarget.Workspace);
    await waitForEngines((_, s) => s.engineProblems.length === 0, 'no problems');
  });

  test('Remove Engine edits the setting; the engine and its connection go, the others keep theirs', async () => {
    const before = await waitForEngines((engines) => engines.length === 3, 'three engines');
    await vscode.commands.executeCommand('composeBlueprint.services.removeEngine', { kind: 'engine', key: before.engines[2]!.key });
    const after = await waitForEngines((engines) => engines.length === 2, 'two engines');
    assert.deepEqual(config().get(SETTING), [{ name: 'through-proxy', host: `unix://${proxy.socketPath}` }]);
    assert.equal(after.engines[1]!.connection.status, 'connected');
    // Removing the local engine is refused (it comes from docker.host / the context), nothing changes.
    await vscode.commands.executeCommand('composeBlueprint.services.removeEngine', { kind: 'engine', key: after.engines[0]!.key });
    assert.equal((await extensionApi()).servicesSnapshot().engines.length, 2);
    await vscode.commands.executeCommand('composeBlueprint.services.removeEngine', { kind: 'engine', key: after.engines[1]!.key });
    const single = await waitForEngines((engines) => engines.length === 1, 'back to one engine');
    assert.ok(single.roots.some((label) => label.startsWith(`${PROJECT}, compose project`)), 'the engine level is gone');
    assert.deepEqual(config().get(SETTING), []);
  });

  test('a container action on a service of the second engine runs against that engine', async () => {
    await config().update(SETTING, [{ name: 'through-proxy', host: `unix://${proxy.socketPath}` }], vscode.ConfigurationTarget.Workspace);
    const snapshot = await waitForEngines((engines) => engines[1]?.projects.some((p) => p.name === PROJECT) === true, 'the project under through-proxy');
    const service = snapshot.engines[1]!.projects.find((p) => p.name === PROJECT)!.services[0]!;
    const requestsBefore = proxy.requests.length;
    await vscode.commands.executeCommand('composeBlueprint.services.restart', { kind: 'service', key: service.key });
    assert.ok(
      proxy.requests.slice(requestsBefore).some((r) => r.method === 'POST' && /\/containers\/[0-9a-f]+\/restart/.test(r.path)),
      'the restart went through the proxy engine',
    );
  });
});
