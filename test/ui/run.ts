// UI tests: installs the packaged .vsix into code-server (a real VS Code 1.100 workbench), opens a fresh copy of
// the fixture workspace in headless Chromium, and runs every scenario in test/ui/scenarios in file-name order.
// Screenshots go to .test-artifacts/ui/shots (git-ignored); a failing step saves one too.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { claimRunDir, codeServerBinary, freshWorkspace, launchBrowser, repoRoot, startCodeServer, writeUserSettings } from '../harness/codeServer';
import { UiDriver, type UiScenario } from './driver';

function packagedVsix(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = path.join(repoRoot, `${manifest.name}-${manifest.version}.vsix`);
  if (process.env.UI_REUSE_VSIX !== '1' || !fs.existsSync(vsix)) {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/package.mjs')], { stdio: 'inherit', cwd: repoRoot });
  }
  return vsix;
}

async function main(): Promise<number> {
  const work = claimRunDir('ui');
  const extensionsDir = path.join(work, 'extensions');
  fs.mkdirSync(extensionsDir, { recursive: true });
  const vsix = packagedVsix();
  const installUserData = path.join(work, 'install-user-data');
  execFileSync(codeServerBinary(), ['--extensions-dir', extensionsDir, '--user-data-dir', installUserData, '--install-extension', vsix], { stdio: 'pipe' });
  console.log(`[ui] installed ${path.basename(vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB)`);

  const only = process.env.UI_SCENARIO;
  const scenarioDir = path.join(__dirname, 'scenarios');
  const scenarios = fs
    .readdirSync(scenarioDir)
    .filter((f) => f.endsWith('.ui.js') && (!only || f.includes(only)))
    .sort()
    // Scenarios are separate compiled files discovered at run time, so they are loaded by path.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    .map((file) => ({ file, scenario: (require(path.join(scenarioDir, file)) as { scenario: UiScenario }).scenario }));
  const shotsDir = path.join(work, 'shots');

  // Each scenario gets its own workbench, user settings and copy of the workspace: what one scenario creates
  // (projects, containers, a theme) cannot change what the next one sees.
  const started = Date.now();
  let passed = 0;
  let failed = 0;
  for (const [index, { file, scenario }] of scenarios.entries()) {
    console.log(`[ui] scenario: ${scenario.name} (${file})`);
    const scenarioWork = path.join(work, file.replace(/\.ui\.js$/, ''));
    const userDataDir = path.join(scenarioWork, 'user-data');
    writeUserSettings(userDataDir);
    const workspace = freshWorkspace(`ui-${index}`, path.join(repoRoot, 'test/fixtures/workspaces', scenario.fixture ?? 'main'));
    const server = await startCodeServer({ userDataDir, extensionsDir, workspace, logFile: path.join(scenarioWork, 'code-server.log') });
    const browser = await launchBrowser(path.join(scenarioWork, 'chromium-profile'));
    const page = browser.pages()[0] ?? (await browser.newPage());
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    const ui = new UiDriver(page, path.join(shotsDir, file.replace(/\.ui\.js$/, '')), workspace);
    try {
      const opened = await ui.step('workbench opens the workspace', async () => {
        await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
        await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
        await page.locator('.activitybar [aria-label^="Compose Blueprint"]').first().waitFor({ timeout: 60_000 });
        await ui.shot('workbench');
      });
      if (opened) {
        try {
          await scenario.run(ui);
        } catch (error) {
          ui.failed++;
          console.log(`  FAIL scenario ${scenario.name} aborted: ${error instanceof Error ? error.message : String(error)}`);
          await ui.shot(`FAIL-${scenario.name}-aborted`).catch(() => undefined);
        }
      }
    } finally {
      fs.writeFileSync(path.join(scenarioWork, 'browser-console-errors.txt'), consoleErrors.join('\n'));
      await browser.close();
      await server.stop();
    }
    passed += ui.passed;
    failed += ui.failed;
  }
  console.log(`[ui] ${scenarios.length} scenarios in ${Date.now() - started} ms; screenshots in ${path.relative(repoRoot, shotsDir)}`);
  console.log(`ui: ${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
