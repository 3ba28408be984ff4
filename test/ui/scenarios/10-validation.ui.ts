import { type UiScenario } from '../driver';

export const scenario: UiScenario = {
  name: 'validation',
  async run(ui) {
    const { page } = ui;

    await ui.step('a compose file shows the architecture findings as squiggles', async () => {
      const editor = await ui.openFile('validation/project/docker-compose.yml');
      await editor.locator('.squiggly-warning').first().waitFor({ timeout: 20_000 });
      await editor.locator('.squiggly-error').first().waitFor({ timeout: 20_000 });
      await ui.shot('validation-squiggles');
    });

    await ui.step('the Problems panel lists them with their rule ids', async () => {
      const rows = await ui.problems();
      const filter = page.locator('.panel input[placeholder^="Filter"]').first();
      await filter.fill('validation/project');
      for (const text of ['Service "db" has no healthcheck', 'POSTGRES_PASSWORD of service "db" holds a literal secret', 'The top-level version is obsolete']) {
        await rows.filter({ hasText: text }).first().waitFor({ timeout: 15_000 });
      }
      await rows.filter({ hasText: 'healthcheck-missing' }).first().waitFor({ timeout: 15_000 });
      await ui.shot('validation-problems');
      await filter.fill('');
    });

    await ui.step('the quick fix menu on the version line offers the fix and "disable for this line"', async () => {
      const editor = await ui.openFile('validation/project/docker-compose.yml');
      await editor.click();
      await page.keyboard.press('Control+Home');
      await page.keyboard.press('Control+.');
      const menu = page.locator('.action-widget, .context-view');
      await menu.getByText('Remove the obsolete version').first().waitFor({ timeout: 15_000 });
      await menu.getByText('Disable version-obsolete for this line').first().waitFor({ timeout: 15_000 });
      await ui.shot('validation-quick-fix');
      await page.keyboard.press('Escape');
    });

    await ui.step('Show Effective Config opens the merged YAML', async () => {
      await ui.openFile('validation/project/docker-compose.yml');
      await ui.runCommand('Compose Blueprint: Show Effective Config');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Production' }).first().click();
      await page.locator('.monaco-editor .view-line', { hasText: 'example/api:1.2' }).first().waitFor({ timeout: 15_000 });
      await ui.shot('validation-effective-config');
    });

    await ui.closeAllEditors();
  },
};
