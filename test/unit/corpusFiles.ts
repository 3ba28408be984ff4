import fs from 'node:fs';
import path from 'node:path';

/**
 * test/fixtures/corpus: real compose files from docker/compose, compose-go and awesome-compose. Found upwards
 * from the running test, since each test is bundled into out/ at its own depth.
 */
export const CORPUS = ((): string => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'test/fixtures/corpus');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`no test/fixtures/corpus above ${__dirname}`);
  }
})();

/** Every .yml/.yaml file under `dir` (default: the corpus), depth first in directory order. */
export function yamlFiles(dir: string = CORPUS): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}
