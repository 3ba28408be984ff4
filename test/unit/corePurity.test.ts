import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

// src/core must never import the editor or do I/O of its own. Lint enforces this too; this test keeps it
// true even when someone runs the unit tests alone, and it reads every file, including new ones.
const forbidden = /^(?:node:)?(?:vscode|fs|fs\/promises|net|http|https|http2|child_process|os|dgram|dns|tls|worker_threads|readline|cluster|dockerode|docker-modem|ssh2)$/;
const importPattern = /(?:\bimport\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?|\bexport\s+(?:type\s+)?[^'";]*?\s+from\s+|\brequire\s*\(\s*|\bimport\s*\(\s*)['"]([^'"]+)['"]/g;

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(full);
    return /\.(ts|js|mjs|cjs)$/.test(entry.name) ? [full] : [];
  });
}

const coreDir = path.resolve(__dirname, '../../../src/core');

test('src/core imports neither vscode nor I/O modules', () => {
  const offenders: string[] = [];
  const files = tsFiles(coreDir);
  assert.ok(files.length > 5, `expected core sources under ${coreDir}`);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(importPattern)) {
      const specifier = match[1] ?? '';
      if (forbidden.test(specifier)) offenders.push(`${path.relative(coreDir, file)} imports ${specifier}`);
      if (specifier.startsWith('.') && /(?:^|\/)(?:editor|host)(?:\/|$)/.test(path.relative(coreDir, path.resolve(path.dirname(file), specifier)))) {
        offenders.push(`${path.relative(coreDir, file)} imports ${specifier} (outside the core)`);
      }
    }
  }
  assert.deepEqual(offenders, []);
});

test('the purity check recognises every import form', () => {
  const sample = `import * as vscode from 'vscode';\nimport type { Uri } from "vscode";\nconst fs = require('node:fs');\nexport { x } from 'child_process';\nawait import('net');`;
  const found = [...sample.matchAll(importPattern)].map((m) => m[1]);
  assert.deepEqual(found, ['vscode', 'vscode', 'node:fs', 'child_process', 'net']);
});
