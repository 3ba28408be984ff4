import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import Docker from 'dockerode';
import * as vscode from 'vscode';
import { runCli } from '../../../src/cli/main';
import type { DeployPrompts } from '../../../src/editor/swarm/deployToSwarm';
import { extensionApi, waitFor, workspaceUri } from './helpers';

// Deploy to Swarm in the real editor against the real single-node Swarm of the local engine: a project
// scaffolded by our own generator (the busybox test preset, local image only) is deployed through the command,
// and the stack's services are read back through the Engine API. The command's modal questions cannot be
// answered from the extension host, so the test answers them through the extension's test-facing
// `swarmDeploy.setPrompts` (the only stub; the checks, the plan, the docker CLI and the terminal are real).

const TEST_IMAGE = process.env.DOCKER_TEST_IMAGE ?? 'compose-blueprint/busybox-health:1';
const STACK = `bpdeploy${Date.now().toString(36)}`;

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { timeout: 60_000, env }, (error, stdout, stderr) => (error ? reject(new Error(`${command} ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout)));
  });
}

/** Answers every question with the first button (Deploy, Deploy Base File Only...) and names the stack; records what was asked. */
class Answers implements DeployPrompts {
  readonly asked: { message: string; detail: string; buttons: readonly string[] }[] = [];
  constructor(
    private readonly stack: string,
    private readonly choose: (message: string, buttons: readonly string[]) => string | undefined = (_m, buttons) => buttons[0],
  ) {}
  confirm(message: string, detail: string, buttons: readonly string[]): Thenable<string | undefined> {
    this.asked.push({ message, detail, buttons });
    return Promise.resolve(this.choose(message, buttons));
  }
  stackName(): Thenable<string | undefined> {
    return Promise.resolve(this.stack);
  }
}

suite('Deploy to Swarm: docker stack deploy of a scaffolded project on the local Swarm', function () {
  this.timeout(300_000);
  const docker = new Docker(process.env.DOCKER_HOST?.startsWith('unix://') ? { socketPath: process.env.DOCKER_HOST.slice('unix://'.length) } : undefined);
  let initialisedSwarm = false;

  suiteSetup(async function () {
    const api = await extensionApi();
    await api.ready;
    let state: string;
    try {
      state = (await run('docker', ['info', '--format', '{{.Swarm.LocalNodeState}}'])).trim();
    } catch (error) {
      if (process.env.CI === 'true') throw error;
      this.skip();
      return;
    }
    if (state === 'inactive') {
      await run('docker', ['swarm', 'init', '--advertise-addr', '127.0.0.1']);
      initialisedSwarm = true;
    }
    // The test image exists only locally: no registry lookup.
    await vscode.workspace.getConfiguration('composeBlueprint').update('swarm.resolveImage', 'never', vscode.ConfigurationTarget.Workspace);
  });

  suiteTeardown(async () => {
    (await extensionApi()).swarmDeploy.setPrompts(undefined);
    for (const terminal of vscode.window.terminals) if (terminal.name.includes(STACK)) terminal.dispose();
    await run('docker', ['stack', 'rm', STACK]).catch(() => undefined);
    const label = `com.docker.stack.namespace=${STACK}`;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const [containers, networks] = await Promise.all([docker.listContainers({ all: true, filters: { label: [label] } }), docker.listNetworks({ filters: { label: [label] } })]);
      if (containers.length === 0 && networks.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    if (initialisedSwarm && (await run('docker', ['stack', 'ls', '--format', '{{.Name}}']).catch(() => 'unknown')).trim() === '') {
      await run('docker', ['swarm', 'leave', '--force']).catch(() => undefined);
    }
    await vscode.workspace.getConfiguration('composeBlueprint').update('swarm.resolveImage', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('the command is registered', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes('composeBlueprint.deployToSwarm'));
  });

  test('Swarm findings appear in the editor when the project shows Swarm intent, and go with composeBlueprint.swarm.checks off', async () => {
    const base = workspaceUri('swarm-deploy/refused/docker-compose.yml');
    const swarmCodes = () =>
      vscode.languages
        .getDiagnostics(base)
        .filter((d) => d.source === 'compose-blueprint')
        .map((d) => String(typeof d.code === 'object' ? d.code.value : d.code))
        .filter((code) => code.startsWith('swarm-'))
        .sort();
    // The production file carries the `# blueprint-swarm` marker: auto mode runs the checks.
    await waitFor(swarmCodes, (codes) => codes.includes('swarm-forbidden-option'), 'swarm-forbidden-option on mem_limit', 30_000);
    const settings = vscode.workspace.getConfiguration('composeBlueprint');
    await settings.update('swarm.checks', 'off', vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor(swarmCodes, (codes) => codes.length === 0, 'no swarm-* finding with the checks off');
    } finally {
      await settings.update('swarm.checks', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor(swarmCodes, (codes) => codes.includes('swarm-forbidden-option'), 'the finding back with the setting reset');
  });

  test('errors of the Swarm checks stop the deploy unless the user says Deploy Anyway', async () => {
    const api = await extensionApi();
    const base = workspaceUri('swarm-deploy/refused/docker-compose.yml');
    const answers = new Answers(`${STACK}x`, () => undefined);
    api.swarmDeploy.setPrompts(answers);
    await vscode.commands.executeCommand('composeBlueprint.deployToSwarm', base);
    const record = api.swarmDeploy.lastDeploy();
    assert.equal(record?.outcome, 'cancelled', JSON.stringify(record));
    assert.match(answers.asked[0]?.message ?? '', /1 error/);
    assert.match(answers.asked[0]?.detail ?? '', /swarm-forbidden-option/);
    assert.deepEqual(answers.asked[0]?.buttons.length, 2, 'Show Problems and Deploy Anyway');
    const services = await docker.listServices({ filters: { label: [`com.docker.stack.namespace=${STACK}x`] } });
    assert.equal(services.length, 0, 'nothing was deployed');
  });

  test('a project without a production file: the command asks before deploying the base file alone', async () => {
    const api = await extensionApi();
    const answers = new Answers(`${STACK}b`, () => undefined);
    api.swarmDeploy.setPrompts(answers);
    await vscode.commands.executeCommand('composeBlueprint.deployToSwarm', workspaceUri('swarm-deploy/base-only/docker-compose.yml'));
    assert.equal(api.swarmDeploy.lastDeploy()?.outcome, 'cancelled');
    assert.match(answers.asked[0]?.message ?? '', /has no docker-compose\.prod\.yml/);
    assert.deepEqual(answers.asked[0]?.buttons, ['Deploy Base File Only']);
  });

  test('an engine that does not answer: the command says why and asks nothing', async () => {
    const api = await extensionApi();
    const settings = vscode.workspace.getConfiguration('composeBlueprint');
    await settings.update('docker.host', 'unix:///tmp/compose-blueprint-no-such-docker.sock', vscode.ConfigurationTarget.Workspace);
    try {
      const answers = new Answers(`${STACK}u`);
      api.swarmDeploy.setPrompts(answers);
      await vscode.commands.executeCommand('composeBlueprint.deployToSwarm', workspaceUri('swarm-deploy/refused/docker-compose.yml'));
      const record = api.swarmDeploy.lastDeploy();
      assert.equal(record?.outcome, 'blocked', JSON.stringify(record));
      assert.match(record?.reason ?? '', /Docker did not answer/);
      assert.equal(answers.asked.length, 0);
    } finally {
      await settings.update('docker.host', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('a scaffolded project is deployed: modal with the exact command, merged copy for stack deploy, services on the Swarm, a stale one pruned', async () => {
    const api = await extensionApi();
    const folder = workspaceUri(`swarm-deploy/${STACK}`);
    const saved = process.env.DOCKER_TEST_IMAGE;
    process.env.DOCKER_TEST_IMAGE = TEST_IMAGE;
    let err = '';
    try {
      const code = await runCli(['new', folder.fsPath, '--preset', 'busybox-test', '--name', STACK], { cwd: os.tmpdir(), out: () => undefined, err: (text) => (err += text) });
      assert.equal(code, 0, err);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_TEST_IMAGE;
      else process.env.DOCKER_TEST_IMAGE = saved;
    }
    fs.copyFileSync(vscode.Uri.joinPath(folder, '.env.example').fsPath, vscode.Uri.joinPath(folder, '.env').fsPath);
    const base = vscode.Uri.joinPath(folder, 'docker-compose.yml');
    // The compose workspace notices the new files through its watcher.
    assert.ok(fs.existsSync(base.fsPath));
    // The compose workspace reads the new project through its file watcher; the services view lists it then.
    // Under load code-server's watcher has missed files written this way; then the user's move is Refresh.
    const seen = await waitFor(() => api.servicesSnapshot().projects.map((p) => p.name), (names) => names.includes(STACK), 'the scaffolded project in the workspace', 15_000).then(
      () => true,
      () => false,
    );
    if (!seen) {
      await vscode.commands.executeCommand('composeBlueprint.refreshServices');
      await waitFor(() => api.servicesSnapshot().projects.map((p) => p.name), (names) => names.includes(STACK), 'the scaffolded project after Refresh', 15_000);
    }
    // A service of the stack that the files do not declare, as one removed from them since the last deploy:
    // with composeBlueprint.swarm.prune the deploy removes it.
    const label = `com.docker.stack.namespace=${STACK}`;
    await run('docker', ['service', 'create', '--detach', '--no-resolve-image', '--name', `${STACK}_stale`, '--label', label, TEST_IMAGE]);
    const settings = vscode.workspace.getConfiguration('composeBlueprint');
    await settings.update('swarm.prune', true, vscode.ConfigurationTarget.Workspace);
    await settings.update('swarm.withRegistryAuth', true, vscode.ConfigurationTarget.Workspace);
    const answers = new Answers(STACK);
    api.swarmDeploy.setPrompts(answers);
    let generatedMode: number | undefined;
    try {
      await vscode.commands.executeCommand('composeBlueprint.deployToSwarm', base);
      // At once: the copy goes as soon as docker exits.
      const path = api.swarmDeploy.lastDeploy()?.generatedPath;
      generatedMode = path ? fs.statSync(path).mode & 0o777 : undefined;
    } finally {
      await settings.update('swarm.prune', undefined, vscode.ConfigurationTarget.Workspace);
      await settings.update('swarm.withRegistryAuth', undefined, vscode.ConfigurationTarget.Workspace);
    }
    const record = api.swarmDeploy.lastDeploy();
    assert.equal(record?.outcome, 'started', JSON.stringify(record));
    assert.equal(generatedMode, 0o600, 'the copy is private');
    const confirm = answers.asked.find((a) => a.message.includes(`"${STACK}"`));
    assert.ok(confirm, JSON.stringify(answers.asked));
    assert.ok(confirm.detail.includes(`docker stack deploy --prune --resolve-image never --with-registry-auth -c ${record.generatedPath ?? '?'} ${STACK}`), confirm.detail);
    assert.ok(confirm.detail.includes(`--prune removes the services of stack "${STACK}" that these files no longer declare.`), confirm.detail);
    assert.match(confirm.detail, /bridge network "app-network"/);
    assert.match(confirm.detail, /depends_on only as a list/);
    assert.deepEqual(record.args, ['stack', 'deploy', '--prune', '--resolve-image', 'never', '--with-registry-auth', '-c', record.generatedPath, STACK]);

    const services = await (async () => {
      const until = Date.now() + 90_000;
      for (;;) {
        const list = await docker.listServices({ filters: { label: [label] } });
        if ((list.length === 3 && !list.some((s) => s.Spec?.Name === `${STACK}_stale`)) || Date.now() > until) return list;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();
    assert.deepEqual(services.map((s) => s.Spec?.Name).sort(), [`${STACK}_front`, `${STACK}_store`, `${STACK}_worker`]);
    const store = services.find((s) => s.Spec?.Name === `${STACK}_store`)!;
    assert.equal(store.Spec?.Mode?.Replicated?.Replicas, 1, 'replicas from docker-compose.prod.yml');
    assert.equal(store.Spec?.TaskTemplate?.RestartPolicy?.Condition, 'on-failure', 'restart policy from docker-compose.prod.yml');
    // A task of each service runs (the image is local, the bind mounts were made absolute in the copy).
    const running = async () => (await docker.listTasks({ filters: { label: [label], 'desired-state': ['running'] } })).filter((t) => t.Status?.State === 'running').length;
    const until = Date.now() + 90_000;
    let count = await running();
    while (count < 3 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      count = await running();
    }
    assert.equal(count, 3, 'three running tasks');
    // The generated copy goes when docker exits; the terminal stays, with docker's output, until the user closes it.
    await waitFor(() => fs.existsSync(record.generatedPath!), (exists) => !exists, 'the generated copy removed');
    const deployTerminals = vscode.window.terminals.filter((terminal) => terminal.name === `Swarm: deploy ${STACK}`);
    assert.equal(deployTerminals.length, 1, 'the deploy terminal is still open after docker exited');
    for (const terminal of deployTerminals) terminal.dispose();
  });
});
