import { type UiScenario } from '../driver';

export const scenario: UiScenario = {
  name: 'dockerfile',
  async run(ui) {
    const { page } = ui;

    await ui.step('a build/ Dockerfile shows its findings as squiggles', async () => {
      const editor = await ui.openFile('dockerfile/build/api/Dockerfile');
      await editor.locator('.squiggly-warning').first().waitFor({ timeout: 20_000 });
      await ui.shot('dockerfile-squiggles');
    });

    await ui.step('the Problems panel lists the Dockerfile findings', async () => {
      const rows = await ui.problems();
      // The list is virtual: only what fits is rendered. Filter it to the Dockerfile (a glob filters by path).
      const filter = page.locator('.panel input[placeholder^="Filter"]').first();
      await filter.fill('**/build/api/**');
      for (const message of ['ADD copies local files', 'CMD in shell form', 'does not EXPOSE', 'healthcheck of service api calls curl']) {
        await rows.filter({ hasText: message }).first().waitFor({ timeout: 15_000 });
      }
      await ui.shot('dockerfile-problems');
      await filter.fill('');
    });

    await ui.step('typing a snippet prefix in a compose file offers the architecture snippets', async () => {
      const editor = await ui.openFile('dockerfile/docker-compose.yml');
      await editor.click();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('bp-heal');
      await page.keyboard.press('Control+Space');
      await page.locator('.suggest-widget .monaco-list-row', { hasText: 'bp-healthcheck-curl' }).first().waitFor({ timeout: 15_000 });
      await ui.shot('compose-snippet-suggestions');
      await page.keyboard.press('Escape');
      await ui.runCommand('File: Revert File');
    });

    await ui.closeAllEditors();
  },
};
