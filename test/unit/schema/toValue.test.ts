import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseYaml } from '../../../src/core/yaml/parse';
import { AliasBudgetExceeded, toValue, type PlainValue, type ToValueOptions } from '../../../src/core/yaml/toValue';
import { generateArchitectureCompose } from '../../../bench/checkGenerator';
import { yamlFiles } from '../corpusFiles';

/**
 * What toValue (src/core/yaml/toValue.ts) makes of every compose file of the fixtures, generated files and
 * hand-written YAML aimed at the edge cases, for every option set, against a record (toValue.golden.json): per
 * input and option set, a digest of the value (values and their types, key order, `__proto__` as an own key,
 * property descriptors, and which objects are shared and where), the smallest node budget that fits, and what a
 * conversion gives at budgets around it (the AliasBudgetExceeded's budget, or the value's digest). It guards
 * refactors of toValue (the cheaper toValue of commit 676a556 was checked against a frozen copy of the code it
 * replaced; this record was made from that copy).
 *
 * A change of behaviour on purpose: run with UPDATE_TOVALUE_GOLDEN=1 (it rewrites toValue.golden.json in the
 * source tree) and read its diff before committing it. A new fixture file is a new input: record it the same way.
 */

const GOLDEN = ((): string => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'test/unit/schema'))) return path.join(dir, 'test/unit/schema/toValue.golden.json');
    if (path.dirname(dir) === dir) throw new Error(`no test/unit/schema above ${__dirname}`);
  }
})();
const root = path.resolve(GOLDEN, '../../../..');

/** [name, YAML text]: aliases, merges, tags, odd keys, empty values. */
const edgeCases: [string, string][] = [
  ['merge of one alias, explicit key wins', 'x: &x {a: 1, b: 2}\ny:\n  <<: *x\n  b: 3\n'],
  ['merge of a list, earlier source wins', 'p: &p {a: 1, c: 1}\nq: &q {a: 2, b: 2}\nr:\n  <<: [*p, *q]\n  d: 4\n'],
  ['merge after explicit keys', 'p: &p {a: 1}\nr:\n  a: 0\n  <<: *p\n'],
  ['nested merges', 'a: &a {x: 1}\nb: &b\n  <<: *a\n  y: 2\nc:\n  <<: *b\n  z: 3\n'],
  ['merge of a non-mapping is ignored', 'a: &a [1, 2]\nb:\n  <<: *a\n  c: 1\nd:\n  <<: 5\n'],
  ['quoted << is an ordinary key', 'a: &a {x: 1}\nb:\n  "<<": *a\n'],
  ['two merge keys', 'a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: *a\n  <<: *b\n'],
  ['__proto__ keys', '__proto__: 1\nmap:\n  __proto__: {polluted: true}\n  constructor: 2\n  toString: 3\n'],
  ['merged __proto__', 'a: &a {__proto__: {x: 1}}\nb:\n  <<: *a\n'],
  ['non-scalar keys', '? [a, b]\n: 1\n? {c: d}\n: 2\n? null\n: 3\n'],
  ['numeric, boolean and null keys', '1: a\n2.5: b\ntrue: c\nnull: d\n~: e\n'],
  ['empty values', 'a:\nb: ~\nc: []\nd: {}\ne: [~, , ]\n'],
  ['!reset and !override', 'services:\n  web:\n    ports: !reset []\n    environment: !override\n      A: "1"\n    labels: !reset\n'],
  ['alias to a scalar and a sequence', 's: &s hello\nl: &l [1, 2]\nt: *s\nu: *l\nv: [*s, *l]\n'],
  ['self-referencing anchor', 'a: &a\n  b: *a\n  c: 1\n'],
  ['alias of an unknown anchor', 'a: *nowhere\n'],
  ['repeated anchor name', 'a: &x 1\nb: *x\nc: &x 2\nd: *x\n'],
  ['duplicate keys', 'a: 1\na: 2\nb: {c: 1, c: 2}\n'],
  ['deep nesting', 'a: [[[[[{b: [[{c: 1}]]}]]]]]\n'],
  ['alias bomb', (() => {
    let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 6; i++) text += `a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]\n`;
    return text;
  })()],
];

function texts(): [string, string][] {
  const out: [string, string][] = [...edgeCases];
  for (const file of yamlFiles(path.join(root, 'test/fixtures'))) out.push([path.relative(root, file).split(path.sep).join('/'), fs.readFileSync(file, 'utf8')]);
  out.push(['generated, anchor', generateArchitectureCompose(30)]);
  out.push(['generated, inline', generateArchitectureCompose(30, { logging: 'inline' })]);
  return out;
}

const optionSets: ToValueOptions[] = [
  {},
  { dropReset: true },
  { shareAliases: true },
  { dropReset: true, shareAliases: true, maxNodes: 2_000_000 },
];

/** The key of an option set in the record: `default`, `dropReset`, `dropReset+shareAliases+maxNodes=2000000`. */
function label(options: ToValueOptions): string {
  return Object.entries(options).map(([name, value]) => (value === true ? name : `${name}=${String(value)}`)).join('+') || 'default';
}

/**
 * A text that tells apart every two values toValue's callers could tell apart: scalars with their types
 * (`-0` included), each object's prototype and own keys in order with their descriptors, and sharing: an
 * object is numbered where it is first met (`&3`) and later meetings refer back to it (`*3`).
 */
function serialize(value: PlainValue): string {
  const numbers = new Map<object, number>();
  const parts: string[] = [];
  const walk = (current: unknown): void => {
    if (typeof current === 'number') parts.push(Object.is(current, -0) ? '-0' : String(current));
    else if (typeof current === 'string') parts.push(JSON.stringify(current));
    else if (current === null || typeof current !== 'object') parts.push(String(current));
    else if (numbers.has(current)) parts.push(`*${numbers.get(current)!}`);
    else {
      numbers.set(current, numbers.size);
      const prototype: unknown = Object.getPrototypeOf(current);
      const kind = prototype === Array.prototype ? '[' : prototype === Object.prototype ? '{' : prototype === null ? '{null ' : '{other ';
      parts.push(`&${numbers.size - 1}${kind}`);
      for (const key of Reflect.ownKeys(current)) {
        const descriptor = Object.getOwnPropertyDescriptor(current, key)!;
        const flags = `${descriptor.enumerable ? 'e' : ''}${descriptor.writable ? 'w' : ''}${descriptor.configurable ? 'c' : ''}${'value' in descriptor ? '' : 'get/set'}`;
        parts.push(`${typeof key === 'string' ? JSON.stringify(key) : String(key)}${flags === 'ewc' ? '' : `(${flags})`}:`);
        walk(descriptor.value);
        parts.push(',');
      }
      parts.push(kind === '[' ? ']' : '}');
    }
  };
  walk(value);
  return parts.join('');
}

function digest(value: PlainValue): string {
  return crypto.createHash('sha256').update(serialize(value)).digest('hex').slice(0, 24);
}

/** A conversion's outcome as recorded: the digest of its value, or the budget of the AliasBudgetExceeded it threw. */
type Outcome = string | number;

interface OptionRecord {
  /** At the option set's own budget. */
  readonly value: Outcome;
  /** Only for the option sets swept through budgets: the smallest budget that fits, and what budgets around it give. */
  readonly nodes?: number;
  readonly at?: { readonly [budget: string]: Outcome };
}

type InputRecord = { readonly [optionSet: string]: OptionRecord };

function outcome(convert: () => PlainValue): Outcome {
  try {
    return digest(convert());
  } catch (error) {
    if (error instanceof AliasBudgetExceeded) return error.budget;
    throw error;
  }
}

let conversions = 0;
let overBudget = 0;

function record(text: string): InputRecord {
  const parsed = parseYaml(text);
  const convert = (options: ToValueOptions): Outcome => {
    const made = outcome(() => toValue(parsed.root, parsed.anchors, options));
    conversions++;
    if (typeof made === 'number') overBudget++;
    return made;
  };
  const made: { [optionSet: string]: OptionRecord } = {};
  for (const options of optionSets) {
    const value = convert(options);
    // Only the default options and the set with its own budget are swept through budgets that stop the
    // conversion somewhere inside it, or exactly at its end.
    if (options !== optionSets[0] && options.maxNodes === undefined) {
      made[label(options)] = { value };
      continue;
    }
    const fits = (budget: number): boolean => {
      try {
        toValue(parsed.root, parsed.anchors, { ...options, maxNodes: budget });
        return true;
      } catch (error) {
        if (error instanceof AliasBudgetExceeded) return false;
        throw error;
      }
    };
    // The smallest budget that fits, found exactly: a change in how nodes are counted shows here first.
    let high = 1;
    while (!fits(high)) high *= 2;
    let low = high / 2;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (fits(middle)) high = middle;
      else low = middle;
    }
    const at: { [budget: string]: Outcome } = {};
    for (const budget of [1, 2, 7, Math.floor(high / 2), high - 1, high]) if (budget >= 1) at[budget] = convert({ ...options, maxNodes: budget });
    made[label(options)] = { value, nodes: high, at };
  }
  return made;
}

const golden: { [input: string]: InputRecord } = fs.existsSync(GOLDEN) ? (JSON.parse(fs.readFileSync(GOLDEN, 'utf8')) as { [input: string]: InputRecord }) : {};
const updating = process.env.UPDATE_TOVALUE_GOLDEN === '1';
const made: { [input: string]: InputRecord } = {};

test('toValue gives what the record holds, for every option set, on fixtures, generated files and edge cases', (t) => {
  for (const [name, text] of texts()) {
    const now = record(text);
    made[name] = now;
    if (updating) continue;
    const expected = golden[name];
    assert.ok(expected, `${name}: not in toValue.golden.json (run with UPDATE_TOVALUE_GOLDEN=1 if the input is new)`);
    assert.deepEqual(Object.keys(now), Object.keys(expected), `${name}: option sets`);
    for (const [optionSet, mine] of Object.entries(now)) {
      const theirs: OptionRecord = expected[optionSet]!;
      const where = `${name} (${optionSet})`;
      const say = (made: Outcome): string => (typeof made === 'number' ? `over budget (${made})` : `value ${made}`);
      assert.equal(mine.nodes, theirs.nodes, `${where}: the smallest budget that fits (nodes counted)`);
      assert.equal(mine.value, theirs.value, `${where}: ${say(mine.value)} instead of ${say(theirs.value)}`);
      assert.deepEqual(mine.at, theirs.at, `${where}: outcomes at budgets around ${String(theirs.nodes)}`);
    }
  }
  t.diagnostic(`${conversions} conversions compared, ${overBudget} of them over budget`);
  assert.ok(conversions > 5000 && overBudget > 1000, `${conversions} compared, ${overBudget} over budget`);
});

test('the record holds no input that no longer exists', { skip: updating ? 'rewriting the record' : false }, () => {
  const names = new Set(texts().map(([name]) => name));
  assert.deepEqual(
    Object.keys(golden).filter((name) => !names.has(name)),
    [],
  );
});

test('the digest tells apart what toValue must keep apart (the comparison itself can fail)', () => {
  const shared = { a: 1 };
  const withProto: { [key: string]: PlainValue } = {};
  Object.defineProperty(withProto, '__proto__', { value: 1, enumerable: true, writable: true, configurable: true });
  const hidden: { [key: string]: PlainValue } = { a: 1 };
  Object.defineProperty(hidden, 'b', { value: 2, enumerable: false, writable: true, configurable: true });
  const visible: { [key: string]: PlainValue } = { a: 1, b: 2 };
  const different: [string, PlainValue, PlainValue][] = [
    ['key order', { a: 1, b: 2 }, { b: 2, a: 1 }],
    ['value', { a: 1 }, { a: 2 }],
    ['number against string', { a: 1 }, { a: '1' }],
    ['null against the string "null"', [null], ['null']],
    ['-0 against 0', [-0], [0]],
    ['empty map against empty list', { a: {} }, { a: [] }],
    ['lost sharing', [shared, shared], [{ a: 1 }, { a: 1 }]],
    ['sharing in another place', [shared, shared, { a: 1 }], [shared, { a: 1 }, shared]],
    ['__proto__ assigned (ignored) instead of an own key', JSON.parse('{}') as PlainValue, withProto],
    ['__proto__ assigned (a prototype) instead of an own key', Object.setPrototypeOf({}, { x: 1 }) as PlainValue, { ...withProto, ['__proto__']: { x: 1 } }],
    ['a key that is not enumerable', visible, hidden],
    ['a key in a string', { 'a:1': 2 }, { a: '1:2' }],
  ];
  for (const [name, one, other] of different) assert.notEqual(digest(one), digest(other), name);
  // ...and tells nothing apart that is the same, however it was built.
  const rebuilt = JSON.parse('[{"a": 1}]') as PlainValue;
  const sharedTwice = { b: [1] };
  const same: [string, PlainValue, PlainValue][] = [
    ['literal against parsed', [{ a: 1 }], rebuilt],
    ['each shared object, made twice', [sharedTwice, sharedTwice], ((): PlainValue => {
      const again = { b: [1] };
      return [again, again];
    })()],
  ];
  for (const [name, one, other] of same) assert.equal(digest(one), digest(other), name);
});

test.after(() => {
  if (!updating) return;
  const sorted = Object.fromEntries(Object.entries(made).sort(([a], [b]) => (a < b ? -1 : 1)));
  // One line per input: a change of behaviour shows as the lines of the inputs it touched.
  fs.writeFileSync(GOLDEN, `{\n${Object.entries(sorted).map(([name, made]) => `${JSON.stringify(name)}: ${JSON.stringify(made)}`).join(',\n')}\n}\n`);
});
