import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { DockerSocketProxy } from '../../docker/socketProxy';
import { eventually, type UiDriver, type UiScenario } from '../driver';
import { closedPort } from '../../harness/closedPort';

// The services view in the real workbench against the real daemon, one screenshot per state: healthy, unhealthy,
// exited, scaled, unreachable, recovered. Rows are read by their accessibility labels ("web, running, healthy").
// "Unreachable" is played by a proxy socket in front of the daemon, chosen through the workspace setting
// composeBlueprint.docker.host, and shut: the shared daemon keeps running for everyone else.

const PROJECT = 'services';

function run(command: string, args: readonly string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { cwd, timeout: 120_000 }, (error, stdout, stderr) => (error ? reject(new Error(`${command} ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout)));
  });
}

function writeWorkspaceSetting(workspace: string, dockerHost: string | undefined): void {
  const file = path.join(workspace, '.vscode', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(dockerHost ? { 'composeBlueprint.docker.host': dockerHost } : {}, null, 2));
}

async function labels(ui: UiDriver, pane: Locator): Promise<string[]> {
  return ui.rowLabels(pane);
}

async function waitForRow(ui: UiDriver, pane: Locator, matcher: RegExp, what: string, timeoutMs = 40_000): Promise<string[]> {
  return eventually(() => labels(ui, pane), (rows) => rows.some((row) => matcher.test(row)), what, timeoutMs);
}

/** Collapses every project, then expands ours, so its rows are on screen whatever else the workspace holds. */
async function showOnlyOurProject(ui: UiDriver, pane: Locator): Promise<void> {
  await ui.runCommand('Compose Blueprint: Focus on Services View');
  const collapse = pane.locator('.actions-container [aria-label*="Collapse All"]').first();
  if (await collapse.isVisible().catch(() => false)) await collapse.click();
  const row = pane.locator('.monaco-list-row[aria-label^="services, compose project"]').first();
  await row.waitFor({ timeout: 20_000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
}

export const scenario: UiScenario = {
  name: 'services',
  async run(ui) {
    const folder = path.join(ui.workspace, PROJECT);
    const compose = (...args: string[]) => run('docker-compose', ['-p', PROJECT, ...args], folder);
    const proxy = new DockerSocketProxy('/var/run/docker.sock');
    let pane: Locator | undefined;
    try {
      await compose('down', '-t', '1', '--remove-orphans').catch(() => undefined);

      await ui.step('services: declared services are listed before anything runs', async () => {
        pane = await ui.servicesView();
        await showOnlyOurProject(ui, pane);
        await waitForRow(ui, pane, /^later, not created$/, 'later, not created');
        await ui.shot('services-declared');
      });
      if (!pane) return;
      const view = pane;

      await ui.step('services: compose up -> web running and healthy', async () => {
        await compose('up', '-d', 'web', 'worker');
        await waitForRow(ui, view, /^web, running, healthy$/, 'web healthy');
        await waitForRow(ui, view, /^services, compose project, 2\/3 healthy$/, 'project rollup 2/3 healthy');
        await ui.shot('services-healthy');
      });

      await ui.step('services: docker exec touch /tmp/unhealthy -> unhealthy, badge', async () => {
        const id = (await run('docker', ['ps', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`, '--filter', 'label=com.docker.compose.service=web'])).trim().split('\n')[0]!;
        await run('docker', ['exec', id, 'touch', '/tmp/unhealthy']);
        await waitForRow(ui, view, /^web, running, unhealthy$/, 'web unhealthy');
        await waitForRow(ui, view, /^services, compose project, 1\/3 healthy, 1 unhealthy$/, 'project rollup with one unhealthy');
        await ui.shot('services-unhealthy');
      });

      await ui.step('services: stop -> exited with its code', async () => {
        const id = (await run('docker', ['ps', '-q', '--filter', `label=com.docker.compose.project=${PROJECT}`, '--filter', 'label=com.docker.compose.service=web'])).trim().split('\n')[0]!;
        await run('docker', ['stop', '-t', '1', id]);
        await waitForRow(ui, view, /^web, exited with code \d+, no health check$/, 'web exited');
        await ui.shot('services-exited');
      });

      await ui.step('services: scale worker to 3 -> three containers', async () => {
        await compose('up', '-d', '--scale', 'worker=3', 'worker');
        await waitForRow(ui, view, /^worker, running, healthy, 3 of 3 replicas running$/, 'three workers healthy');
        const worker = view.locator('.monaco-list-row[aria-label^="worker, running"]').first();
        if ((await worker.getAttribute('aria-expanded')) !== 'true') await worker.locator('.monaco-tl-twistie').click();
        const rows = await eventually(() => labels(ui, view), (l) => l.filter((x) => /^services[_-]worker[_-]\d+, running/.test(x)).length === 3, 'three worker containers');
        if (rows.filter((x) => /^services[_-]worker[_-]\d+, running, healthy$/.test(x)).length !== 3) throw new Error(`expected three healthy worker rows: ${JSON.stringify(rows)}`);
        await ui.shot('services-scaled');
      });

      await ui.step('services: the daemon goes away -> "Docker not reachable" with the reason', async () => {
        await proxy.open();
        writeWorkspaceSetting(ui.workspace, `unix://${proxy.socketPath}`);
        // Connected through the proxy: the workers are seen again.
        await waitForRow(ui, view, /^worker, running, healthy, 3 of 3 replicas running$/, 'workers through the proxy');
        await ui.page.waitForTimeout(1500);
        await proxy.shut();
        await waitForRow(ui, view, /^Docker not reachable, Docker is not reachable: no socket at /, 'unreachable row');
        await waitForRow(ui, view, /^worker, state unknown$/, 'unknown state');
        await ui.shot('services-unreachable');
      });

      await ui.step('services: the daemon comes back -> the view recovers by itself', async () => {
        await proxy.open();
        const rows = await waitForRow(ui, view, /^worker, running, healthy, 3 of 3 replicas running$/, 'recovered', 60_000);
        if (rows.some((row) => row.startsWith('Docker not reachable'))) throw new Error('the unreachable row is still shown');
        await ui.shot('services-recovered');
      });

      await ui.step('services: several engines -> a level of engines, each with its own state', async () => {
        const port = await closedPort();
        const file = path.join(ui.workspace, '.vscode', 'settings.json');
        fs.writeFileSync(
          file,
          JSON.stringify({ 'composeBlueprint.docker.engines': [{ name: 'through-proxy', host: `unix://${proxy.socketPath}` }, { name: 'nowhere', host: `tcp://127.0.0.1:${port}` }] }, null, 2),
        );
        await waitForRow(ui, view, /^local, Docker engine, connected, Docker \d/, 'the local engine row');
        await waitForRow(ui, view, /^through-proxy, Docker engine, connected, Docker \d/, 'the proxy engine row');
        await waitForRow(ui, view, /^nowhere, Docker engine, unreachable, connection refused$/, 'the unreachable engine row');
        // The proxy's engine starts with nothing to show, then expands with the project seen through it.
        await eventually(() => labels(ui, view), (rows) => rows.filter((r) => r.startsWith('services, compose project')).length === 2, 'the services project under local and through-proxy');
        await ui.shot('services-engines');
        writeWorkspaceSetting(ui.workspace, undefined);
        await waitForRow(ui, view, /^services, compose project, /, 'back to one engine: projects at the top');
      });

      await ui.step('services: Add Docker Engine… checks the address as it is typed; Remove Engine takes it away', async () => {
        const port = await closedPort();
        await ui.runCommand('Compose Blueprint: Add Docker Engine…');
        await ui.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Enter an address…' }).first().click();
        const input = ui.page.locator('.quick-input-widget input');
        await input.fill('localhost:2375');
        await ui.page.locator('.quick-input-widget', { hasText: 'is not a Docker address' }).waitFor({ timeout: 10_000 });
        await ui.shot('services-add-engine-invalid');
        await input.fill(`tcp://127.0.0.1:${port}`);
        await ui.page.keyboard.press('Enter');
        await ui.page.locator('.quick-input-widget', { hasText: 'A name for the view' }).waitFor({ timeout: 10_000 });
        await input.fill('added-by-hand');
        await ui.page.keyboard.press('Enter');
        await waitForRow(ui, view, /^added-by-hand, Docker engine, unreachable, connection refused$/, 'the added engine row');
        await ui.shot('services-add-engine');
        const added = view.locator('.monaco-list-row[aria-label^="added-by-hand, Docker engine"]').first();
        await added.click({ button: 'right' });
        await ui.page.locator('.monaco-menu .action-label', { hasText: 'Remove Engine' }).first().click();
        await waitForRow(ui, view, /^services, compose project, /, 'back to one engine after Remove Engine');
      });
    } finally {
      writeWorkspaceSetting(ui.workspace, undefined);
      await proxy.dispose();
      await compose('down', '-t', '1', '--remove-orphans').catch(() => undefined);
      await ui.closeAllEditors().catch(() => undefined);
    }
  },
};
