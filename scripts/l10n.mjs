// Writes l10n/bundle.l10n.json (English) from the strings in src and lists keys missing from the Spanish bundle.
//   node scripts/l10n.mjs     (exit 1 when a Spanish translation is missing)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractTemplates, readBundle } from './l10n-lib.mjs';

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
