import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeRelative } from '../../../src/core/rules/compose/helpers';

// The fast path for canonical `./a/b` must agree with the general walk on every nearby shape.
const cases: [input: string, expected: string | undefined][] = [
  ['./build/web', 'build/web'],
  ['./bd/service-0', 'bd/service-0'],
  ['./a', 'a'],
  ['./.hidden/x', '.hidden/x'],
  ['./.../x', '.../x'],
  ['./a/', 'a'],
  ['./a//b', 'a/b'],
  ['./a/./b', 'a/b'],
  ['./a/../b', 'b'],
  ['./..', '..'],
  ['./../x', '../x'],
  ['./.', '.'],
  ['./', '.'],
  ['.', '.'],
  ['.\\build\\web', 'build/web'],
  ['./a\\b', 'a/b'],
  ['build/web', 'build/web'],
  ['build/service-0/Dockerfile', 'build/service-0/Dockerfile'],
  ['Dockerfile', 'Dockerfile'],
  ['a//b', 'a/b'],
  ['a/./b', 'a/b'],
  ['a/', 'a'],
  ['a/..', '.'],
  ['..', '..'],
  ['.x/y', '.x/y'],
  ['a\\b', 'a/b'],
  ['~user/x', undefined],
  ['git@host:x', undefined],
  ['ssh://host/x', undefined],
  ['../up', '../up'],
  ['/abs', undefined],
  ['~/home', undefined],
  ['C:\\x', undefined],
  ['https://example.com/repo.git', undefined],
  ['git@github.com:a/b.git', undefined],
];

for (const [input, expected] of cases) {
  test(`normalizeRelative(${JSON.stringify(input)}) = ${JSON.stringify(expected)}`, () => {
    assert.equal(normalizeRelative(input), expected);
  });
}
