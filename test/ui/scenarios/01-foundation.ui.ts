import { eventually, type UiScenario } from '../driver';

export const scenario: UiScenario = {
  name: 'foundation',
  async run(ui) {
    const { page } = ui;

    await ui.step('"Compose Blueprint: Show Log" opens the extension\'s log', async () => {
      await ui.runCommand('Compose Blueprint: Show Log');
      await page.locator('.panel .monaco-select-box, .panel [aria-label*="Compose Blueprint"]').first().waitFor({ timeout: 15_000 });
      await page.locator('.panel .view-lines', { hasText: 'activated in' }).first().waitFor({ timeout: 15_000 });
      await ui.shot('log');
    });

    await ui.step('a YAML error is underlined in the editor', async () => {
      const editor = await ui.openFile('broken/docker-compose.yml');
      await editor.locator('.squiggly-error').first().waitFor({ timeout: 20_000 });
      await ui.shot('yaml-error-squiggle');
    });

    await ui.step('the Problems panel lists it with its rule id and position', async () => {
      const rows = await ui.problems();
      const row = rows.filter({ hasText: 'yaml-syntax' }).first();
      await row.waitFor({ timeout: 15_000 });
      const label = (await row.getAttribute('aria-label')) ?? '';
      if (!/line 3 and character 12/.test(label)) throw new Error(`expected the problem at line 3, character 12; row says: ${label}`);
      await ui.shot('problems-panel');
    });

    await ui.step('the services view lists the workspace\'s projects and their declared services', async () => {
      const pane = await ui.servicesView();
      const labels = await eventually(() => ui.rowLabels(pane), (l) => l.some((x) => x.startsWith('shop')) && l.some((x) => x.startsWith('debug-tools')), 'the shop project and its services');
      for (const expected of ['api', 'db', 'debug-tools']) {
        if (!labels.some((l) => l.startsWith(expected))) throw new Error(`service ${expected} missing from ${JSON.stringify(labels)}`);
      }
      // The packaged extension has no node_modules (no ssh2 native parts): it must still reach the daemon.
      if (ui.env.DOCKER_HOST && labels.some((l) => /not reachable/i.test(l))) throw new Error(`Docker reported unreachable: ${JSON.stringify(labels)}`);
      await ui.shot('services-view');
    });

    await ui.closeAllEditors();
  },
};
