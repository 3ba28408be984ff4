import fs from 'node:fs';
import path from 'node:path';
import { eventually, type UiScenario } from '../driver';

// New Project from the command palette, answered by keyboard as a user would: the folder dialog, the name box
// (with its inline validation), the language and preset picks, the plan dialog; then Undo removes the files.

const FOLDER = 'scaffold-ui';

export const scenario: UiScenario = {
  name: 'scaffold',
  async run(ui) {
    const { page } = ui;
    const folder = path.join(ui.workspace, FOLDER);
    fs.mkdirSync(folder, { recursive: true });
    const input = page.locator('.quick-input-widget input');
    const pickRow = async (text: string) => {
      await page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first().waitFor({ timeout: 15_000 });
      await page.keyboard.press('Enter');
    };

    const written = await ui.step('scaffold: New Project from the palette asks, validates and shows the plan', async () => {
      await ui.runCommand('Compose Blueprint: New Project...');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('Choose a folder');
      await pickRow('Choose a folder');
      // code-server's folder dialog is a quick input with a path box.
      await eventually(() => input.inputValue(), (value) => value.startsWith('/'), 'the folder dialog');
      await input.fill(folder + '/');
      await page.waitForTimeout(500);
      await page.keyboard.press('Enter');
      await eventually(() => input.inputValue(), (value) => value === FOLDER, 'the project name box, prefilled from the folder');
      await input.fill('Bad Name');
      await page.locator('.quick-input-message', { hasText: /lowercase/i }).first().waitFor({ timeout: 10_000 });
      await ui.shot('scaffold-name-validation');
      await input.fill('ui-demo');
      await page.keyboard.press('Enter');
      await pickRow('English');
      await input.fill('Web app');
      await pickRow('Web app');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 15_000 });
      await dialog.locator('text=docker-compose.yml').first().waitFor({ timeout: 5_000 });
      await ui.shot('scaffold-plan');
      await dialog.locator('.monaco-button', { hasText: 'Apply' }).first().click();
      await eventually(() => Promise.resolve(fs.existsSync(path.join(folder, 'data/scripts/dev-setup.sh'))), (exists) => exists, 'the files on disk');
      for (const file of ['docker-compose.yml', 'docker-compose.override.yml', 'docker-compose.prod.yml', '.env.example', 'build/api/Dockerfile', 'bd/postgres-data/.gitkeep']) {
        if (!fs.existsSync(path.join(folder, file))) throw new Error(`${file} was not written`);
      }
      await ui.shot('scaffold-written');
    });

    if (written) {
      await ui.step('scaffold: Undo in a created file removes everything New Project wrote', async () => {
        const editor = await ui.openFile(`${FOLDER}/docker-compose.yml`);
        // Quick Open can leave the focus in the Explorer, whose Ctrl+Z undoes only Explorer operations.
        await editor.locator('.view-lines').click();
        await page.keyboard.press('Control+Z');
        // VS Code may ask before undoing an edit that spans many files.
        const confirm = page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Undo' }).first();
        if (await confirm.isVisible({ timeout: 2_000 }).catch(() => false)) await confirm.click();
        await eventually(() => Promise.resolve(fs.existsSync(path.join(folder, 'docker-compose.yml'))), (exists) => !exists, 'Undo to remove the files', 20_000);
        await ui.shot('scaffold-undone');
      });
    }
    await ui.closeAllEditors();
    fs.rmSync(folder, { recursive: true, force: true });
  },
};
