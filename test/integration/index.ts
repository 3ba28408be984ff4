// Loaded by VS Code inside the extension host: runs every compiled suite under ./suite with mocha.
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false, reporter: 'spec' });
  const grep = process.env.INTEGRATION_GREP;
  if (grep) mocha.grep(grep);
  const suiteDir = path.join(__dirname, 'suite');
  for (const file of fs.readdirSync(suiteDir).filter((f) => f.endsWith(".test.js")).sort()) mocha.addFile(path.join(suiteDir, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      console.log(`integration: ${mocha.suite.total()} tests, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} integration tests failed`));
      else resolve();
    });
  });
}
