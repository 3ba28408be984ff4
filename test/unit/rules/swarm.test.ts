import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { isComposeFileName } from '../../../src/core/compose/files';
import { formatMessage } from '../../../src/core/message';
import { normalizeSwarmChecks, type SwarmChecks } from '../../../src/core/rules/swarm/intent';
import { checkProject } from '../../../src/core/validation/checkProject';
import { CORPUS } from '../corpusFiles';

/** Swarm rules found in a base (+ prod) project, as `file rule` strings. */
function swarmFindings(base: string, prod: string | undefined, swarm?: SwarmChecks, rules?: Record<string, 'off' | 'error'>): string[] {
  const files = [{ path: 'docker-compose.yml', text: base }, ...(prod !== undefined ? [{ path: 'docker-compose.prod.yml', text: prod }] : [])];
  const result = checkProject({ files }, { ...(swarm ? { swarm } : {}), ...(rules ? { rules } : {}) });
  return [...result.files].flatMap(([file, findings]) => findings.filter((f) => f.rule.startsWith('swarm-')).map((f) => `${file} ${f.rule}`));
}

const plain = 'services:\n  api:\n    image: example/api:1.4\n    container_name: api\n';

test('swarm intent in auto mode: each signal turns the checks on, replicas and resources do not', () => {
  const cases: [string, string | undefined, boolean][] = [
    ['nothing', undefined, false],
    ['replicas and resources', 'services:\n  api:\n    deploy:\n      replicas: 3\n      resources:\n        limits:\n          memory: 1G\n', false],
    ['overlay network', 'networks:\n  backend:\n    driver: overlay\n', true],
    ['bridge network', 'networks:\n  backend:\n    driver: bridge\n', false],
    ['placement', 'services:\n  api:\n    deploy:\n      placement:\n        constraints: [node.role == worker]\n', true],
    ['update_config', 'services:\n  api:\n    deploy:\n      update_config:\n        parallelism: 1\n', true],
    ['rollback_config', 'services:\n  api:\n    deploy:\n      rollback_config:\n        parallelism: 1\n', true],
    ['endpoint_mode', 'services:\n  api:\n    deploy:\n      endpoint_mode: dnsrr\n', true],
    ['global mode', 'services:\n  api:\n    deploy:\n      mode: global\n', true],
    ['replicated mode', 'services:\n  api:\n    deploy:\n      mode: replicated\n', false],
    ['marker comment', '# blueprint-swarm\nservices: {}\n', true],
    ['marker inside a sentence is not a marker', 'services: {} # see blueprint-swarm docs\n', false],
  ];
  for (const [name, prod, expected] of cases) {
    const found = swarmFindings(plain, prod);
    assert.equal(found.includes('docker-compose.yml swarm-unsupported-option'), expected, `${name}: ${found.join(', ')}`);
  }
});

test('swarm intent in the development override does not count: the checks look at the production config', () => {
  const result = checkProject({
    files: [
      { path: 'docker-compose.yml', text: plain },
      { path: 'docker-compose.override.yml', text: 'networks:\n  backend:\n    driver: overlay\n' },
    ],
  });
  assert.deepEqual([...result.files.values()].flat().filter((f) => f.rule.startsWith('swarm-')), []);
});

test('modes: on runs without intent, off never runs, rule levels and suppressions apply', () => {
  assert.ok(swarmFindings(plain, undefined, 'on').includes('docker-compose.yml swarm-unsupported-option'));
  assert.deepEqual(swarmFindings(plain, '# blueprint-swarm\n', 'off'), []);
  assert.ok(!swarmFindings(plain, undefined, 'on', { 'swarm-unsupported-option': 'off' }).includes('docker-compose.yml swarm-unsupported-option'));
  const suppressed = 'services:\n  api:\n    image: example/api:1.4\n    # blueprint-disable-next-line swarm-unsupported-option -- the dev tooling greps for it\n    container_name: api\n';
  assert.ok(!swarmFindings(suppressed, undefined, 'on').includes('docker-compose.yml swarm-unsupported-option'));
  const severities = checkProject({ files: [{ path: 'docker-compose.yml', text: plain }] }, { swarm: 'on', rules: { 'swarm-unsupported-option': 'error' } })
    .files.get('docker-compose.yml')!
    .filter((f) => f.rule === 'swarm-unsupported-option')
    .map((f) => f.severity);
  assert.deepEqual(severities, ['error']);
});

test('normalizeSwarmChecks: on, off, anything else is auto', () => {
  const cases: [unknown, SwarmChecks][] = [['on', 'on'], ['off', 'off'], ['auto', 'auto'], [undefined, 'auto'], [true, 'auto'], ['ON', 'auto'], [{}, 'auto']];
  for (const [raw, expected] of cases) assert.equal(normalizeSwarmChecks(raw), expected, String(raw));
});

const corpus = CORPUS;

/** The corpus grouped into projects: compose files of one folder. */
function corpusProjects(): { folder: string; files: { path: string; text: string }[] }[] {
  const projects: { folder: string; files: { path: string; text: string }[] }[] = [];
  const walk = (dir: string) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    const files = entries.filter((e) => e.isFile() && isComposeFileName(e.name)).map((e) => ({ path: e.name, text: fs.readFileSync(path.join(dir, e.name), 'utf8') }));
    if (files.length > 0) projects.push({ folder: path.relative(corpus, dir), files });
    for (const entry of entries) if (entry.isDirectory()) walk(path.join(dir, entry.name));
  };
  walk(corpus);
  return projects;
}

test('corpus: no Swarm finding in auto mode (no corpus project shows Swarm intent)', () => {
  const projects = corpusProjects();
  assert.ok(projects.length > 50, `${projects.length} projects`);
  const found: string[] = [];
  for (const project of projects) {
    for (const [file, findings] of checkProject({ files: project.files }).files) {
      for (const finding of findings) if (finding.rule.startsWith('swarm-')) found.push(`${project.folder}/${file} ${finding.rule}: ${formatMessage(finding.message)}`);
    }
  }
  assert.deepEqual(found, []);
});

test('corpus: with the checks on, every option finding sits on the key it names (no false location)', () => {
  let checked = 0;
  for (const project of corpusProjects()) {
    const texts = new Map(project.files.map((f) => [f.path, f.text]));
    for (const [file, findings] of checkProject({ files: project.files }, { swarm: 'on' }).files) {
      for (const finding of findings) {
        if (finding.rule !== 'swarm-unsupported-option' && finding.rule !== 'swarm-forbidden-option' && finding.rule !== 'swarm-image-missing') continue;
        const key = texts.get(file)!.slice(finding.span.start, finding.span.end);
        const message = formatMessage(finding.message);
        assert.ok(finding.rule === 'swarm-image-missing' ? key === 'build' : message.includes(key), `${project.folder}/${file}: "${key}" vs ${message}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 10, `only ${checked} findings checked`);
});
