import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkComposeText } from '../../src/core/validation/checkFile';
import { LineIndex } from '../../src/core/text/lineIndex';
import { getValue } from '../../src/core/yaml/ast';
import { parseYaml } from '../../src/core/yaml/parse';
import { AliasBudgetExceeded, toValue } from '../../src/core/yaml/toValue';

/** [name, text, expected first syntax finding as 0-based line:character, or null for none]. */
const syntaxCases: [string, string, string | null][] = [
  ['valid file', 'services:\n  web:\n    image: nginx:1.27\n', null],
  ['unclosed flow sequence', 'services:\n  web:\n    ports: [80:80\n', '3:0'],
  ['duplicate key', 'services:\n  web:\n    image: a\n    image: b\n', '3:4'],
  ['tab indentation', 'services:\n\tweb:\n', '1:0'],
  ['unclosed double quote', 'services:\n  web:\n    image: "nginx\n', '2:11'],
];

for (const [name, text, expected] of syntaxCases) {
  test(`yaml-syntax: ${name}`, () => {
    const { findings } = checkComposeText(text);
    if (expected === null) {
      assert.deepEqual(findings, []);
      return;
    }
    const first = findings[0];
    assert.ok(first, 'expected a finding');
    assert.equal(first.rule, 'yaml-syntax');
    const pos = new LineIndex(text).positionAt(first.span.start);
    assert.equal(`${pos.line}:${pos.character}`, expected, first.message.template);
  });
}

test('parse keeps key and value offsets', () => {
  const text = 'services:\n  web:\n    image: nginx:1.27\n';
  const parsed = parseYaml(text);
  const image = getValue(getValue(getValue(parsed.root, 'services'), 'web'), 'image');
  assert.ok(image && image.kind === 'scalar');
  assert.equal(text.slice(image.span.start, image.span.end), 'nginx:1.27');
});

test('compose tags !reset and !override are accepted, not syntax errors', () => {
  const text = 'services:\n  web:\n    ports: !reset []\n    environment: !override\n      A: "1"\n';
  const parsed = parseYaml(text);
  assert.deepEqual(parsed.problems, []);
  const ports = getValue(getValue(getValue(parsed.root, 'services'), 'web'), 'ports');
  assert.equal(ports?.tag, '!reset');
});

test('merge keys and aliases resolve as Compose reads them', () => {
  const text = 'x-log: &log\n  driver: json-file\n  options: {max-size: 10m}\nservices:\n  web:\n    logging:\n      <<: *log\n      driver: local\n';
  const parsed = parseYaml(text);
  const value = toValue(parsed.root, parsed.anchors) as { services: { web: { logging: unknown } } };
  assert.deepEqual(value.services.web.logging, { driver: 'local', options: { 'max-size': '10m' } });
});

test('an alias bomb stops at the node budget', () => {
  let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 9; i++) {
    text += `a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]\n`;
  }
  const parsed = parseYaml(text);
  assert.throws(() => toValue(parsed.root, parsed.anchors, { maxNodes: 100_000 }), AliasBudgetExceeded);
});
