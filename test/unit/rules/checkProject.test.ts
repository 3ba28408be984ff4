import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkProject } from '../../../src/core/validation/checkProject';

const base = 'services:\n  web:\n    image: nginx\n';

function rulesOf(text: string, options: Parameters<typeof checkProject>[1] = {}): string[] {
  const result = checkProject({ files: [{ path: 'proj/docker-compose.yml', text }] }, options);
  return (result.files.get('proj/docker-compose.yml') ?? []).map((f) => `${f.rule}:${f.severity}`).sort();
}

test('a bare service gets the architecture findings at their default severities', () => {
  assert.deepEqual(rulesOf(base), [
    'healthcheck-missing:warning',
    'image-unpinned:warning',
    'logging-unbounded:warning',
    'network-missing:warning',
    'resources-missing:warning',
    'restart-missing:warning',
  ]);
});

test('rule levels: off drops a rule, a level re-levels it', () => {
  const found = rulesOf(base, { rules: { 'healthcheck-missing': 'off', 'image-unpinned': 'error' } });
  assert.ok(!found.some((f) => f.startsWith('healthcheck-missing')));
  assert.ok(found.includes('image-unpinned:error'));
});

test('suppression comments: next line and whole file', () => {
  const nextLine = 'services:\n  # blueprint-disable-next-line healthcheck-missing, restart-missing\n  web:\n    image: nginx\n';
  const found = rulesOf(nextLine);
  assert.ok(!found.some((f) => f.startsWith('healthcheck-missing') || f.startsWith('restart-missing')));
  assert.ok(found.some((f) => f.startsWith('logging-unbounded')));
  assert.deepEqual(rulesOf('# blueprint-disable-file\n' + base), []);
});

test('configs: dev runs without the production-only rules', () => {
  assert.ok(!rulesOf(base, { configs: 'dev' }).some((f) => f.startsWith('resources-missing')));
  assert.ok(rulesOf(base, { configs: 'prod' }).some((f) => f.startsWith('resources-missing')));
});

test('an override without a base file gets only its own checks; a broken file is still reported', () => {
  const result = checkProject({ files: [{ path: 'docker-compose.override.yml', text: base }] });
  assert.deepEqual(result.files.get('docker-compose.override.yml'), []);
  const broken = checkProject({ files: [{ path: 'docker-compose.yml', text: 'services:\n  web: [\n' }] });
  assert.ok(broken.files.get('docker-compose.yml')?.some((f) => f.rule === 'yaml-syntax'));
  const list = checkProject({ files: [{ path: 'docker-compose.yml', text: '- a\n- b\n' }] });
  assert.ok(!list.files.get('docker-compose.yml')?.some((f) => f.rule === 'healthcheck-missing'));
});

test('keys named like Object.prototype members: a fix is still offered, and restart: constructor maps to condition any', () => {
  const fixTitles = (text: string, rule: string, options: Parameters<typeof checkProject>[1] = {}) =>
    (checkProject({ files: [{ path: 'p/docker-compose.yml', text }] }, options).files.get('p/docker-compose.yml') ?? [])
      .filter((f) => f.rule === rule)
      .flatMap((f) => (f.fixes ?? []).map((fix) => fix.title.template));
  // The deploy map has a key `constructor`/`toString`: planning `resources` under it must not think it already there.
  for (const key of ['constructor', 'toString', 'hasOwnProperty']) {
    const text = `services:\n  web:\n    image: nginx:1.25\n    deploy:\n      ${key}: 1\n`;
    assert.ok(fixTitles(text, 'resources-missing').length > 0, key);
  }
  const swarm = 'services:\n  web:\n    image: nginx:1.25\n    restart: constructor\n';
  const finding = (checkProject({ files: [{ path: 'p/docker-compose.yml', text: swarm }] }, { swarm: 'on' }).files.get('p/docker-compose.yml') ?? []).find((f) => f.rule === 'swarm-restart-policy-missing');
  assert.ok(finding?.fixes?.[0], 'a fix');
  assert.deepEqual(finding.fixes[0].title.args.slice(0, 1), ['any']);
});
