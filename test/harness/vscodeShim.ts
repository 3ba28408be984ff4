// Stand-in for a desktop VS Code executable, for @vscode/test-electron's runTests({ vscodeExecutablePath }).
// runTests spawns it with `--extensionDevelopmentPath=`, `--extensionTestsPath=` and the launch arguments;
// we run the same suite in code-server and exit with its result, so the runner itself stays unchanged.
import { runSuiteInCodeServer } from './runInCodeServer';

const argv = process.argv.slice(2);
const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const developmentPath = option('extensionDevelopmentPath');
const testsPath = option('extensionTestsPath');
const folder = argv.find((a) => !a.startsWith('-'));

if (!developmentPath || !testsPath || !folder) {
  console.error('usage: vscodeShim --extensionDevelopmentPath=DIR --extensionTestsPath=FILE FOLDER');
  process.exit(2);
}
runSuiteInCodeServer(developmentPath, testsPath, folder).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
