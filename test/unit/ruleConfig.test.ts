import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../src/core/findings';
import { msg } from '../../src/core/message';
import { applyRuleLevels, normalizeRuleLevels } from '../../src/core/rules/ruleConfig';
import { applySuppressions } from '../../src/core/rules/suppression';

const finding = (rule: string, start: number): Finding => ({ rule, severity: 'warning', message: msg('x'), span: { start, end: start + 1 } });

test('rule levels: junk is ignored, off drops, a level re-levels', () => {
  const levels = normalizeRuleLevels({ 'restart-missing': 'off', 'image-unpinned': 'error', bogus: 'loud', 'name-style': 3 });
  assert.deepEqual(levels, { 'restart-missing': 'off', 'image-unpinned': 'error' });
  const result = applyRuleLevels([finding('restart-missing', 0), finding('image-unpinned', 1), finding('name-style', 2)], levels);
  assert.deepEqual(result.map((f) => [f.rule, f.severity]), [['image-unpinned', 'error'], ['name-style', 'warning']]);
  assert.deepEqual(normalizeRuleLevels(['x']), {});
  assert.deepEqual(normalizeRuleLevels(null), {});
});

const text = [
  'services:', // line 0, offset 0
  '  # blueprint-disable-next-line restart-missing, image-unpinned -- legacy box', // line 1
  '  web:', // line 2
  '  db:', // line 3
].join('\n');
const lineStart = (line: number) => text.split('\n').slice(0, line).join('\n').length + (line > 0 ? 1 : 0);

test('disable-next-line suppresses the listed rules on the next line only', () => {
  const findings = [finding('restart-missing', lineStart(2)), finding('healthcheck-missing', lineStart(2)), finding('restart-missing', lineStart(3))];
  const kept = applySuppressions(text, findings);
  assert.deepEqual(kept.map((f) => [f.rule, f.span.start]), [['healthcheck-missing', lineStart(2)], ['restart-missing', lineStart(3)]]);
});

test('disable-file with no ids suppresses everything but yaml-syntax', () => {
  const whole = '# blueprint-disable-file\nservices: {}\n';
  const kept = applySuppressions(whole, [finding('restart-missing', 20), finding('yaml-syntax', 20)]);
  assert.deepEqual(kept.map((f) => f.rule), ['yaml-syntax']);
});
