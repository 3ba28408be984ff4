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

/** The line starts as the first implementation computed them: one character at a time. */
function referenceLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) starts.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return starts;
}

const mixedTexts: { name: string; text: string }[] = [
  { name: 'empty', text: '' },
  { name: 'only LF', text: '\n\n\n' },
  { name: 'LF without a final break', text: 'services:\n  web:\n    image: nginx' },
  { name: 'CRLF', text: 'a\r\nb\r\n' },
  { name: 'lone CR at the end', text: 'a\nb\r' },
  { name: 'CR then LF apart', text: 'a\r\r\nb\n\rc' },
  { name: 'astral characters (two UTF-16 units)', text: 'x: "😀"\ny: 😀😀\r\nz' },
];

for (const c of mixedTexts) {
  test(`LineIndex: every offset of "${c.name}" maps as a character-by-character scan says`, () => {
    const index = new LineIndex(c.text);
    const starts = referenceLineStarts(c.text);
    assert.equal(index.lineCount, starts.length);
    for (let offset = 0; offset <= c.text.length; offset++) {
      let line = 0;
      while (line + 1 < starts.length && (starts[line + 1] ?? 0) <= offset) line++;
      assert.deepEqual(index.positionAt(offset), { line, character: offset - (starts[line] ?? 0) }, `offset ${offset}`);
    }
    starts.forEach((start, line) => assert.equal(index.lineStart(line), start));
  });
}
