import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findVariableReferences, type InterpolationOperator, type VariableReference } from '../../../src/core/compose/interpolation';

/** The first implementation (regular expressions, one character at a time): the reference the fast scan must match. */
function referenceScan(text: string, base = 0): VariableReference[] {
  const found: VariableReference[] = [];
  const matchingBrace = (open: number): number => {
    let depth = 0;
    for (let j = open; j < text.length; j++) {
      if (text[j] === '{') depth++;
      else if (text[j] === '}' && --depth === 0) return j;
    }
    return -1;
  };
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '$') {
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      i += 2;
      continue;
    }
    if (next === '{') {
      const close = matchingBrace(i + 1);
      if (close < 0) {
        i++;
        continue;
      }
      const inner = text.slice(i + 2, close);
      const nameMatch = /^[A-Za-z_][A-Za-z0-9_]*/.exec(inner);
      if (nameMatch) {
        const name = nameMatch[0];
        const rest = inner.slice(name.length);
        const op = /^(:-|:\?|:\+|-|\?|\+)/.exec(rest)?.[0] as InterpolationOperator | undefined;
        const argument = op ? rest.slice(op.length) : undefined;
        if (op || rest === '') {
          found.push({ name, span: { start: base + i, end: base + close + 1 }, nameSpan: { start: base + i + 2, end: base + i + 2 + name.length }, ...(op ? { operator: op, argument } : {}) });
          if (argument) found.push(...referenceScan(argument, base + i + 2 + name.length + (op?.length ?? 0)));
        }
      }
      i = close + 1;
      continue;
    }
    if (next !== undefined && /[A-Za-z_]/.test(next)) {
      let end = i + 2;
      while (end < text.length && /[A-Za-z0-9_]/.test(text[end] ?? '')) end++;
      found.push({ name: text.slice(i + 1, end), span: { start: base + i, end: base + end }, nameSpan: { start: base + i + 1, end: base + end } });
      i = end;
      continue;
    }
    i++;
  }
  return found;
}

const written = [
  '',
  'plain',
  '$',
  '$$',
  '$$VAR',
  '$VAR',
  'a$VAR-b',
  '${VAR}',
  '${VAR:-default}',
  '${VAR-default}',
  '${VAR:?must be set}',
  '${VAR?msg}',
  '${VAR:+alt}',
  '${VAR+alt}',
  '${VAR:}',
  '${VAR:x}',
  '${VAR x}',
  '${1VAR}',
  '${}',
  '${',
  '${VAR',
  '${A:-${B:-${C}}}',
  '${A:-$B}',
  '${A:-{x}}',
  '$1 $_x ${_y} ${Z9:?}',
  'http://${HOST:-localhost}:${PORT:-80}/path',
  '${ENVIRONMENT:-production}',
  'pg_isready -U $${POSTGRES_USER:-postgres}',
  '${A:?${B}}',
  '${A:-}',
  '😀$VAR😀${B}',
];

test('findVariableReferences gives what the regular-expression scan gave, on written and random strings', () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const alphabet = ['$', '$', '{', '}', ':', '-', '?', '+', 'A', 'b', '_', '9', ' ', 'é'];
  const generated = Array.from({ length: 3000 }, () => Array.from({ length: Math.floor(random() * 14) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
  for (const text of [...written, ...generated]) {
    assert.deepEqual(findVariableReferences(text, 5), referenceScan(text, 5), JSON.stringify(text));
  }
});
