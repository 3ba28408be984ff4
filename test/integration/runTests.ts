// Runs the extension-host suite through @vscode/test-electron's runTests, unchanged:
// - on a machine with desktop VS Code, set VSCODE_EXECUTABLE to it, or COMPOSE_BLUEPRINT_DESKTOP=1 to let
//   test-electron download the `engines.vscode` minimum (1.100.0) and run there;
// - here (no desktop build can be had), a stand-in executable runs the same suite in code-server 1.100.3.
import { runTests } from '@vscode/test-electron';
import path from 'node:path';
import { freshWorkspace, repoRoot } from '../harness/codeServer';

async function main(): Promise<number> {
  const workspace = freshWorkspace('integration');
  const desktop = process.env.VSCODE_EXECUTABLE;
  const download = process.env.COMPOSE_BLUEPRINT_DESKTOP === '1';
  const vscodeExecutablePath = desktop ?? (download ? undefined : path.join(repoRoot, 'test/harness/code-shim.sh'));
  console.log(`[integration] VS Code: ${desktop ?? (download ? 'download 1.100.0' : 'code-server via test/harness/code-shim.sh')}`);
  try {
    return await runTests({
      ...(vscodeExecutablePath ? { vscodeExecutablePath } : { version: '1.100.0' }),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'out/test/integration/index.js'),
      launchArgs: [workspace, '--disable-extensions'],
      extensionTestsEnv: { COMPOSE_BLUEPRINT_TEST_WORKSPACE: workspace },
    });
  } catch (error) {
    console.error('[integration] failed:', error instanceof Error ? error.message : error);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
