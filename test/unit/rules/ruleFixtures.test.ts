import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { isComposeFileName } from '../../../src/core/compose/files';
import { applyEdits, type Finding } from '../../../src/core/findings';
import { formatMessage } from '../../../src/core/message';
import { combineFixes } from '../../../src/core/rules/fixAll';
import { COMPOSE_RULES } from '../../../src/core/rules/registry';
import { checkProject, ENV_RESULT_KEY } from '../../../src/core/validation/checkProject';
import { LineIndex } from '../../../src/core/text/lineIndex';

/**
 * Table-driven rule tests from fixtures: test/fixtures/rules/<rule-id>/<case>/ holds a project folder (compose
 * files, optional .env and .env.example, and any build folders `build-missing` should find) and expected.json:
 *   { "findings": ["docker-compose.yml 3:3-3:6", ...],      findings of the rule under test, 1-based, in order
 *     "configs": "dev" | "prod" | "all",                       optional
 *     "fixed": { "docker-compose.yml": "fixed/docker-compose.yml", ".env.example": "fixed/.env.example" },
 *     "fixFrom": ["docker-compose.yml"] }                      optional: fix only the findings of these files
 * "fixed" is the text after applying the first fix of every finding of the rule ("fix all"), in each file.
 */
const root = path.resolve(__dirname, '../../../../test/fixtures/rules');

interface Expected {
  readonly findings: readonly string[];
  readonly configs?: 'dev' | 'prod' | 'all';
  readonly fixed?: Readonly<Record<string, string>>;
  readonly message?: string;
  /** Only fix the findings of these files (fixes of different files are computed on the same original texts). */
  readonly fixFrom?: readonly string[];
}

function listFiles(dir: string, base = ''): string[] {
  return fs.readdirSync(path.join(dir, base), { withFileTypes: true }).flatMap((entry) => {
    const relative = base ? `${base}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return [relative, ...listFiles(dir, relative)];
    return [relative];
  });
}

function range(text: string, finding: Finding): string {
  const index = new LineIndex(text);
  const start = index.positionAt(finding.span.start);
  const end = index.positionAt(finding.span.end);
  return `${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1}`;
}

function runCase(rule: string, caseDir: string): void {
  const expected = JSON.parse(fs.readFileSync(path.join(caseDir, 'expected.json'), 'utf8')) as Expected;
  const all = listFiles(caseDir).filter((p) => p !== 'expected.json' && p !== 'fixed' && !p.startsWith('fixed/'));
  const read = (p: string) => fs.readFileSync(path.join(caseDir, p), 'utf8');
  const composeFiles = all.filter((p) => !p.includes('/') && isComposeFileName(p));
  const texts = new Map<string, string>(composeFiles.map((p) => [p, read(p)]));
  const envText = all.includes('.env') ? read('.env') : undefined;
  const envExampleText = all.includes('.env.example') ? read('.env.example') : undefined;
  if (envText !== undefined) texts.set(ENV_RESULT_KEY, envText);
  const result = checkProject(
    { files: composeFiles.map((p) => ({ path: p, text: texts.get(p)! })), ...(envText !== undefined ? { envText } : {}), ...(envExampleText !== undefined ? { envExampleText } : {}) },
    { existingPaths: new Set(all), configs: expected.configs ?? 'all' },
  );
  const found: string[] = [];
  const ofRule = new Map<string, Finding[]>();
  for (const [file, findings] of result.files) {
    const mine = findings.filter((f) => f.rule === rule);
    ofRule.set(file, mine);
    for (const f of mine) found.push(`${file} ${range(texts.get(file)!, f)}`);
  }
  assert.deepEqual(found.sort(), [...expected.findings].sort(), 'findings (file line:col-line:col)');
  if (expected.message) {
    const first = [...ofRule.values()].flat()[0];
    assert.ok(first && formatMessage(first.message).includes(expected.message), `message contains ${expected.message}: ${first ? formatMessage(first.message) : ''}`);
  }
  if (!expected.fixed) return;
  const after = new Map<string, string>();
  for (const [file, findings] of ofRule) {
    if (findings.length === 0 || (expected.fixFrom && !expected.fixFrom.includes(file))) continue;
    const combined = combineFixes(findings);
    if (combined.edits.length > 0) after.set(file, applyEdits(after.get(file) ?? texts.get(file)!, combined.edits));
    for (const [other, { edits }] of combined.otherFiles) {
      const current = after.get(other) ?? texts.get(other) ?? (all.includes(other) ? read(other) : '');
      after.set(other, applyEdits(current, edits));
    }
  }
  for (const [file, fixedPath] of Object.entries(expected.fixed)) {
    assert.ok(after.has(file), `the fixes of ${rule} change ${file}`);
    assert.equal(after.get(file), read(fixedPath), `fixed text of ${file}`);
  }
}

const ruleDirs = fs.existsSync(root) ? fs.readdirSync(root).sort() : [];

test('every compose rule has fixture cases', () => {
  for (const rule of COMPOSE_RULES) assert.ok(ruleDirs.includes(rule.id), `test/fixtures/rules/${rule.id}/ is missing`);
});

for (const rule of ruleDirs) {
  describe(`rule ${rule}`, () => {
    for (const name of fs.readdirSync(path.join(root, rule)).sort()) {
      test(name, () => runCase(rule, path.join(root, rule, name)));
    }
  });
}
