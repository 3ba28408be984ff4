// Writes compose-blueprint-<version>.vsix: a production build (minified, no source maps) packaged by vsce
// with no node_modules (everything is bundled); .vscodeignore is a whitelist. Prints the size and contents.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = path.join(root, `${manifest.name}-${manifest.version}.vsix`);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

run(process.execPath, [path.join(root, 'scripts/build.mjs'), '--production']);
// vsce runs `vscode:prepublish` unless told not to; the build above is that step already.
run(process.execPath, [path.join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--no-update-package-json', '--no-git-tag-version', '--no-rewrite-relative-links', '-o', out].filter(Boolean));
const bytes = fs.statSync(out).size;
console.log(`[package] ${path.relative(root, out)}: ${(bytes / 1024).toFixed(0)} KiB`);
