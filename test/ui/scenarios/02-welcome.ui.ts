import fs from 'node:fs';
import path from 'node:path';
import { eventually, type UiScenario } from '../driver';

// A workspace with no compose file: the services view explains why it is empty and offers New Project; the
// button walks the same flow as the palette (keeping the user's colliding README), and once the files exist the
// welcome gives way to the project.

export const scenario: UiScenario = {
  name: 'welcome',
  fixture: 'empty',
  async run(ui) {
    const { page } = ui;
    const input = page.locator('.quick-input-widget input');
    const pickRow = async (text: string) => {
      await page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first().waitFor({ timeout: 15_000 });
      await page.keyboard.press('Enter');
    };

    const welcomed = await ui.step('welcome: an empty workspace shows why the services view is empty and a New Project button', async () => {
      const pane = await ui.servicesView();
      await pane.locator('.welcome-view-content', { hasText: 'No Docker Compose file in this workspace' }).first().waitFor({ timeout: 20_000 });
      const button = pane.locator('.welcome-view-content .monaco-button', { hasText: 'New Project' }).first();
      await button.waitFor({ timeout: 5_000 });
      await ui.shot('welcome-no-compose-file');
    });

    if (!welcomed) return;
    await ui.step('welcome: New Project from the welcome scaffolds the workspace and the view shows the project', async () => {
      const pane = await ui.servicesView();
      await pane.locator('.welcome-view-content .monaco-button', { hasText: 'New Project' }).first().click();
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      // The folder pick lists the workspace folder first, then "Choose a folder...".
      await pickRow(path.basename(ui.workspace));
      await eventually(() => input.inputValue(), (value) => value.length > 0, 'the project name box, prefilled from the folder');
      await input.fill('welcome-demo');
      await page.keyboard.press('Enter');
      await pickRow('English');
      await input.fill('Web app');
      await pickRow('Web app');
      // The fixture's README.md collides with the generated one: the user's file is kept when asked.
      const readme = path.join(ui.workspace, 'README.md');
      const readmeBefore = fs.readFileSync(readme, 'utf8');
      const conflict = page.locator('.monaco-dialog-box', { hasText: 'README.md already exists' });
      await conflict.waitFor({ timeout: 15_000 });
      await ui.shot('welcome-readme-conflict');
      const differenceTab = page.locator('.tabs-container .tab', { hasText: 'README.md: yours ↔ generated' });
      if ((await differenceTab.count()) !== 1) throw new Error('the difference of README.md is not open beside the question');
      await conflict.locator('.monaco-button', { hasText: 'Keep Mine' }).first().click();
      const plan = page.locator('.monaco-dialog-box', { hasText: 'docker-compose.yml' });
      await plan.waitFor({ timeout: 15_000 });
      // The answer is given: the difference is closed before the plan is shown.
      await eventually(() => differenceTab.count(), (count) => count === 0, 'the difference tab closed after Keep Mine', 5_000);
      await plan.locator('.monaco-button', { hasText: 'Apply' }).first().click();
      await eventually(() => Promise.resolve(fs.existsSync(path.join(ui.workspace, 'docker-compose.yml'))), (exists) => exists, 'docker-compose.yml on disk');
      const labels = await eventually(() => ui.rowLabels(pane), 
        // Compose names the project after the folder until .env sets COMPOSE_PROJECT_NAME (.env.example only suggests it).
        (l) => l.some((x) => x.startsWith(`${path.basename(ui.workspace)}, compose project`)) && l.some((x) => x.startsWith('api,')),
        'the new project and its services in the services view',
        30_000,
      );
      if (await pane.locator('.welcome-view-content', { hasText: 'No Docker Compose file' }).isVisible().catch(() => false)) {
        throw new Error(`the welcome is still shown beside ${JSON.stringify(labels)}`);
      }
      if (fs.readFileSync(readme, 'utf8') !== readmeBefore) throw new Error('README.md was overwritten although the user chose Keep Mine');
      await ui.shot('welcome-project-created');
    });
    await ui.closeAllEditors();
  },
};
