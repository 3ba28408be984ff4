import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../src/core/findings';
import { formatMessage } from '../../src/core/message';
import { formatPath, schemaFindings } from '../../src/core/schema/schemaFindings';
import { checkComposeText } from '../../src/core/validation/checkFile';
import { parseYaml } from '../../src/core/yaml/parse';
import { generateArchitectureCompose } from '../../bench/checkGenerator';

/** Schema findings as `text-at-span => message`, so a case shows both where and what. */
function schemaOf(text: string): string[] {
  return checkComposeText(text)
    .findings.filter((f) => f.rule === 'schema')
    .map((f) => `${text.slice(f.span.start, f.span.end)} => ${formatMessage(f.message)}`);
}

/** [name, compose text, expected findings (each `text at the span => message`)]. */
const cases: [string, string, string[]][] = [
  ['valid file', 'services:\n  web:\n    image: nginx:1.27\n    ports: ["80:80"]\n', []],
  ['wrong type lands on the value', 'services:\n  web:\n    image: 1\n', ['1 => services.web.image must be a string.']],
  [
    'unknown property lands on the key, with a suggestion',
    'services:\n  web:\n    imagee: nginx\n',
    ['imagee => Unknown property "imagee" in services.web. Did you mean "image"?'],
  ],
  ['unknown property without a near name', 'services:\n  web:\n    image: a\n    flavour: b\n', ['flavour => Unknown property "flavour" in services.web.']],
  ['unknown top-level property', 'services: {}\nbogus: 1\n', ['bogus => Unknown top-level property "bogus" (custom top-level properties must start with "x-").']],
  ['x- extensions are allowed', 'x-anything: {a: 1}\nservices:\n  web:\n    image: a\n    x-note: b\n', []],
  [
    'ports entry of no allowed form: one message',
    'services:\n  web:\n    image: a\n    ports:\n      - true\n',
    ['true => services.web.ports[0] must be a port number, a string such as "8080:80" or "127.0.0.1:8080:80/udp", or a mapping with target, published and protocol.'],
  ],
  [
    'ports mapping with an unknown key: the mapping branch speaks',
    'services:\n  web:\n    image: a\n    ports:\n      - target: 80\n        protocl: tcp\n',
    ['protocl => Unknown property "protocl" in services.web.ports[0]. Did you mean "protocol"?'],
  ],
  [
    'depends_on condition enum',
    'services:\n  db:\n    image: a\n  web:\n    image: a\n    depends_on:\n      db:\n        condition: healthy\n',
    ['healthy => services.web.depends_on.db.condition must be one of: "service_started", "service_healthy", "service_completed_successfully".'],
  ],
  [
    'command of the wrong form',
    'services:\n  web:\n    image: a\n    command: {a: 1}\n',
    ['{a: 1} => services.web.command must be a command string or a list of strings (exec form), such as ["npm", "start"].'],
  ],
  ['entrypoint: string or list of strings', 'services:\n  web:\n    image: a\n    entrypoint: {a: 1}\n', ['{a: 1} => services.web.entrypoint must be a command string or a list of strings (exec form), such as ["npm", "start"].']],
  [
    'environment list entry of the wrong type',
    'services:\n  web:\n    image: a\n    environment:\n      - A=1\n      - [x]\n',
    ['[x] => services.web.environment[1] must be a string.'],
  ],
  [
    'environment of no allowed form',
    'services:\n  web:\n    image: a\n    environment: 3\n',
    ['3 => services.web.environment must be a mapping of names to values or a list of "NAME=value" strings.'],
  ],
  ['invalid service name lands on the key', 'services:\n  "my app!":\n    image: a\n', ['"my app!" => Invalid name "my app!" in services: use only letters, digits, ".", "_" and "-".']],
  [
    'every error is reported, not only the first',
    'services:\n  a:\n    image: 1\n  b:\n    restart: [no]\n    cpus: [1]\n',
    ['1 => services.a.image must be a string.', '[no] => services.b.restart must be a string.', '[1] => services.b.cpus must be a number or a string.'],
  ],
  [
    'error inside aliased content lands on the alias',
    'x-log: &log\n  driver: json-file\n  optionz: {}\nservices:\n  web:\n    image: a\n    logging: *log\n',
    ['*log => Unknown property "optionz" in services.web.logging. Did you mean "options"?'],
  ],
  [
    'error inside merged content lands on the merge value',
    'x-base: &base\n  image: 5\nservices:\n  web:\n    <<: *base\n    restart: always\n',
    ['*base => services.web.image must be a string.'],
  ],
  ['explicit keys override merged ones before validation', 'x-base: &base\n  image: 5\nservices:\n  web:\n    <<: *base\n    image: nginx\n', []],
  ['!reset entries are dropped as Compose does', 'services:\n  web:\n    image: a\n    command: !reset\n    ports: !reset []\n', []],
  ['!override values are validated as written', 'services:\n  web:\n    image: a\n    ports: !override\n      - true\n', ['true => services.web.ports[0] must be a port number, a string such as "8080:80" or "127.0.0.1:8080:80/udp", or a mapping with target, published and protocol.']],
  ['key with no value: blame the key', 'services:\n  web:\n    image:\n', ['image => services.web.image must be a string.']],
  ['duplicate list entries', 'services:\n  web:\n    image: a\n    dns: [1.1.1.1, 1.1.1.1]\n', ['1.1.1.1 => services.web.dns lists the same entry twice (entries 0 and 1).']],
  ['top level is a list', '- a\n- b\n', ['- a => The top level of a compose file must be a mapping (services:, networks:, volumes: …), not a list.']],
  ['top level is a scalar', 'hello\n', ['hello => The top level of a compose file must be a mapping (services:, networks:, volumes: …), not a single value.']],
];

for (const [name, text, expected] of cases) {
  test(`schema: ${name}`, () => {
    assert.deepEqual(schemaOf(text), expected);
  });
}

test('schema findings carry rule "schema", severity error and a translatable template with arguments', () => {
  const findings = schemaFindings(parseYaml('services:\n  web:\n    image: 1\n'));
  assert.equal(findings.length, 1);
  assert.equal(findings[0]!.rule, 'schema');
  assert.equal(findings[0]!.severity, 'error');
  assert.equal(findings[0]!.message.template, '{0} must be a string.');
  assert.deepEqual(findings[0]!.message.args, ['services.web.image']);
});

test('a misspelt property offers a rename fix that makes the file valid', () => {
  const text = 'services:\n  web:\n    image: a\n    restrat: always\n';
  const [finding] = checkComposeText(text).findings;
  assert.ok(finding?.fixes?.[0]);
  const fixed = applyEdits(text, finding.fixes[0].edits);
  assert.equal(fixed, 'services:\n  web:\n    image: a\n    restart: always\n');
  assert.deepEqual(checkComposeText(fixed).findings, []);
});

test('a syntax error does not hide schema errors elsewhere in the file', () => {
  const text = 'services:\n  web:\n    image: 1\n  db:\n    image: "unclosed\n';
  const rules = checkComposeText(text).findings.map((f) => f.rule);
  assert.ok(rules.includes('yaml-syntax'));
  assert.ok(rules.includes('schema'), rules.join(','));
});

test('formatPath writes paths as a person does', () => {
  assert.equal(formatPath(['services', 'web', 'ports', 0]), 'services.web.ports[0]');
  assert.equal(formatPath(['services', 'my app', 'image']), 'services["my app"].image');
  assert.equal(formatPath(['services', 'api.v1']), 'services["api.v1"]');
});

test('the benchmark\'s architecture-style files are valid: the benchmark measures the no-error path', () => {
  for (const services of [1, 20]) {
    const findings = checkComposeText(generateArchitectureCompose(services)).findings;
    assert.deepEqual(findings.map((f) => formatMessage(f.message)), []);
  }
});
