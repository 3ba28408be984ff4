import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMessage } from '../../../src/core/message';
import { envPrefix, suggestName, validateProjectName, validateServiceName } from '../../../src/core/scaffold/names';

const cases: [string, readonly string[], RegExp | undefined][] = [
  ['api', [], undefined],
  ['commentbot-core', [], undefined],
  ['web2', [], undefined],
  ['', [], /Enter a service name/],
  ['   ', [], /Enter a service name/],
  ['Api', [], /lowercase/],
  ['my_api', [], /lowercase/],
  ['-api', [], /lowercase/],
  ['api-', [], /lowercase/],
  ['a--b', [], /lowercase/],
  ['9api', [], /lowercase/],
  ['api/v2', [], /path separator/],
  ['api\\v2', [], /path separator/],
  ['..', [], /"\.\."/],
  ['a..b', [], /"\.\."/],
  ['x'.repeat(64), [], /at most 63/],
  ['redis', ['postgres', 'redis'], /already has a service named "redis"/],
];

for (const [value, existing, expected] of cases) {
  test(`validateServiceName(${JSON.stringify(value)})`, () => {
    const problem = validateServiceName(value, existing);
    if (!expected) assert.equal(problem, undefined);
    else assert.match(formatMessage(problem!), expected);
  });
}

test('validateProjectName shares the rules but knows no services, and never throws on odd input', () => {
  assert.equal(validateProjectName('my-project'), undefined);
  assert.match(formatMessage(validateProjectName('My Project')!), /for example "my-project"/);
  for (const odd of ['\u0000', '💥', 'a'.repeat(10000), '../../etc']) assert.doesNotThrow(() => validateProjectName(odd));
});

test('suggestName and envPrefix', () => {
  assert.equal(suggestName('My API_v2'), 'my-api-v2');
  assert.equal(suggestName('42 things'), 'things');
  assert.equal(suggestName('---'), '');
  assert.equal(envPrefix('commentbot-core'), 'COMMENTBOT_CORE');
});
