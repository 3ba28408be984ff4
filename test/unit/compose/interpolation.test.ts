import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lookupVariable, parseEnvFile, projectEnvFrom } from '../../../src/core/compose/envFile';
import { findVariableReferences, interpolate } from '../../../src/core/compose/interpolation';

const vars: Record<string, string> = { SET: 'value', EMPTY: '' };
const lookup = (name: string) => vars[name];

/** [input, expected output, expected unresolved names (required marked with !)]. */
const cases: [string, string, string[]][] = [
  ['${SET}', 'value', []],
  ['$SET/x', 'value/x', []],
  ['${UNSET}', '', ['UNSET']],
  ['$UNSET', '', ['UNSET']],
  ['${UNSET:-fallback}', 'fallback', []],
  ['${EMPTY:-fallback}', 'fallback', []],
  ['${EMPTY-fallback}', '', []],
  ['${UNSET-fallback}', 'fallback', []],
  ['${UNSET:?needed}', '', ['UNSET!']],
  ['${EMPTY:?needed}', '', ['EMPTY!']],
  ['${EMPTY?needed}', '', []],
  ['${SET:+alt}', 'alt', []],
  ['${UNSET:+alt}', '', []],
  ['$$SET and $${SET}', '$SET and ${SET}', []],
  ['${UNSET:-${SET}}', 'value', []],
  ['${UNSET:-${ALSO_UNSET}}', '', ['ALSO_UNSET']],
  ['price: 5$', 'price: 5$', []],
];

for (const [input, output, unresolved] of cases) {
  test(`interpolate ${input}`, () => {
    const result = interpolate(input, lookup);
    assert.equal(result.value, output);
    assert.deepEqual(result.unresolved.map((u) => u.name + (u.required ? '!' : '')), unresolved);
  });
}

test('references carry their spans, operator and nested references', () => {
  const text = 'x ${A:-${B}} $C $$D';
  const refs = findVariableReferences(text, 10);
  assert.deepEqual(
    refs.map((r) => [r.name, text.slice(r.span.start - 10, r.span.end - 10), r.operator ?? '']),
    [
      ['A', '${A:-${B}}', ':-'],
      ['B', '${B}', ''],
      ['C', '$C', ''],
    ],
  );
  assert.equal(text.slice(refs[0]!.nameSpan.start - 10, refs[0]!.nameSpan.end - 10), 'A');
});

test('.env parsing: export, quotes, inline comments, later lines win; .env before .env.example', () => {
  const env = parseEnvFile('# c\nexport A=1\nB="two words" \nC=\'x # y\'\nD=plain # comment\nA=2\nnot a line\n');
  assert.deepEqual([...env.values], [
    ['A', '2'],
    ['B', 'two words'],
    ['C', 'x # y'],
    ['D', 'plain'],
  ]);
  assert.equal(env.entries[0]!.keySpan.start, '# c\nexport '.length);
  const project = projectEnvFrom('A=from-env\n', 'A=from-example\nB=only-example\n');
  assert.deepEqual(lookupVariable(project, 'A'), { value: 'from-env', source: '.env' });
  assert.deepEqual(lookupVariable(project, 'B'), { value: 'only-example', source: '.env.example' });
  assert.equal(lookupVariable(project, 'C'), undefined);
});
