import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { eventually, type UiDriver, type UiScenario } from '../driver';

// Swarm stacks in the real workbench against a real single-node Swarm on the local engine: the stack of
// test/fixtures/workspaces/main/services-swarm/stack.yml is deployed with the docker CLI; the view shows it as a
// project with its services ("n/m") and tasks, a failing task with its error, and follows a scale made with the
// row's inline "Scale Service…" action and its input box. Rows are read by their accessibility labels.

const STACK = `bpviewui${process.pid % 100000}`;
/** The repository (this file runs bundled from out/test/ui/scenarios). */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/** The stack Deploy to Swarm creates from a project scaffolded in the workspace. */
const DEPLOYED = `bpdeployui${process.pid % 100000}`;

function run(command: string, args: readonly string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { cwd, timeout: 120_000 }, (error, stdout, stderr) => (error ? reject(new Error(`${command} ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout)));
  });
}

async function waitForRow(ui: UiDriver, pane: Locator, matcher: RegExp, what: string, timeoutMs = 60_000): Promise<string[]> {
  return eventually(() => ui.rowLabels(pane), (rows) => rows.some((row) => matcher.test(row)), what, timeoutMs);
}

/**
 * The first row at or after our stack's row whose label starts with `labelStart` (and contains `also`): other
 * compose projects and other stacks on the shared engine have services called web too. Rows are found by their
 * `data-index` (the tree's row number), which the list keeps in visual order. The locator names the label as
 * well as the index: crashy's failed tasks come and go above web, so an index alone can move to another row
 * between finding it and clicking it.
 */
async function rowInStack(pane: Locator, labelStart: string, also?: string): Promise<Locator> {
  type Row = { getAttribute(name: string): string | null };
  const found = await eventually(
    () =>
      pane.locator('.monaco-list-row').evaluateAll(
        (rows: Row[], [stack, start, contains]: [string, string, string]) => {
          const entries = rows.map((r) => ({ index: Number(r.getAttribute('data-index')), label: r.getAttribute('aria-label') ?? '' })).sort((a, b) => a.index - b.index);
          const from = entries.find((e) => e.label.startsWith(`${stack}, swarm stack`));
          if (!from) return undefined;
          return entries.find((e) => e.index >= from.index && e.label.startsWith(start) && e.label.includes(contains));
        },
        [STACK, labelStart, also ?? ''] as [string, string, string],
      ),
    (value) => value !== undefined,
    `the row "${labelStart}…" of ${STACK}`,
    30_000,
  );
  const { index, label } = found!;
  return pane.locator(`.monaco-list-row[data-index="${index}"][aria-label="${label.replace(/["\\]/g, '\\$&')}"]`);
}

/**
 * Finds the row and acts on it, finding it again when the tree moved under the pointer: a row that changed
 * place or label no longer matches its locator, so the action times out quickly and the next attempt reads
 * the tree afresh.
 */
async function onRow(pane: Locator, labelStart: string, also: string | undefined, act: (row: Locator) => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const row = await rowInStack(pane, labelStart, also);
    try {
      await act(row);
      return;
    } catch (error) {
      if (attempt === 5) throw error;
    }
  }
}

/** Expands or folds the row through its twistie, unless it already is as asked. */
async function setExpanded(pane: Locator, expanded: boolean, labelStart: string, also?: string): Promise<void> {
  await onRow(pane, labelStart, also, async (row) => {
    const isExpanded = (await row.getAttribute('aria-expanded', { timeout: 5_000 })) === 'true';
    if (isExpanded !== expanded) await row.locator('.monaco-tl-twistie').click({ timeout: 5_000 });
  });
}

const expand = (pane: Locator, labelStart: string, also?: string) => setExpanded(pane, true, labelStart, also);

async function removeStackAndWait(name: string): Promise<void> {
  await run('docker', ['stack', 'rm', name]).catch(() => undefined);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const containers = (await run('docker', ['ps', '-aq', '--filter', `label=com.docker.stack.namespace=${name}`]).catch(() => '')).trim();
    const networks = (await run('docker', ['network', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${name}`]).catch(() => '')).trim();
    if (containers === '' && networks === '') return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Scales `web` through the row's inline action and the input box. */
async function scaleWeb(ui: UiDriver, pane: Locator, replicas: string, invalidFirst?: string): Promise<void> {
  await onRow(pane, 'web, ', 'replicas running', async (web) => {
    await web.hover({ timeout: 5_000 });
    await web.locator('.action-label[aria-label="Scale Service…"]').click({ timeout: 5_000 });
  });
  const input = ui.page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  if (invalidFirst !== undefined) {
    await input.fill(invalidFirst);
    await ui.page.locator('.quick-input-widget', { hasText: 'Replicas must be a whole number' }).waitFor({ timeout: 10_000 });
    await ui.shot('swarm-scale-invalid');
  }
  await input.fill(replicas);
  await ui.page.keyboard.press('Enter');
}

export const scenario: UiScenario = {
  name: 'swarm',
  async run(ui) {
    let initialisedHere = false;
    try {
      const [nodeState, control] = (await run('docker', ['info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}'])).trim().split(' ');
      if (nodeState === 'inactive') {
        await run('docker', ['swarm', 'init', '--advertise-addr', '127.0.0.1']);
        initialisedHere = true;
      } else if (nodeState !== 'active' || control !== 'true') {
        throw new Error(`this engine is a Swarm ${nodeState} node without control: the scenario needs a manager`);
      }
      await run('docker', ['stack', 'deploy', '--resolve-image', 'never', '-c', path.join(ui.workspace, 'services-swarm', 'stack.yml'), STACK]);
      const hostname = (await run('docker', ['info', '--format', '{{.Name}}'])).trim();
      let pane: Locator | undefined;

      await ui.step('swarm: the stack is shown as a project with its services "n/m" and tasks', async () => {
        pane = await ui.servicesView();
        // Collapse the workspace's compose projects once the stack is there, so its rows fit on screen.
        await waitForRow(ui, pane, new RegExp(`^${STACK}, swarm stack`), 'the stack row');
        await ui.page.locator('.action-label[aria-label*="Collapse All"]:visible').first().click();
        await expand(pane, `${STACK}, swarm stack`);
        await waitForRow(ui, pane, /^web, 1 of 1 replicas running, all replicas running$/, 'web 1/1');
        await expand(pane, 'web, ', 'replicas running');
        await waitForRow(ui, pane, new RegExp(`^web\\.1, running, on node ${hostname}, healthy$`), 'the web.1 task, healthy');
        await ui.shot('swarm-stack');
      });
      if (!pane) return;
      const view = pane;

      await ui.step('swarm: a failing task is shown with its error', async () => {
        await waitForRow(ui, view, /^crashy, 0 of 1 replicas running, tasks failing$/, 'crashy failing');
        await expand(view, 'crashy, ', 'replicas running');
        await waitForRow(ui, view, /^crashy\.1, failed with exit code 3, .*task: non-zero exit \(3\)$/, 'a failed crashy task with its error');
        await ui.shot('swarm-failing-task');
        // Its tasks keep failing and being replaced; folded away, they stop moving the rows below.
        await setExpanded(view, false, 'crashy, ', 'replicas running');
      });

      await ui.step('swarm: Scale Service… to 3 (after an invalid entry) -> three tasks', async () => {
        await scaleWeb(ui, view, '3', 'three');
        await waitForRow(ui, view, /^web, 3 of 3 replicas running, all replicas running$/, 'web 3/3', 90_000);
        const rows = await eventually(() => ui.rowLabels(view), (labels) => labels.filter((l) => /^web\.[123], running, on node .*, healthy$/.test(l)).length === 3, 'three healthy web tasks', 60_000);
        if (!rows.some((l) => l.startsWith('web.3, running'))) throw new Error(`no web.3 row: ${JSON.stringify(rows)}`);
        await ui.shot('swarm-scaled-to-3');
      });

      await ui.step('swarm: Scale Service… back to 1 -> one task', async () => {
        await scaleWeb(ui, view, '1');
        await waitForRow(ui, view, /^web, 1 of 1 replicas running, all replicas running$/, 'web back to 1/1', 90_000);
        await eventually(() => ui.rowLabels(view), (labels) => !labels.some((l) => /^web\.[23], running/.test(l)), 'web.2 and web.3 gone or shut down', 60_000);
        await ui.shot('swarm-scaled-to-1');
      });

      await ui.step('swarm: Deploy to Swarm from the palette shows the exact command in a modal, runs it in a terminal, and the stack appears', async () => {
        const folder = path.join(ui.workspace, 'swarm-deploy', DEPLOYED);
        execFileSync(process.execPath, [path.join(repositoryRoot(), 'dist/cli.js'), 'new', folder, '--preset', 'busybox-test', '--name', DEPLOYED], {
          env: { ...process.env, DOCKER_TEST_IMAGE: process.env.DOCKER_TEST_IMAGE ?? 'compose-blueprint/busybox-health:1' },
          stdio: 'pipe',
        });
        fs.copyFileSync(path.join(folder, '.env.example'), path.join(folder, '.env'));
        const input = ui.page.locator('.quick-input-widget input');
        const projectRow = ui.page.locator('.quick-input-list .monaco-list-row', { hasText: `swarm-deploy/${DEPLOYED}` }).first();
        // The workspace learns of the new files through its watcher; Refresh is the user's move if it is late.
        // Right after Enter the palette's own input can still be the visible one, and once (a CI run) no pick
        // followed it: each attempt waits for the project's row itself, and says what was shown when none came.
        for (let attempt = 1; ; attempt++) {
          await ui.runCommand('Compose Blueprint: Deploy to Swarm');
          const picked = await input
            .fill(DEPLOYED, { timeout: 10_000 })
            .then(() => projectRow.waitFor({ timeout: 10_000 }))
            .then(
              () => true,
              () => false,
            );
          if (picked) break;
          await ui.page.keyboard.press('Escape');
          if (attempt === 3) {
            const notifications = await ui.page.locator('.notifications-toasts').innerText({ timeout: 2_000 }).catch(() => '');
            throw new Error(`swarm-deploy/${DEPLOYED} never appeared in the project pick; notifications: ${JSON.stringify(notifications)}`);
          }
          await ui.runCommand('Compose Blueprint: Refresh Services');
        }
        await input.press('Enter');
        // The stack name, prefilled with the project's name. Enter goes to the box itself: the services view,
        // which the new project changes, may hold the keyboard focus meanwhile.
        await ui.page.locator('.quick-input-widget', { hasText: 'Stack name' }).first().waitFor({ timeout: 15_000 });
        await eventually(() => input.inputValue(), (value) => value === DEPLOYED, 'the stack name box with the project name');
        await input.press('Enter');
        const confirm = ui.page.locator('.monaco-dialog-box', { hasText: `Deploy stack "${DEPLOYED}"` });
        await confirm.waitFor({ timeout: 30_000 });
        const text = (await confirm.textContent()) ?? '';
        if (!/docker stack deploy --resolve-image \w+ -c \S+ /.test(text) || !text.includes(DEPLOYED)) throw new Error(`the modal does not show the command: ${text}`);
        await ui.shot('swarm-deploy-modal');
        await confirm.locator('.monaco-button', { hasText: /^Deploy$/ }).first().click();
        // The view stays open beside the terminal (the terminal takes the keyboard focus, so no palette here).
        await waitForRow(ui, view, new RegExp(`^${DEPLOYED}, swarm stack, 3/3 services running`), 'the deployed stack in the services view, its 3 services running', 90_000);
        await ui.shot('swarm-deployed');
      });
    } finally {
      await removeStackAndWait(DEPLOYED);
      await removeStackAndWait(STACK);
      if (initialisedHere) {
        const others = (await run('docker', ['stack', 'ls', '--format', '{{.Name}}']).catch(() => 'unknown')).trim();
        if (others === '') await run('docker', ['swarm', 'leave', '--force']).catch(() => undefined);
      }
      await ui.closeAllEditors().catch(() => undefined);
    }
  },
};
