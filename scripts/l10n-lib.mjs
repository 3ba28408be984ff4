// Library for scripts/l10n.mjs and the l10n unit test. Collects every user-visible runtime string: the literal first argument of `vscode.l10n.t(...)` / `l10n.t(...)`
// in src/editor and src/extension.ts, and of `msg(...)` anywhere in src. Writes l10n/bundle.l10n.json (English,
// key = value) and reports keys missing from the Spanish bundle.
import fs from 'node:fs';
import path from 'node:path';

const callPattern = /\b(?:l10n\.t|msg)\(\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\$]|\\.)*)`)/g;

function unescape(literal) {
  return literal.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, e) => {
    if (e[0] === 'u') return String.fromCodePoint(parseInt(e.replace(/[u{}]/g, ''), 16));
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    return { n: '\n', t: '\t', r: '\r', '0': '\0' }[e] ?? e;
  });
}

function sourceFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every template used in src, sorted. */
export function extractTemplates(root) {
  const templates = new Set();
  for (const file of sourceFiles(path.join(root, 'src'))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(callPattern)) templates.add(unescape(m[1] ?? m[2] ?? m[3] ?? ''));
  }
  templates.delete('');
  return [...templates].sort();
}

export function readBundle(root, lang) {
  const file = path.join(root, 'l10n', lang ? `bundle.l10n.${lang}.json` : 'bundle.l10n.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
}

