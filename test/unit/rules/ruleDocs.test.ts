import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { COMPOSE_RULES } from '../../../src/core/rules/registry';
import { checkProject } from '../../../src/core/validation/checkProject';

const docs = path.resolve(__dirname, '../../../../docs/rules');

/** Runs a doc example as a project's docker-compose.yml; `build/api/Dockerfile` exists on the example's disk. */
function rulesOf(text: string): string[] {
  const result = checkProject({ files: [{ path: 'docker-compose.yml', text }] }, { existingPaths: new Set(['build/api', 'build/api/Dockerfile']) });
  return (result.files.get('docker-compose.yml') ?? []).map((f) => f.rule);
}

for (const rule of COMPOSE_RULES) {
  test(`docs/rules/${rule.id}.md: sections, severity, and examples that the rule reports and accepts`, () => {
    const page = fs.readFileSync(path.join(docs, `${rule.id}.md`), 'utf8');
    for (const heading of [`# ${rule.id}`, '## Why', '## What it checks', '## Example', '## Fix', '## Configure or suppress']) assert.ok(page.includes(heading), `${heading} missing`);
    assert.ok(page.includes(`Default severity: **${rule.defaultSeverity}**`), 'default severity matches the registry');
    const blocks = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    assert.equal(blocks.length, 2, 'a reported and a fine example');
    assert.ok(rulesOf(blocks[0]!).includes(rule.id), `the reported example triggers ${rule.id}`);
    assert.ok(!rulesOf(blocks[1]!).includes(rule.id), `the fine example does not trigger ${rule.id}`);
  });
}
