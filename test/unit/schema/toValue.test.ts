// toValue (src/core/yaml/toValue.ts) against the code it replaced (bench/schemaToValueReference.ts): the same
// values, key order, object sharing, `__proto__` keys, and the same budget exceptions, for every option set,
// on every compose file of the fixtures, generated files and hand-written YAML aimed at the edge cases.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseYaml } from '../../../src/core/yaml/parse';
import { AliasBudgetExceeded, toValue, type PlainValue, type ToValueOptions } from '../../../src/core/yaml/toValue';
import { generateArchitectureCompose } from '../../../bench/checkGenerator';
import { toValueReference } from '../../../bench/schemaToValueReference';
import { yamlFiles } from '../corpusFiles';

const root = path.resolve(__dirname, '../../../..');

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
  for (const file of yamlFiles(path.join(root, 'test/fixtures'))) out.push([path.relative(root, file), fs.readFileSync(file, 'utf8')]);
  out.push(['generated, anchor', generateArchitectureCompose(30)]);
  out.push(['generated, inline', generateArchitectureCompose(30, { logging: 'inline' })]);
  return out;
}

/**
 * Asserts `actual` equals `expected` as toValue's output must: same values and types, same own keys in the
 * same order (`__proto__` included, as an own property), same prototype, and the same sharing of objects.
 */
function assertSame(actual: PlainValue, expected: PlainValue, where: string): void {
  const pairs = new Map<object, object>();
  const reverse = new Map<object, object>();
  const walk = (a: PlainValue, e: PlainValue, at: string): void => {
    if (e === null || typeof e !== 'object') {
      assert.ok(Object.is(a, e), `${where} at ${at}: ${JSON.stringify(a)} instead of ${JSON.stringify(e)}`);
      return;
    }
    assert.ok(a !== null && typeof a === 'object', `${where} at ${at}: not an object`);
    const seen = pairs.get(e);
    if (seen !== undefined) {
      assert.ok(seen === a, `${where} at ${at}: an object shared in the reference is not shared here`);
      return;
    }
    assert.ok(!reverse.has(a), `${where} at ${at}: an object is shared here that the reference does not share`);
    pairs.set(e, a);
    reverse.set(a, e);
    assert.equal(Object.getPrototypeOf(a), Object.getPrototypeOf(e), `${where} at ${at}: prototype`);
    assert.deepEqual(Reflect.ownKeys(a), Reflect.ownKeys(e), `${where} at ${at}: keys or their order`);
    for (const key of Reflect.ownKeys(e) as string[]) {
      const ad: PropertyDescriptor = Object.getOwnPropertyDescriptor(a, key)!;
      const ed: PropertyDescriptor = Object.getOwnPropertyDescriptor(e, key)!;
      assert.deepEqual([ad.enumerable, ad.writable, ad.configurable], [ed.enumerable, ed.writable, ed.configurable], `${where} at ${at}.${key}: descriptor`);
      walk(ad.value as PlainValue, ed.value as PlainValue, `${at}.${key}`);
    }
  };
  walk(actual, expected, '(root)');
}

function outcome(convert: () => PlainValue): { value: PlainValue } | { budget: number } {
  try {
    return { value: convert() };
  } catch (error) {
    if (error instanceof AliasBudgetExceeded) return { budget: error.budget };
    throw error;
  }
}

const optionSets: ToValueOptions[] = [
  {},
  { dropReset: true },
  { shareAliases: true },
  { dropReset: true, shareAliases: true, maxNodes: 2_000_000 },
];

test('toValue gives what the code it replaced gave, for every option set, on fixtures, generated files and edge cases', (t) => {
  let compared = 0;
  let thrown = 0;
  for (const [name, text] of texts()) {
    const parsed = parseYaml(text);
    for (const options of optionSets) {
      // The full budget, and budgets that stop the conversion somewhere inside it (or exactly at its end).
      const full = outcome(() => toValueReference(parsed.root, parsed.anchors, options));
      const sweep = options === optionSets[0] || options.maxNodes !== undefined;
      const fits = (budget: number): boolean => 'value' in outcome(() => toValueReference(parsed.root, parsed.anchors, { ...options, maxNodes: budget }));
      let budgets: (number | undefined)[] = [options.maxNodes];
      if (sweep) {
        // The smallest budget that fits, found exactly: the two must count nodes the same way to agree around it.
        let high = 1;
        while (!fits(high)) high *= 2;
        let low = high / 2;
        while (high - low > 1) {
          const middle = Math.floor((low + high) / 2);
          if (fits(middle)) high = middle;
          else low = middle;
        }
        budgets = [...budgets, 1, 2, 7, Math.floor(high / 2), high - 1, high].filter((b) => b === undefined || b >= 1);
      }
      for (const maxNodes of budgets) {
        const withBudget = maxNodes === undefined ? options : { ...options, maxNodes };
        const where = `${name} ${JSON.stringify(withBudget)}`;
        const expected = maxNodes === options.maxNodes ? full : outcome(() => toValueReference(parsed.root, parsed.anchors, withBudget));
        const actual = outcome(() => toValue(parsed.root, parsed.anchors, withBudget));
        compared++;
        if ('budget' in expected) {
          thrown++;
          assert.deepEqual(actual, expected, `${where}: the budget`);
        } else {
          assert.ok('value' in actual, `${where}: threw where the reference did not`);
          assertSame(actual.value, expected.value, where);
        }
      }
    }
  }
  t.diagnostic(`${compared} conversions compared, ${thrown} of them over budget`);
  assert.ok(compared > 5000 && thrown > 1000, `${compared} compared, ${thrown} over budget`);
});

test('assertSame notices what it must (the comparison itself can fail)', () => {
  const shared = { a: 1 };
  const withProto: { [key: string]: PlainValue } = {};
  Object.defineProperty(withProto, '__proto__', { value: 1, enumerable: true, writable: true, configurable: true });
  const failing: [string, PlainValue, PlainValue][] = [
    ['key order', { a: 1, b: 2 }, { b: 2, a: 1 }],
    ['value', { a: 1 }, { a: 2 }],
    ['number against string', { a: 1 }, { a: '1' }],
    ['lost sharing', [shared, shared], [{ a: 1 }, { a: 1 }]],
    ['__proto__ as prototype instead of own key', JSON.parse('{}') as PlainValue, withProto],
  ];
  for (const [name, actual, expected] of failing) assert.throws(() => assertSame(actual, expected, name), assert.AssertionError, name);
});
