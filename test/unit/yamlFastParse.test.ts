import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { YamlNode } from '../../src/core/yaml/ast';
import { fastParseYaml } from '../../src/core/yaml/fastParse';
import { parseYamlWithLibrary, type ParsedYaml } from '../../src/core/yaml/parse';
import { generateArchitectureCompose } from '../../bench/checkGenerator';
import { CORPUS, yamlFiles } from './corpusFiles';

/** A tree as comparable data: kinds, values, styles, tags, anchors and every span. */
function shape(parsed: ParsedYaml): unknown {
  const node = (n: YamlNode | null): unknown => {
    if (!n) return null;
    const base = { kind: n.kind, span: [n.span.start, n.span.end], tag: n.tag, anchor: n.anchor };
    switch (n.kind) {
      case 'scalar':
        return { ...base, value: Number.isNaN(n.value) ? 'NaN' : n.value, style: n.style };
      case 'alias':
        return { ...base, name: n.name };
      case 'seq':
        return { ...base, flow: n.flow, items: n.items.map(node) };
      case 'map':
        return { ...base, flow: n.flow, items: n.items.map((p) => ({ span: [p.span.start, p.span.end], key: node(p.key), value: node(p.value) })) };
    }
  };
  return { root: node(parsed.root), anchors: [...parsed.anchors.keys()], problems: parsed.problems.length, documents: parsed.documentCount };
}

const corpus = CORPUS;
/** Snippets covering what compose files use; each must give the same tree both ways (or be declined). */
const snippets: string[] = [
  'a:\n  b: 1\n  c:\n    - x\n    - y\nd: |\n  line1\n  line2\n\ne: >-\n  f\n  g\nh:\ni: &an\n  j: k\nl: *an\nm: !reset\nn: !override\n  - 1\no: [a, "b", {c: d}]\n',
  '- a\n- b: c\n  d: e\n-\n- [x]\n',
  'a: 1 # c\nb: "x" # c\n\n# end\n',
  'k: |+\n  keep\n\n\nz: 1\n',
  'a:\n- x\n- y\nb: 2',
  'a:\n  b: 1\n  # inner comment\n\n# outer\nc: 2\n',
  'a:\n  - x\n  # comment in list\n  - y\n  # trailing\nb: 1\n',
  'nums: [1, -2, +3, 0o17, 0x1F, 1.5, .5, 1e3, .inf, -.Inf, .nan, 010, 1_000]\nbools: [true, False, TRUE, yes, no, on]\nnulls: [~, null, Null, NULL]\n',
  "q: 'it''s'\nd: \"tab\\there \\u00e9 \\\"q\\\" \\\\ \\/\"\n",
  'url: http://example.com:8080/path#frag\nport: "8080:80"\nbare: 8080:80\ntime: 1:30\n',
  'test: ["CMD", "curl", "-f",\n       "http://localhost"]\n',
  'x: &x {a: 1}\ny:\n  <<: *x\n  b: 2\nz:\n  <<: [*x]\n',
  'env:\n  - A=${A:-}\n  - B=${B:?required}\n  - "C=$$literal"\n',
  '---\nservices:\n  web:\n    image: nginx\n',
  'a: -x\nb: ?y\nc: :z\nd: x:y\ne: a #not comment#\n',
  'a: |-\n  one\n\n  two\nb: >\n  folded\n  text\n\n  para\n',
  'a: !override [1, 2]\nb: !reset {}\nc: !reset null\n',
  'a:\r\n  b: c\r\n  d:\r\n    - e\r\n',
  // A lone carriage return is a line break for YAML: the fast path must decline or agree, never misplace columns.
  'a: 1\rb: 2\n',
  'services:\n  web:\r    image: nginx\n',
  'a:\n  - x\r  - y\n',
  'key with spaces: v\n"quoted key": 1\n\'single\': 2\n80: 1\ntrue: 2\n',
  'a: b\n  c\n',
  'a: [1, 2\n',
  'a: b: c\n',
  'a: 1\na: 2\n',
  '\tindent: 1\n',
  '%YAML 1.2\n---\na: 1\n',
  'a: 1\n---\nb: 2\n',
  '? complex\n: value\n',
  'a: &anchor\n',
  'a: !custom x\n',
  'a: *undefined\n',
  '',
  '# only a comment\n',
  'just a scalar\n',
  '- top\n- list\n',
  'a:    \n  b: 1\n',
  'a:   # comment\n  - 1\n',
  'a: >+\n  keep\n\nb: 1\n',
  'a: [ ]\nb: { }\nc: [a, b, ]\n',
  'a: "multi\n  line"\n',
  'a: plain\n  continued\n',
  'a:\n  - b:\n      c: 1\n    d: 2\n  - - nested\n    - seq\n',
  // Comment lines after a collection's last value: which collection's span they extend follows `yaml`.
  'a:\n  b: 1\n  # c4\nd: 1\n',
  'a:\n  b: 1\n# c0\nd: 1\n',
  'a:\n  b: 1\n\n  # c4 after blank\nd: 1\n',
  'a:\n  b: 1\n    # c6\nd: 1\n',
  'a:\n  b: 1\n # c1\nd: 1\n',
  'a:\n  - 1\n  # c\nd: 1\n',
  'a:\n  b: 1\n  # c',
  'a:\n  b:\n    c: 1\n    # c4\n  # c2\nd: 1\n',
  'a:\n  b:\n    c: 1\n  # c2\n    # c4\nd: 1\n',
  'a:\n  b:\n    c: 1\n   # c3\nd: 1\n',
  'a:\n  b:\n    c: 1\n      # c6\n\n      # c6 again\n  # c2\n\nd: 1\n',
  'a:\n  b: |\n    x\n  # c2\nd: 1\n',
  'a:\n  b: |\n    x\n      # more indented: content\n    # c4\nd: 1\n',
  'a:\n  b: [1]\n    # c4\nd: 1\n',
  'a:\n  - b: 1\n    # c4\n  - c\n',
  'a:\n  - b: 1\n      # c6\n    # c4\n  # c2\n',
  'a: # comment\n  b: 1\nc: # comment\n  - 1\nd: # empty\ne: 1\n',
  'a:\n  # first\n  b: 1\n',
  'a:\n  b:\n  # comment after an empty value\nc: 1\n',
  'services:\n  web:\n    command: ["sh", "-c", "echo \'hi\'; sleep 1"]\n    labels:\n      com.example.description: "Accounting webapp"\n',
];

test('fast parse builds the same tree as yaml for every snippet it accepts', () => {
  let accepted = 0;
  for (const text of snippets) {
    const fast = fastParseYaml(text);
    if (!fast) continue;
    accepted++;
    assert.deepEqual(shape(fast), shape(parseYamlWithLibrary(text)), JSON.stringify(text));
  }
  assert.ok(accepted >= 25, `only ${accepted} snippets took the fast path`);
});

test('fast parse declines every snippet that yaml reports a problem for', () => {
  for (const text of snippets) {
    if (parseYamlWithLibrary(text).problems.length > 0) assert.equal(fastParseYaml(text), undefined, JSON.stringify(text));
  }
});

test('fast parse builds the same tree as yaml over the whole corpus and generated architecture files', () => {
  const texts = yamlFiles(corpus).map((file) => [path.relative(corpus, file), fs.readFileSync(file, 'utf8')] as const);
  for (const services of [1, 5, 50]) {
    texts.push([`generated ${services}`, generateArchitectureCompose(services)]);
    texts.push([`generated ${services}, inline logging`, generateArchitectureCompose(services, { logging: 'inline' })]);
  }
  // The same files with CRLF line breaks: columns and spans must still agree.
  for (const [name, text] of [...texts]) if (!text.includes('\r')) texts.push([`${name} (CRLF)`, text.replace(/\n/g, '\r\n')]);
  let accepted = 0;
  const declined: string[] = [];
  for (const [name, text] of texts) {
    const fast = fastParseYaml(text);
    if (!fast) {
      declined.push(name);
      continue;
    }
    accepted++;
    assert.deepEqual(shape(fast), shape(parseYamlWithLibrary(text)), name);
  }
  // Nearly every real file takes the fast path; the rest are still parsed (by yaml), only slower.
  assert.ok(accepted >= texts.length * 0.95, `declined: ${declined.join(', ')}`);
});
