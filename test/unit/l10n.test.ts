import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
// A plain .mjs script shared with `npm run l10n` (types in scripts/l10n-lib.d.mts); esbuild bundles it into the test.
import { extractTemplates, readBundle } from '../../scripts/l10n-lib.mjs';

const root = path.resolve(__dirname, '../../..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), "utf8")) as Record<string, string>;

test('every manifest string (package.nls.json) has a Spanish translation, and no stale ones', () => {
  const english = Object.keys(readJson('package.nls.json')).sort();
  const spanish = Object.keys(readJson('package.nls.es.json')).sort();
  assert.deepEqual(spanish, english);
});

test('every %key% in package.json is defined in package.nls.json', () => {
  const manifest = fs.readFileSync(path.join(root, 'package.json'), 'utf8');
  const english = readJson('package.nls.json');
  const used = [...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!);
  assert.ok(used.length > 5);
  assert.deepEqual(used.filter((key) => !(key in english)), []);
});

test('every runtime string in src has a Spanish translation, and the English bundle is current', () => {
  const templates: string[] = extractTemplates(root);
  assert.ok(templates.length > 10, 'expected l10n.t/msg strings in src');
  const spanish: Record<string, string> = readBundle(root, 'es');
  assert.deepEqual(templates.filter((t) => !(t in spanish)), [], 'missing Spanish translations: run `node scripts/l10n.mjs`');
  assert.deepEqual(Object.keys(spanish).filter((k) => !templates.includes(k)), [], 'Spanish keys no longer used in src');
  const english: Record<string, string> = readBundle(root, '');
  assert.deepEqual(Object.keys(english).sort(), templates, 'l10n/bundle.l10n.json is stale: run `node scripts/l10n.mjs`');
});

test('translations keep the placeholders of their template', () => {
  const spanish: Record<string, string> = readBundle(root, 'es');
  const placeholders = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
  const broken = Object.entries(spanish).filter(([en, es]) => placeholders(en).join() !== placeholders(es).join());
  assert.deepEqual(broken, []);
});
