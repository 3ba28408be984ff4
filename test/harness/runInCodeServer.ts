// Runs an extension-host test suite inside code-server's real Node extension host: the workbench is opened
// with a `payload` naming the extension under development and the tests (as VS Code's own browser
// integration tests do), and the suite's exit code comes back through `window.codeAutomationExit`.
import fs from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import { claimRunDir, launchBrowser, startCodeServer, writeUserSettings } from './codeServer';

export async function runSuiteInCodeServer(extensionDevelopmentPath: string, extensionTestsPath: string, folder: string): Promise<number> {
  const work = claimRunDir('integration');
  const userDataDir = path.join(work, 'user-data');
  const extensionsDir = path.join(work, 'extensions');
  fs.mkdirSync(extensionsDir, { recursive: true });
  writeUserSettings(userDataDir);
  const started = Date.now();
  const server = await startCodeServer({ userDataDir, extensionsDir, logFile: path.join(work, 'code-server.log') });
  console.log(`[integration] code-server on ${server.url} in ${Date.now() - started} ms`);
  const browser = await launchBrowser(path.join(work, 'chromium-profile'));
  const page = browser.pages()[0] ?? (await browser.newPage());
  const timeoutMs = Number(process.env.INTEGRATION_TIMEOUT_MS ?? 600_000);
  let exitCode = 1;
  try {
    exitCode = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the suite did not finish within ${timeoutMs} ms`)), timeoutMs);
      const setup = async () => {
        await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
          // The extension host forwards console calls as printf-style arguments (mocha's reporter relies on it).
          const text = format(...args);
          // The workbench asks the extension gallery for updates; with no network that error is expected noise.
          if (text.includes('open-vsx.org')) return;
          if (type === 'error') console.error(text);
          else console.log(text);
        });
        await page.exposeFunction('codeAutomationExit', (code: number) => {
          clearTimeout(timer);
          resolve(code);
        });
        if (process.env.VERBOSE) page.on('console', (m) => console.log('[browser]', m.type(), m.text()));
        const remote = (p: string) => `vscode-remote://${server.authority}${p}`;
        const payload = JSON.stringify([
          ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
          ['extensionTestsPath', remote(extensionTestsPath)],
          ['skipWelcome', 'true'],
          ['skipReleaseNotes', 'true'],
        ]);
        await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`);
      };
      setup().catch(reject);
    });
  } catch (error) {
    console.error(`[integration] ${error instanceof Error ? error.message : String(error)}`);
    await page.screenshot({ path: path.join(work, 'failure.png') }).catch(() => undefined);
  } finally {
    await browser.close();
    await server.stop();
  }
  console.log(`[integration] exit code ${exitCode} after ${Date.now() - started} ms`);
  return exitCode;
}
