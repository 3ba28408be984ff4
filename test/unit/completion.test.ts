import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { composeCompletions, parseEnvNames } from '../../src/core/completion/composeCompletion';
import { schemaDescription, schemaEnum, schemaProperties } from '../../src/core/completion/schemaPath';
import { declaredNames, siblingEntries, suppressedRuleAt, yamlCursorAt, yamlKeyAt } from '../../src/core/completion/yamlPath';

const root = path.resolve(__dirname, '../../..');
const schema: unknown = JSON.parse(fs.readFileSync(path.join(root, 'schemas/compose-spec.json'), 'utf8'));

/** Splits a text at its `|` marker: the cursor. */
function at(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0, 'the case needs a | cursor');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

const COMPOSE = [
  'services:',
  '  web:',
  '    build: ./build/web',
  '    depends_on:',
  '      - DEPENDS',
  '  db:',
  '    image: postgres:16',
  '  "cache":',
  '    image: redis:7',
  'networks:',
  '  app-network:',
  '    driver: bridge',
  '  # a comment',
  '  backend: {}',
  'volumes:',
  '  db-data:',
  '',
].join('\n');

test('yamlCursorAt: path and kind by indentation, also in text that does not parse yet', () => {
  const cases: [string, string[], string, string][] = [
    ['services:\n  web:\n    depends_on:\n      - d|', ['services', 'web', 'depends_on'], 'item', 'd'],
    ['services:\n  web:\n    depends_on:\n      |', ['services', 'web', 'depends_on'], 'key', ''],
    ['services:\n  web:\n    depends_on: [db, |]', ['services', 'web', 'depends_on'], 'item', ''],
    ['services:\n  web:\n    restart: un|', ['services', 'web', 'restart'], 'value', 'un'],
    ['services:\n  web:\n\n    # c\n    heal|', ['services', 'web'], 'key', 'heal'],
    ['services:\n  web:\n    ports:\n      - target: 80\n        pro|', ['services', 'web', 'ports', '*'], 'key', 'pro'],
    ['services:\n  web:\n    volumes:\n      - type: volume\n        source: |', ['services', 'web', 'volumes', '*', 'source'], 'value', ''],
    ['x: [\nservices:\n  a:\n    networks:\n      - |', ['services', 'a', 'networks'], 'item', ''],
    ['|', [], 'key', ''],
  ];
  for (const [marked, pathExpected, kind, prefix] of cases) {
    const { text, offset } = at(marked);
    const cursor = yamlCursorAt(text, offset);
    assert.deepEqual([cursor.path, cursor.kind, cursor.prefix], [pathExpected, kind, prefix], marked);
    assert.equal(text.slice(cursor.prefixSpan.start, cursor.prefixSpan.end), prefix);
  }
});

test('declaredNames reads one indentation level, skipping comments and quoted keys', () => {
  assert.deepEqual(declaredNames(COMPOSE, 'services').map((n) => n.name), ['web', 'db', 'cache']);
  assert.deepEqual(declaredNames(COMPOSE, 'networks').map((n) => n.name), ['app-network', 'backend']);
  assert.deepEqual(declaredNames(COMPOSE, 'volumes').map((n) => n.name), ['db-data']);
  assert.deepEqual(declaredNames('services: {}\n', 'services'), []);
});

const labels = (marked: string, extra: { variables?: ReturnType<typeof parseEnvNames> } = {}) => {
  const { text, offset } = at(marked);
  return composeCompletions({ text, offset, schema, ...extra }).map((e) => e.label);
};

test('depends_on completes the other services, list and map forms', () => {
  assert.deepEqual(labels(COMPOSE.replace('DEPENDS', '|')), ['db', 'cache']);
  assert.deepEqual(labels(COMPOSE.replace('      - DEPENDS', '      |')), ['db', 'cache']);
  assert.deepEqual(labels(COMPOSE.replace('    depends_on:\n      - DEPENDS', '    depends_on: [d|]')), ['db', 'cache']);
  const { text, offset } = at(COMPOSE.replace('      - DEPENDS', '      c|'));
  const entry = composeCompletions({ text, offset }).find((e) => e.label === 'cache')!;
  assert.equal(entry.insertText, 'cache:');
  assert.equal(text.slice(entry.replace.start, entry.replace.end), 'c');
});

test('networks and named volumes of the file', () => {
  assert.deepEqual(labels(COMPOSE.replace('    depends_on:\n      - DEPENDS', '    networks:\n      - |')), ['app-network', 'backend']);
  assert.deepEqual(labels(COMPOSE.replace('    depends_on:\n      - DEPENDS', '    volumes:\n      - d|')), ['db-data']);
  assert.deepEqual(labels(COMPOSE.replace('    depends_on:\n      - DEPENDS', '    volumes:\n      - ./d|')), [], 'a bind mount path');
  assert.deepEqual(labels(COMPOSE.replace('    depends_on:\n      - DEPENDS', '    volumes:\n      - type: volume\n        source: |')), ['db-data']);
});

test('${VAR} names from the env files, closing the brace when needed', () => {
  const variables = [...parseEnvNames('# c\nexport DB_PASSWORD="s3cret"\nAPP_PORT=8000 # http\n', '.env.example'), ...parseEnvNames('APP_PORT=9000\nEXTRA=1\n', '.env')];
  assert.deepEqual(variables.map((v) => [v.name, v.value]), [['DB_PASSWORD', 's3cret'], ['APP_PORT', '8000'], ['APP_PORT', '9000'], ['EXTRA', '1']]);
  const { text, offset } = at(COMPOSE.replace('image: postgres:16', 'environment:\n      - PASSWORD=${DB_|'));
  const entries = composeCompletions({ text, offset, variables });
  assert.deepEqual(entries.map((e) => [e.label, e.insertText, e.detail]), [
    ['DB_PASSWORD', 'DB_PASSWORD}', '.env.example: s3cret'],
    ['APP_PORT', 'APP_PORT}', '.env.example: 8000'],
    ['EXTRA', 'EXTRA}', '.env: 1'],
  ]);
  assert.equal(text.slice(entries[0]!.replace.start, entries[0]!.replace.end), 'DB_');
  const closed = at('x: ${A|}');
  assert.equal(composeCompletions({ ...closed, variables })[0]!.insertText, 'DB_PASSWORD');
});

test('schema keys and enum values elsewhere; nothing in comments', () => {
  const keys = labels('services:\n  web:\n    heal|');
  assert.ok(keys.includes('healthcheck') && keys.includes('depends_on'), keys.join());
  assert.ok(labels('services:\n  web:\n    healthcheck:\n      |').includes('start_period'));
  assert.deepEqual(labels('services:\n  web:\n    depends_on:\n      db:\n        condition: |'), ['service_started', 'service_healthy', 'service_completed_successfully']);
  assert.deepEqual(labels('services:\n  web: # dep|'), []);
});

test('schema descriptions by path', () => {
  assert.match(schemaDescription(schema, ['services', 'web', 'healthcheck'])!, /health check/i);
  assert.match(schemaDescription(schema, ['services', 'web', 'healthcheck', 'interval'])!, /Time between/);
  assert.match(schemaDescription(schema, ['networks'])!, /Networks/);
  assert.match(schemaDescription(schema, ['services', 'web', 'ports', '*', 'target'])!, /port inside the container/i);
  assert.equal(schemaDescription(schema, ['services', 'web', 'no-such-key']), undefined);
  assert.equal(schemaDescription(schema, ['nope']), undefined);
  assert.ok(schemaProperties(schema, ['services', 'x', 'deploy', 'resources']).some((p) => p.name === 'limits'));
  assert.deepEqual(schemaEnum(schema, ['services', 'web', 'restart']), []);
  assert.equal(schemaDescription(null, ['services']), undefined);
});

test('yamlKeyAt finds the key under the cursor and its path', () => {
  const { text, offset } = at('services:\n  web:\n    health|check:\n      test: ["CMD"]\n');
  const key = yamlKeyAt(text, offset)!;
  assert.deepEqual(key.path, ['services', 'web', 'healthcheck']);
  assert.equal(text.slice(key.span.start, key.span.end), 'healthcheck');
  assert.equal(yamlKeyAt(text, text.indexOf('CMD')), undefined);
  const item = at('services:\n  web:\n    ports:\n      - tar|get: 80\n');
  assert.deepEqual(yamlKeyAt(item.text, item.offset)!.path, ['services', 'web', 'ports', '*', 'target']);
});

test('suppressedRuleAt finds the rule id under the cursor, not the reason', () => {
  const text = 'FROM a\n  # blueprint-disable-next-line user-root, from-unpinned -- legacy-base image\nUSER root\n';
  const cases: [string, string | undefined][] = [
    ['user-root', 'user-root'],
    ['from-unpin', 'from-unpinned'],
    ['legacy-base', undefined],
    ['USER root', undefined],
    ['blueprint', undefined],
  ];
  for (const [needle, expected] of cases) {
    const found = suppressedRuleAt(text, text.indexOf(needle) + 2);
    assert.equal(found?.rule, expected, needle);
    if (found) assert.equal(text.slice(found.span.start, found.span.end), expected);
  }
});

test('entries already listed are not offered again', () => {
  const services = 'services:\n  web:\n    depends_on:\n      - db\n      - |\n      # note\n      - queue\n  db: {}\n  queue: {}\n  cache: {}\n';
  assert.deepEqual(labels(services), ['cache']);
  assert.deepEqual(labels('services:\n  web:\n    depends_on: [db, |, cache]\n  db: {}\n  queue: {}\n  cache: {}\n'), ['queue']);
  assert.deepEqual(labels('services:\n  web:\n    depends_on:\n      db:\n        condition: service_healthy\n      |\n  db: {}\n  queue: {}\n'), ['queue']);
  const { text, offset } = at('services:\n  web:\n    depends_on:\n      - db\n      - |\n');
  assert.deepEqual(siblingEntries(text, offset), ['db']);
});
