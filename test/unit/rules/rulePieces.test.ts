import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { generateArchitectureCompose } from '../../../bench/checkGenerator';
import { findVariableReferences, nextTopLevelReference, referenceCursor, type VariableReference } from '../../../src/core/compose/interpolation';
import { splitVolume } from '../../../src/core/compose/merge';
import type { CNode } from '../../../src/core/compose/model';
import { msg } from '../../../src/core/message';
import { publishedPorts } from '../../../src/core/rules/compose/referenceRules';
import { modeListHasRo, shortVolumeParts } from '../../../src/core/rules/compose/services';
import { scalarsWithDollar } from '../../../src/core/rules/compose/variableRules';
import type { LocatedFinding } from '../../../src/core/rules/types';
import { isWhitespace, KeptFindings } from '../../../src/core/validation/checkProject';
import { parseYaml } from '../../../src/core/yaml/parse';
import { yamlFiles } from '../corpusFiles';

/** Pieces of the rules rewritten without temporary objects, each against the code it replaced, on written and random input. */

let seed = 7;
function random(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
function randomString(alphabet: string, maxLength: number): string {
  let text = '';
  const length = Math.floor(random() * maxLength);
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}

// ---- env-undefined: top-level references, scanned in place ----

/** What env-undefined read before: every reference of the slice, minus those nested in another. */
function legacyTopLevel(text: string, start: number, end: number): VariableReference[] {
  const raw = text.slice(start, end);
  if (!raw.includes('$')) return [];
  const all = findVariableReferences(raw, start);
  return all.filter((ref) => !all.some((outer) => outer !== ref && outer.span.start < ref.span.start && ref.span.end <= outer.span.end));
}

function scanned(text: string, start: number, end: number): { name: string; span: { start: number; end: number }; operator?: string }[] {
  const found: { name: string; span: { start: number; end: number }; operator?: string }[] = [];
  const ref = referenceCursor();
  for (let at = start; nextTopLevelReference(text, at, end, ref); at = ref.end) {
    found.push({ name: text.slice(ref.nameStart, ref.nameEnd), span: { start: ref.start, end: ref.end }, ...(ref.operator !== undefined ? { operator: ref.operator } : {}) });
  }
  return found;
}

function assertSameReferences(text: string, start: number, end: number, label: string): number {
  const expected = legacyTopLevel(text, start, end).map((ref) => ({ name: ref.name, span: ref.span, ...(ref.operator !== undefined ? { operator: ref.operator } : {}) }));
  assert.deepEqual(scanned(text, start, end), expected, `${label}: ${JSON.stringify(text.slice(start, end))}`);
  return expected.length;
}

test('nextTopLevelReference finds the top-level references findVariableReferences found in the slice', () => {
  const written = ['$A ${B} ${C:-d} ${D-${E}} ${F:?m} ${G?} ${H:+x} ${I+y}', '$$A $$${B} ${', '${A:-${B:-${C}}} tail $D', '${1BAD} ${A B} ${A:} ${} $ $1 ${A', 'x${A}y$B_1z', '${A:-{}} ${A:-}}', '$'];
  let found = 0;
  for (const text of written) found += assertSameReferences(text, 0, text.length, 'written');
  for (let i = 0; i < 4000; i++) {
    const text = randomString('$${}:-?+AB_1 x', 24);
    found += assertSameReferences(text, 0, text.length, 'random');
    // A slice of a larger text: nothing past `end` may be read (a `$` or a `}` just after it).
    const start = Math.floor(random() * (text.length + 1));
    const end = start + Math.floor(random() * (text.length - start + 1));
    found += assertSameReferences(text, start, end, 'random slice');
  }
  assert.ok(found > 1500, `only ${found} references`);
});

test('nextTopLevelReference reads every scalar with a `$` of the corpus and a generated file as before', () => {
  let found = 0;
  const texts = [generateArchitectureCompose(30), ...yamlFiles().map((file) => fs.readFileSync(file, 'utf8'))];
  for (const text of texts) {
    for (const scalar of scalarsWithDollar(parseYaml(text).root, text)) found += assertSameReferences(text, scalar.span.start, scalar.span.end, 'scalar');
  }
  assert.ok(found > 100, `only ${found} references`);
});

// ---- port-conflict: published host ports ----

/** port-conflict's reading before: splits, a regular expression and an array of ports. */
function legacyPublished(text: string): { ip: string; ports: number[]; protocol: string } | undefined {
  const [spec, protocol = 'tcp'] = text.split('/');
  const parts = (spec ?? '').split(':');
  if (parts.length < 2) return undefined;
  const host = parts[parts.length - 2] ?? '';
  const ip = parts.slice(0, -2).join(':').replace(/^\[|\]$/g, '');
  if (host === '') return undefined;
  return { ip, ports: legacyRange(host), protocol };
}

function legacyRange(text: string): number[] {
  const [first, last] = text.split('-').map((p) => Number(p));
  if (first === undefined || !Number.isInteger(first)) return [];
  const end = last !== undefined && Number.isInteger(last) && last >= first ? Math.min(last, first + 1000) : first;
  const ports: number[] = [];
  for (let p = first; p <= end; p++) ports.push(p);
  return ports;
}

function scalar(value: string): CNode {
  const node = { kind: 'scalar' as const, value, style: 'plain' as const, span: { start: 0, end: value.length } };
  return { kind: 'scalar', value, origin: { file: 0, node } };
}

const asText = (node: CNode | undefined) => (node?.kind === 'scalar' && node.value !== null ? String(node.value) : undefined);

function readPorts(text: string): { ip: string; ports: number[]; protocol: string } | undefined {
  const published = publishedPorts(asText, scalar(text));
  if (!published) return undefined;
  const ports: number[] = [];
  for (let port = published.first; port <= published.last; port++) ports.push(port);
  return { ip: published.ip, ports, protocol: published.protocol };
}

test('publishedPorts reads short port specs as the splitting code did', () => {
  const written = ['80', '8080:80', '127.0.0.1:8080:80/udp', '[::1]:9000-9002:80', '::1:80:80', ':80', '80:', '-8080:80', '8080-8079:80', '1-5000:1', '0x10:1', ' 80 :1', '80:80/tcp/extra', '/80:1', 'a:b:c:d', '[:80:1', ']:80:1', '1.5:2', '99999999999:1', '0012:1', '8080-:1', '-:1'];
  for (const text of written) assert.deepEqual(readPorts(text), legacyPublished(text), text);
  for (let i = 0; i < 5000; i++) {
    const text = randomString('0123456789:-/[].a ', 16);
    assert.deepEqual(readPorts(text), legacyPublished(text), JSON.stringify(text));
  }
});

// ---- mounts: short volume specs and modes ----

test('shortVolumeParts splits as splitVolume does, drive letters included', () => {
  const written = ['', 'data', './a:/b', './a:/b:ro', 'a:b:c:d', 'C:\\data:/data:rw', '/x:C:/y', 'c:/x', 'C:x:/y', 'a:', ':b', '::'];
  const texts = [...written, ...Array.from({ length: 5000 }, () => randomString('Cc:/\\.ab', 12))];
  for (const text of texts) {
    const expected = splitVolume(text);
    assert.deepEqual(shortVolumeParts(text), { source: expected.source, target: expected.target, mode: expected.mode }, JSON.stringify(text));
  }
});

test('modeListHasRo answers as splitting on commas did', () => {
  const texts = ['', 'ro', 'rw', 'rw,ro', 'z,ro,', 'ro,z', 'rox', 'r', ',ro', 'o', ...Array.from({ length: 3000 }, () => randomString('ro,wz', 8))];
  for (const text of texts) {
    assert.equal(modeListHasRo(text), text.split(',').includes('ro'), text);
    // From an offset, as a mount's mode after its second colon is read in place.
    assert.equal(modeListHasRo(`a:b:${text}`, 4), text.split(',').includes('ro'), `a:b:${text}`);
  }
  assert.equal(modeListHasRo(undefined), false);
});

// ---- checkPrepared: trimming a finding's end, dropping repeated findings ----

test('isWhitespace is /\\s/ for every UTF-16 code unit, and false past the end of a text', () => {
  for (let code = 0; code <= 0xffff; code++) assert.equal(isWhitespace(code), /\s/.test(String.fromCharCode(code)), `U+${code.toString(16)}`);
  assert.equal(isWhitespace(''.charCodeAt(0)), /\s/.test(''[0] ?? ''));
});

test('KeptFindings keeps what the key string per finding kept', () => {
  const templates = ['A {0}', 'B {0} {1}', 'A|{0}'];
  const argsChoices: (string | number)[][] = [[], ['x'], ['x', 'y'], ['x\u0000y'], [1], ['1'], ['a|b'], ['x', ''], ['x\u0000', 'y']];
  const findings: LocatedFinding[] = Array.from({ length: 6000 }, () => ({
    file: Math.floor(random() * 3),
    rule: ['r-a', 'r-b'][Math.floor(random() * 2)]!,
    message: msg(templates[Math.floor(random() * templates.length)]!, ...argsChoices[Math.floor(random() * argsChoices.length)]!),
    span: { start: Math.floor(random() * 6), end: Math.floor(random() * 6) },
  }));
  const seen = new Set<string>();
  const kept = new KeptFindings();
  let dropped = 0;
  for (const finding of findings) {
    const key = `${finding.file}|${finding.rule}|${finding.span.start}|${finding.span.end}|${finding.message.template}|${finding.message.args.join('\u0000')}`;
    const expected = !seen.has(key);
    seen.add(key);
    if (!expected) dropped++;
    assert.equal(kept.add(finding), expected, key);
  }
  assert.ok(dropped > 1000, `only ${dropped} repeats`);
});
