// What a UI scenario can do with the real workbench: run palette commands, open files, read the Problems
// panel and tree views, take screenshots. Every step that fails saves a screenshot named after it.
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';

export interface UiScenario {
  readonly name: string;
  /** The workspace folder copied for this scenario, under test/fixtures/workspaces (default `main`). */
  readonly fixture?: string;
  /** Scenarios run in file-name order in one workbench; each should leave it as it found it (editors closed). */
  run(ui: UiDriver): Promise<void>;
}

export class UiDriver {
  passed = 0;
  failed = 0;
  private shotCount = 0;

  constructor(
    readonly page: Page,
    readonly shotsDir: string,
    readonly workspace: string,
    readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    fs.mkdirSync(shotsDir, { recursive: true });
  }

  /** Runs one named step; a failure is counted, logged, and photographed, and the next step still runs. */
  async step(name: string, body: () => Promise<void>): Promise<boolean> {
    const started = Date.now();
    try {
      await body();
      this.passed++;
      console.log(`  ok   ${name} (${Date.now() - started} ms)`);
      return true;
    } catch (error) {
      this.failed++;
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      console.log(`  FAIL ${name} (${Date.now() - started} ms): ${message}`);
      await this.shot(`FAIL-${name}`).catch(() => undefined);
      await this.page.keyboard.press('Escape').catch(() => undefined);
      return false;
    }
  }

  async shot(name: string): Promise<string> {
    const file = path.join(this.shotsDir, `${String(++this.shotCount).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Runs a command from the command palette by its visible label, e.g. "Compose Blueprint: Show Log". */
  async runCommand(label: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('Control+Shift+P');
      const input = this.page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill('>' + label);
      const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
      try {
        await row.waitFor({ timeout: 10_000 });
        break;
      } catch (error) {
        // Right after start the command registry can still be loading.
        await this.page.keyboard.press('Escape');
        if (attempt >= 3) throw error;
        await this.page.waitForTimeout(1500);
      }
    }
    await this.page.keyboard.press('Enter');
  }

  /** Opens a workspace file with Quick Open and waits for its editor tab. */
  async openFile(relativePath: string): Promise<Locator> {
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(relativePath);
    const name = path.basename(relativePath);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
    await this.page.keyboard.press('Enter');
    const tab = this.page.locator('.tabs-container .tab.active', { hasText: name });
    await tab.waitFor({ timeout: 15_000 });
    return this.page.locator('.editor-instance .monaco-editor').first();
  }

  async closeAllEditors(): Promise<void> {
    await this.runCommand('View: Close All Editors');
    // A dirty editor would ask to save; tests revert their edits before closing.
    await this.page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
  }

  /** Focuses the Problems panel and returns its rows. */
  async problems(): Promise<Locator> {
    await this.runCommand('View: Focus Problems');
    const panel = this.page.locator('.markers-panel');
    await panel.waitFor({ timeout: 15_000 });
    return panel.locator('.monaco-list-row');
  }

  /** Opens our activity bar container and returns the services view's rows. */
  async servicesView(): Promise<Locator> {
    await this.runCommand('Compose Blueprint: Focus on Services View');
    const pane = this.page.locator('.pane', { has: this.page.locator('.pane-header', { hasText: 'Services' }) }).first();
    await pane.waitFor({ timeout: 15_000 });
    return pane;
  }

  /** Tree rows of a view pane, read by their accessibility label (what a screen reader says). */
  async rowLabels(pane: Locator): Promise<string[]> {
    // The callback runs in the page; its elements are typed structurally because the tests compile without DOM types.
    type Row = { getAttribute(name: string): string | null; textContent: string | null };
    return pane.locator('.monaco-list-row').evaluateAll((rows: Row[]) => rows.map((row) => row.getAttribute('aria-label') ?? row.textContent ?? ''));
  }
}

/** Polls until `read` satisfies `done`, for UI state that settles asynchronously. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await read();
  }
  return value;
}
