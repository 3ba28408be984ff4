// Collects every user-visible runtime string: the literal first argument of `vscode.l10n.t(...)` / `l10n.t(...)`
// in src/editor and src/extension.ts, and of `msg(...)` anywhere in src. Writes l10n/bundle.l10n.json (English,
// key = value) and reports keys missing from the Spanish bundle.
//   node scripts/l10n.mjs          write the English bundle, list missing Spanish keys (exit 1 if any)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

// import.meta.url is empty when a test bundles this file as CommonJS; then it is only a library.
if (import.meta.url && process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const templates = extractTemplates(root);
  const english = Object.fromEntries(templates.map((t) => [t, t]));
  fs.mkdirSync(path.join(root, 'l10n'), { recursive: true });
  fs.writeFileSync(path.join(root, 'l10n', 'bundle.l10n.json'), JSON.stringify(english, null, 2) + '\n');
  const spanish = readBundle(root, 'es');
  const missing = templates.filter((t) => !(t in spanish));
  const stale = Object.keys(spanish).filter((k) => !(k in english));
  console.log(`[l10n] ${templates.length} strings; ${missing.length} missing in Spanish; ${stale.length} stale Spanish keys`);
  for (const t of missing) console.log(`  missing: ${JSON.stringify(t)}`);
  for (const t of stale) console.log(`  stale:   ${JSON.stringify(t)}`);
  process.exitCode = missing.length > 0 ? 1 : 0;
}
