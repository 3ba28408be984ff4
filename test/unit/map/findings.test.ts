import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupByService, serviceBlocks } from '../../../src/core/map/findings';
import { parseYaml } from '../../../src/core/yaml/parse';
import { COMMENTBOT_BASE, COMMENTBOT_OVERRIDE } from './fixtures';

const blocks = serviceBlocks([
  { file: 'base', parsed: parseYaml(COMMENTBOT_BASE) },
  { file: 'override', parsed: parseYaml(COMMENTBOT_OVERRIDE) },
]);
const at = (text: string, needle: string) => {
  const start = text.indexOf(needle);
  assert.ok(start >= 0, needle);
  return { start, end: start + needle.length };
};

test('service blocks span from the key to the end of the value, per file', () => {
  assert.deepEqual(blocks.map((b) => `${b.file}:${b.service}`), ['base:commentbot-core', 'base:ollama', 'base:whisper-service', 'override:commentbot-core', 'override:debug-tools']);
  const ollama = blocks.find((b) => b.service === 'ollama')!;
  assert.ok(COMMENTBOT_BASE.slice(ollama.span.start, ollama.span.end).startsWith('ollama:'));
  assert.ok(COMMENTBOT_BASE.slice(ollama.span.start, ollama.span.end).includes('ollama", "list"]'));
});

const cases: { name: string; file: string; text: string; needle: string; service: string | undefined }[] = [
  { name: 'on the key', file: 'base', text: COMMENTBOT_BASE, needle: 'whisper-service:\n    build', service: 'whisper-service' },
  { name: 'deep in the block', file: 'base', text: COMMENTBOT_BASE, needle: './bd/ollama-data', service: 'ollama' },
  { name: 'a dependency name inside another service', file: 'base', text: COMMENTBOT_BASE, needle: 'condition: service_healthy', service: 'commentbot-core' },
  { name: 'in the override', file: 'override', text: COMMENTBOT_OVERRIDE, needle: 'busybox:1.36', service: 'debug-tools' },
  { name: 'top-level networks belong to no service', file: 'base', text: COMMENTBOT_BASE, needle: 'driver: bridge', service: undefined },
  { name: 'another file', file: 'elsewhere', text: COMMENTBOT_BASE, needle: './bd/ollama-data', service: undefined },
];

for (const c of cases) {
  test(`a finding ${c.name} goes to ${c.service ?? 'no service'}`, () => {
    const grouped = groupByService(blocks, [{ file: c.file, span: at(c.text, c.needle), item: c.name }]);
    assert.deepEqual([...grouped.entries()], c.service ? [[c.service, [c.name]]] : []);
  });
}

test('findings keep their order within a service and count per service', () => {
  const items = ['./bd/ollama-data', 'ollama:\n    build:', 'context: ./build/commentbot-core'].map((needle, i) => ({ file: 'base', span: at(COMMENTBOT_BASE, needle), item: i }));
  const grouped = groupByService(blocks, items);
  assert.deepEqual(Object.fromEntries(grouped), { ollama: [0, 1], 'commentbot-core': [2] });
});
