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
fs.rmSync(path.join(root, 'out'), { recursive: true, force: true });
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
