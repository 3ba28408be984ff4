import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import type { ProcessPty } from '../../../src/editor/processTerminal';
import type { ServicesSnapshot } from '../../../src/editor/services/servicesView';
import { extensionApi, requireDaemon, waitFor, workspaceUri } from './helpers';

// Swarm stacks in the services view, in the real editor against a real single-node Swarm on the local engine:
// a stack of the local busybox image (test/fixtures/workspaces/main/services-swarm/stack.yml) is deployed with the
// docker CLI, then shown, scaled, restarted, and removed through the view's commands. The swarm is initialised
// here only when the node is in none, and left only then (and only when no other stack remains).

const STACK = `bpview${process.pid % 100000}`;

function run(command: string, args: readonly string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { cwd, timeout: 120_000 }, (error, stdout, stderr) => (error ? reject(new Error(`${command} ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout)));
  });
}

type Stack = ServicesSnapshot['stacks'][number];
type StackService = Stack['services'][number];

async function waitForStack(done: (stack: Stack | undefined, snapshot: ServicesSnapshot) => boolean, what: string, timeoutMs = 60_000): Promise<ServicesSnapshot> {
  const api = await extensionApi();
  return waitFor(() => api.servicesSnapshot(), (s) => done(s.stacks.find((stack) => stack.name === STACK), s), what, timeoutMs);
}

async function waitForService(name: string, done: (service: StackService) => boolean, what: string, timeoutMs = 60_000): Promise<StackService> {
  const snapshot = await waitForStack((stack) => {
    const service = stack?.services.find((s) => s.name === name);
    return service !== undefined && done(service);
  }, what, timeoutMs);
  return snapshot.stacks.find((s) => s.name === STACK)!.services.find((s) => s.name === name)!;
}

/** `docker stack rm` returns at once; its containers and networks go a few seconds later. */
async function removeStackAndWait(name: string): Promise<void> {
  await run('docker', ['stack', 'rm', name]).catch(() => undefined);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const containers = (await run('docker', ['ps', '-aq', '--filter', `label=com.docker.stack.namespace=${name}`])).trim();
    const networks = (await run('docker', ['network', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${name}`])).trim();
    if (containers === '' && networks === '') return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

suite('services view: Swarm stacks', function () {
  this.timeout(300_000);
  let initialisedHere = false;
  let webId = '';

  suiteSetup(async function () {
    await requireDaemon(this);
    const [nodeState, control] = (await run('docker', ['info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}'])).trim().split(' ');
    if (nodeState === 'inactive') {
      await run('docker', ['swarm', 'init', '--advertise-addr', '127.0.0.1']);
      initialisedHere = true;
    } else if (nodeState !== 'active' || control !== 'true') {
      this.skip();
    }
    await run('docker', ['stack', 'deploy', '--resolve-image', 'never', '-c', workspaceUri('services-swarm/stack.yml').fsPath, STACK]);
  });

  suiteTeardown(async () => {
    await removeStackAndWait(STACK);
    if (initialisedHere) {
      const others = (await run('docker', ['stack', 'ls', '--format', '{{.Name}}']).catch(() => 'unknown')).trim();
      if (others === '') await run('docker', ['swarm', 'leave', '--force']).catch(() => undefined);
    }
  });

  test('the stack is shown as a project: services with running/desired replicas, tasks with state, node and health', async () => {
    const web = await waitForService('web', (s) => s.running === 1 && s.tasks.some((t) => t.current && t.health === 'healthy'), 'web 1/1 with a healthy task');
    webId = web.id;
    const snapshot = await waitForStack((stack) => stack !== undefined, 'the stack');
    const stack = snapshot.stacks.find((s) => s.name === STACK)!;
    assert.deepEqual(
      stack.services.map((s) => s.name),
      ['crashy', 'web'],
    );
    assert.match(stack.label, new RegExp(`^${STACK}, swarm stack, \\d/2 services running`));
    assert.match(stack.description, /^stack · \d\/2 healthy$/);
    assert.equal(web.mode, 'replicated');
    assert.equal(web.desired, 1);
    assert.match(web.description, /^1\/1$/);
    assert.match(web.label, /^web, 1 of 1 replicas running, all replicas running$/);
    const task = web.tasks.find((t) => t.current)!;
    assert.equal(task.name, 'web.1');
    assert.equal(task.state, 'running');
    const hostname = (await run('docker', ['info', '--format', '{{.Name}}'])).trim();
    assert.equal(task.node, hostname);
    assert.equal(task.label, `web.1, running, on node ${hostname}, healthy`);
    assert.match(task.description, new RegExp(`^running · healthy · ${hostname.replace(/[.]/g, '\\.')} · \\d+[smhd]`));
    // Compose projects of the workspace are still there, before the stacks.
    assert.ok(snapshot.roots.some((label) => / compose project, /.test(label)), snapshot.roots.join(' | '));
    const roots = snapshot.roots;
    const firstStack = roots.findIndex((label) => / swarm stack, /.test(label));
    assert.ok(firstStack > 0 && roots.slice(0, firstStack).every((label) => / compose project, /.test(label) || /not reachable/.test(label)));
  });

  test('a failing task is shown with its error; the service says its tasks fail; the badge counts it', async () => {
    const crashy = await waitForService('crashy', (s) => s.tasks.some((t) => t.error !== undefined && /non-zero exit \(3\)/.test(t.error)), 'a crashy task with its error');
    const failed = crashy.tasks.find((t) => t.error !== undefined)!;
    assert.match(failed.state, /^failed with exit code 3$/);
    assert.match(failed.label, /^crashy\.1, failed with exit code 3, (history, )?on node .+, task: non-zero exit \(3\)$/);
    assert.match(failed.description, /task: non-zero exit \(3\)$/);
    const failing = await waitForService('crashy', (s) => s.status === 'tasks failing', 'crashy failing');
    assert.equal(failing.running, 0);
    const snapshot = await waitForStack((stack) => (stack?.label ?? '').includes('1 failing or unhealthy'), 'the stack counts one failing service');
    assert.ok((snapshot.badge ?? 0) >= 1, `badge ${snapshot.badge}`);
  });

  test('Scale Service: 1 -> 3 -> 1, the tree follows', async () => {
    const web = await waitForService('web', (s) => s.running === 1, 'web 1/1');
    await vscode.commands.executeCommand('composeBlueprint.services.scaleSwarmService', { kind: 'swarmService', engine: 'local', key: web.key }, { replicas: 3 });
    const three = await waitForService('web', (s) => s.desired === 3 && s.running === 3, 'web 3/3');
    assert.equal(three.tasks.filter((t) => t.current).length, 3);
    assert.deepEqual(
      three.tasks.filter((t) => t.current).map((t) => t.name),
      ['web.1', 'web.2', 'web.3'],
    );
    assert.match(three.description, /^3\/3$/);
    assert.equal(String(await run('docker', ['service', 'inspect', '--format', '{{.Spec.Mode.Replicated.Replicas}}', `${STACK}_web`])).trim(), '3');
    await vscode.commands.executeCommand('composeBlueprint.services.scaleSwarmService', { kind: 'swarmService', engine: 'local', key: web.key }, { replicas: 1 });
    const one = await waitForService('web', (s) => s.desired === 1 && s.running === 1 && s.tasks.filter((t) => t.current).length === 1, 'web back to 1/1');
    assert.match(one.description, /^1\/1$/);
  });

  test('Restart Tasks (force update) replaces the running task', async () => {
    const web = await waitForService('web', (s) => s.running === 1 && s.tasks.some((t) => t.current && t.state === 'running'), 'web running');
    const before = web.tasks.find((t) => t.current && t.state === 'running')!.id;
    await vscode.commands.executeCommand('composeBlueprint.services.forceUpdateSwarmService', { kind: 'swarmService', engine: 'local', key: web.key }, { confirmed: true });
    const after = await waitForService('web', (s) => s.running === 1 && s.tasks.some((t) => t.current && t.state === 'running' && t.id !== before), 'a new web task running', 90_000);
    assert.ok(after.tasks.some((t) => t.id === before && !t.current), 'the old task is in the history');
  });

  test('Show Service Logs opens a terminal running docker service logs with an argument array', async () => {
    const web = await waitForService('web', () => true, 'web');
    const opened = new Promise<vscode.Terminal>((resolve) => {
      const subscription = vscode.window.onDidOpenTerminal((terminal) => {
        subscription.dispose();
        resolve(terminal);
      });
    });
    await vscode.commands.executeCommand('composeBlueprint.services.swarmServiceLogs', { kind: 'swarmService', engine: 'local', key: web.key });
    const terminal = await opened;
    const { invocation } = (terminal.creationOptions as vscode.ExtensionTerminalOptions).pty as unknown as ProcessPty;
    assert.equal(invocation.command, 'docker');
    assert.deepEqual(invocation.args, ['service', 'logs', '-f', '--tail', '200', webId]);
    assert.equal(terminal.name, `logs: ${STACK}_web`);
    terminal.dispose();
  });

  test('Remove Stack removes it; the stack leaves the tree', async () => {
    const snapshot = await waitForStack((stack) => stack !== undefined, 'the stack');
    const stack = snapshot.stacks.find((s) => s.name === STACK)!;
    await vscode.commands.executeCommand('composeBlueprint.services.removeStack', { kind: 'stack', engine: 'local', key: stack.key }, { confirmed: true });
    await waitForStack((s) => s === undefined, 'the stack gone from the view', 60_000);
    assert.equal((await run('docker', ['service', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${STACK}`])).trim(), '');
  });
});
