import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { generateArchitectureCompose } from '../../../bench/checkGenerator';
import { scalarsWithDollar } from '../../../src/core/rules/compose/variableRules';
import type { YamlNode } from '../../../src/core/yaml/ast';
import { parseYaml } from '../../../src/core/yaml/parse';
import { CORPUS, yamlFiles } from '../corpusFiles';

/** The walk env-undefined used before it skipped subtrees: every value scalar, then the ones whose source has a `$` (the only ones it reads). */
function everyScalarWithDollar(root: YamlNode | null, text: string): YamlNode[] {
  const found: YamlNode[] = [];
  const stack: (YamlNode | null)[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) continue;
    if (node.kind === 'scalar') {
      if (typeof node.value === 'string' && node.value.includes('$') && text.slice(node.span.start, node.span.end).includes('$')) found.push(node);
    } else if (node.kind === 'seq') for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i] ?? null);
    else if (node.kind === 'map') for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]?.value ?? null);
  }
  return found;
}

const corpus = CORPUS;
const written: Record<string, string> = {
  'flow and block': 'a: ${A}\nb: [x, "${B}", {c: $C}]\nd: |\n  run $D\ne: plain\nf: "\\x24NOT_IN_SOURCE"\n',
  'anchors and aliases': 'x: &v "${V}"\ny: *v\nz:\n  <<: {m: $M}\n',
  'dollar only in a key or a comment': '$key: 1\n# $COMMENT\nk: v # $TRAILING\n',
  'no dollar': 'services:\n  web:\n    image: nginx\n',
};

test('env-undefined reads the same scalars after skipping subtrees without a `$` (corpus, generated, CRLF, hand-written)', () => {
  const texts: [string, string][] = [
    ...Object.entries(written),
    ['generated', generateArchitectureCompose(40)],
    ...yamlFiles(corpus).map((file): [string, string] => [path.relative(corpus, file), fs.readFileSync(file, 'utf8')]),
  ];
  const withCrlf = texts.map(([name, text]): [string, string] => [`${name} (CRLF)`, text.replace(/\r?\n/g, '\r\n')]);
  let seen = 0;
  for (const [name, text] of [...texts, ...withCrlf]) {
    const root = parseYaml(text).root;
    const expected = everyScalarWithDollar(root, text);
    seen += expected.length;
    const actual = scalarsWithDollar(root, text).filter((node) => text.slice(node.span.start, node.span.end).includes('$'));
    assert.deepEqual(actual.map((n) => n.span), expected.map((n) => n.span), name);
  }
  assert.ok(seen > 100, `only ${seen} scalars with variables`);
});
