// Compiles the tests (TypeScript) to out/ with esbuild: one bundle per entry, packages left external so
// tests use the same node_modules as the code under test. Type errors are tsc's job (npm run typecheck).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function walk(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : walk(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

const entryPoints = [...walk(path.join(root, 'test')), ...walk(path.join(root, 'bench'))];
// Remove only outputs whose source is gone: wiping out/ would break test runs going on at the same time.
const expected = new Set(entryPoints.map((file) => path.join(root, 'out', path.relative(root, file)).replace(/\.ts$/, '.js')));
for (const file of walkOutputs(path.join(root, 'out'))) if (!expected.has(file)) fs.rmSync(file, { force: true });

function walkOutputs(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walkOutputs(full) : entry.name.endsWith('.js') ? [full] : [];
  });
}
await esbuild.build({
  entryPoints,
  outbase: root,
  outdir: path.join(root, 'out'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  packages: 'external',
  external: ['vscode'],
  logLevel: 'warning',
});
