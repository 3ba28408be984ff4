import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../src/cli/main';
import { formatMessage } from '../../src/core/message';
import { checkComposeText } from '../../src/core/validation/checkFile';

function summary(text: string, options?: Parameters<typeof checkComposeText>[1]): string[] {
  return checkComposeText(text, options).findings.map((f) => `${f.rule}/${f.severity}@${f.span.start}: ${f.message.template}`);
}

function aliasBomb(levels: number): string {
  let text = 'x-a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i < levels; i++) text += `x-a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]\n`;
  return text + `services:\n  web:\n    image: nginx:1.27\n    command: *a${levels - 1}\n`;
}

/** [name, text, expected findings as `rule/severity@offset: template`]. */
const cases: [string, string, string[]][] = [
  ['empty file', '', ['schema/warning@0: The file is empty: a compose file needs at least a services: mapping.']],
  ['only comments', '# nothing yet\n', ['schema/warning@0: The file is empty: a compose file needs at least a services: mapping.']],
  ['top level is a list', '- web\n- db\n', ['schema/error@0: The top level of a compose file must be a mapping (services:, networks:, volumes: …), not a list.']],
  ['top level is a scalar', 'just text\n', ['schema/error@0: The top level of a compose file must be a mapping (services:, networks:, volumes: …), not a single value.']],
  ['duplicate keys', 'services:\n  web:\n    image: a\n    image: b\n', ['yaml-syntax/error@34: Duplicate key: each key may appear only once in a mapping.']],
  ['tab indentation: the syntax finding, no misleading schema finding', 'services:\n\tweb:\n\t\timage: a\n', [
      'yaml-syntax/error@10: Tabs cannot be used for indentation in YAML; use spaces.',
      'yaml-syntax/error@16: Tabs cannot be used for indentation in YAML; use spaces.',
    ],
  ],
  ['binary content (NUL bytes) is not parsed', 'services:\u0000\u0001\u0002\u0000', ['yaml-syntax/error@9: This file contains NUL bytes: it is binary, not a YAML text file, and was not checked.']],
  [
    'non-UTF-8 content is reported and the rest still checked',
    `services:\n  web:\n    image: 1\n    labels: {a: "caf${Buffer.from([0xe9]).toString('utf8')}"}\n`,
    [
      'schema/error@28: {0} must be a string.',
      "yaml-syntax/error@50: This file is not valid UTF-8 ({0} undecodable characters); Compose reads compose files as UTF-8. Save it as UTF-8.",
    ],
  ],
  ['unknown alias', 'services:\n  web:\n    image: a\n    logging: *nolog\n', ['yaml-syntax/error@43: Unknown alias *{0}: no anchor &{0} is defined before it.']],
  ['byte order mark', '\uFEFFservices:\n  web:\n    image: a\n', []],
  ['Windows line ends', 'services:\r\n  web:\r\n    image: a\r\n    ports:\r\n      - "80:80"\r\n', []],
  [
    'invalid YAML in one service: the other services are still validated',
    'services:\n  db:\n    image: "unclosed\n  web:\n    image: ok\n',
    // The unclosed quote swallows the rest of the file: only the syntax error can be reported.
    ['yaml-syntax/error@27: This quoted string is never closed: add the closing quote.'],
  ],
];

for (const [name, text, expected] of cases) {
  test(`bad input: ${name}`, () => {
    assert.deepEqual(summary(text), expected);
  });
}

test('bad input: a syntax error in one service leaves the schema checked elsewhere', () => {
  const text = 'services:\n  web:\n    image: 1\n  db:\n    image: a\n    ports: [80:80\nvolumes:\n  data: 3\n';
  const rules = summary(text);
  assert.ok(rules.some((f) => f.startsWith('yaml-syntax/error')), rules.join('\n'));
  assert.ok(rules.includes('schema/error@28: {0} must be a string.'), rules.join('\n'));
});

test('bad input: a file above the size limit gets one notice and is not parsed', () => {
  const service = '  svc-N:\n    image: nginx:1.27\n    restart: unless-stopped\n    environment:\n      - A=${A:-}\n';
  let text = 'services:\n';
  for (let i = 0; text.length < 10 * 1024 * 1024; i++) text += service.replace('N', String(i));
  const started = performance.now();
  const { findings } = checkComposeText(text);
  const elapsed = performance.now() - started;
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.severity, 'info');
  assert.match(formatMessage(findings[0]!.message), /^Not checked: the file is 10\.0 MB, above the 4 MB limit/);
  assert.ok(elapsed < 1000, `skipping took ${elapsed} ms`);
  // A smaller limit applies the same way, and a text under the limit is checked.
  assert.equal(checkComposeText('services: {}\n', { maxLength: 5 }).findings[0]?.severity, 'info');
  assert.deepEqual(checkComposeText('services: {}\n', { maxLength: 100 }).findings, []);
});

test('bad input: an alias bomb ends in bounded work with a clear finding', () => {
  const { findings } = checkComposeText(aliasBomb(9));
  const bomb = findings.find((f) => f.rule === 'schema');
  assert.ok(bomb, 'expected a schema finding');
  assert.match(bomb.message.template, /alias bomb/);
});

test('bad input: a logging anchor used by 300 services is fine', () => {
  let text = 'x-logging: &logging\n  driver: json-file\n  options:\n    max-size: "10m"\n    max-file: "3"\nservices:\n';
  for (let i = 0; i < 300; i++) text += `  svc-${i}:\n    image: nginx:1.27\n    logging: *logging\n`;
  assert.deepEqual(summary(text), []);
});

test('bad input: the CLI reports bad files without a stack trace', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-bad-'));
  try {
    const files: Record<string, string | Buffer> = {
      'empty/docker-compose.yml': '',
      'list/docker-compose.yml': '- a\n',
      'binary/docker-compose.yml': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0xff]),
      'latin1/docker-compose.yml': Buffer.from('services:\n  web:\n    image: caf\xe9\n', 'latin1'),
      'bomb/docker-compose.yml': aliasBomb(9),
      'tabs/docker-compose.yml': 'services:\n\tweb:\n',
    };
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), content);
    }
    let out = '';
    let err = '';
    const status = await runCli(['lint', dir, '--format', 'json'], { cwd: dir, out: (t) => (out += t), err: (t) => (err += t) });
    assert.equal(status, 1, err);
    assert.equal(err, '');
    const reported = JSON.parse(out) as { file: string; rule: string }[];
    for (const name of Object.keys(files)) {
      assert.ok(reported.some((f) => f.file === path.join(dir, name)), `no finding for ${name}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
