import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineIndex } from '../../src/core/text/lineIndex';

const cases: { name: string; text: string; offset: number; line: number; character: number }[] = [
  { name: 'start of text', text: 'a\nb', offset: 0, line: 0, character: 0 },
  { name: 'after LF', text: 'a\nb', offset: 2, line: 1, character: 0 },
  { name: 'CRLF counts as one break', text: 'ab\r\ncd', offset: 5, line: 1, character: 1 },
  { name: 'lone CR breaks a line', text: 'ab\rcd', offset: 3, line: 1, character: 0 },
  { name: 'end of text', text: 'ab\ncd', offset: 5, line: 1, character: 2 },
  { name: 'past the end is clamped', text: 'ab', offset: 99, line: 0, character: 2 },
];

for (const c of cases) {
  test(`LineIndex.positionAt: ${c.name}`, () => {
    const index = new LineIndex(c.text);
    assert.deepEqual(index.positionAt(c.offset), { line: c.line, character: c.character });
    assert.equal(index.offsetAt({ line: c.line, character: c.character }), Math.min(c.offset, c.text.length));
  });
}
