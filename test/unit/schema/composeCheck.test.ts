// The validity check (src/core/schema/generated/composeCheck.js) and the full validator against an oracle: the
// same schema compiled by Ajv at run time with the generator's own options, over every compose file of the
// corpus and the fixtures, the generated architecture files, and thousands of seeded mutations of them (so
// the errors' paths are exercised: wrong types, unknown and odd keys, duplicates, missing entries).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import { composeCheck, composeValidator, validateCompose } from '../../../src/core/schema/validator';
import { parseYaml } from '../../../src/core/yaml/parse';
import { AliasBudgetExceeded, toValue, type PlainValue } from '../../../src/core/yaml/toValue';
import { DEFAULT_MAX_SCHEMA_NODES } from '../../../src/core/schema/schemaFindings';
import { generateArchitectureCompose } from '../../../bench/checkGenerator';
import { yamlFiles } from '../corpusFiles';

const root = path.resolve(__dirname, '../../../..');

interface Generator {
  render: (root: string, schemaText: string) => string;
  renderCheck: (root: string, schemaText: string) => string;
  ajvOptions: (variant: 'full' | 'check') => Options;
  SCHEMA_PATH: string;
  OUTPUT_PATH: string;
  CHECK_OUTPUT_PATH: string;
}

async function generator(): Promise<Generator> {
  return (await import(pathToFileURL(path.join(root, 'scripts/generate/compose-schema.mjs')).href)) as Generator;
}

/** The schema compiled at run time, as the generator compiles it for the committed full validator. */
async function oracle(): Promise<ValidateFunction> {
  const { ajvOptions, SCHEMA_PATH } = await generator();
  const schema = JSON.parse(fs.readFileSync(path.join(root, SCHEMA_PATH), 'utf8')) as object;
  const options = { ...ajvOptions('full') };
  delete options.code; // standalone source is not needed at run time
  return new Ajv2020(options).compile(schema);
}

/** Every compose text to check: the fixtures (the corpus among them), /work/shared/corpus when present, generated files. */
function texts(): { name: string; text: string }[] {
  const seen = new Set<string>();
  const out: { name: string; text: string }[] = [];
  const fixtures = path.join(root, 'test/fixtures');
  const shared = '/work/shared/corpus';
  const files = [...yamlFiles(fixtures), ...(fs.existsSync(shared) ? yamlFiles(shared) : [])];
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    if (seen.has(text)) continue;
    seen.add(text);
    out.push({ name: path.relative(root, file), text });
  }
  out.push({ name: 'generated, 20 services, anchor', text: generateArchitectureCompose(20) });
  out.push({ name: 'generated, 20 services, inline', text: generateArchitectureCompose(20, { logging: 'inline' }) });
  return out;
}

/** The data the schema step validates, as schemaFindings builds it (undefined when it validates nothing). */
function schemaData(text: string): PlainValue | undefined {
  const parsed = parseYaml(text);
  if (!parsed.root || parsed.root.kind !== 'map') return undefined;
  try {
    return toValue(parsed.root, parsed.anchors, { maxNodes: DEFAULT_MAX_SCHEMA_NODES, dropReset: true, shareAliases: true });
  } catch (error) {
    if (error instanceof AliasBudgetExceeded) return undefined;
    throw error;
  }
}

/** A small seeded generator (mulberry32), so every run mutates the same way and a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Container = PlainValue[] | { [key: string]: PlainValue };

const replacements: (() => PlainValue)[] = [
  () => 0,
  () => -1,
  () => 1.5,
  () => 70000,
  () => 'x',
  () => '',
  () => '80:80',
  () => 'a/b~c',
  () => true,
  () => null,
  () => [],
  () => ({}),
  () => ['a', 'a'],
  () => [1, {}],
  () => ({ 'a/b~c': 1, '': null }),
  () => ({ '~a/b': [], 'x~': { '/': 1 } }),
  () => ({ image: 1, build: {} }),
  () => ['CMD', 'true'],
];
const oddKeys = ['x-extra', 'bogus', 'a/b', '~t', '~1/~0', 'constructor', 'toString', '__proto__', '0', ''];

/** Every property name the schema declares anywhere, so mutations reach every part of it, and odd names. */
function keysToAdd(schema: unknown): string[] {
  const names = new Set<string>(oddKeys);
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const record = node as Record<string, unknown>;
    const properties = record.properties;
    if (properties && typeof properties === 'object' && !Array.isArray(properties)) for (const name of Object.keys(properties)) names.add(name);
    Object.values(record).forEach(walk);
  };
  walk(schema);
  return [...names];
}

/** Applies 1 to 3 random changes to a deep copy of `data`. */
function mutate(data: PlainValue, next: () => number, newKeys: readonly string[]): PlainValue {
  const copy = structuredClone(data);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const changes = 1 + Math.floor(next() * 3);
  for (let change = 0; change < changes; change++) {
    const containers: Container[] = [];
    const collect = (value: PlainValue, depth: number): void => {
      if (value === null || typeof value !== 'object' || depth > 12) return;
      containers.push(value);
      for (const item of Array.isArray(value) ? value : Object.values(value)) collect(item, depth + 1);
    };
    collect(copy, 0);
    if (containers.length === 0) return copy;
    const target = pick(containers);
    const kind = next();
    if (Array.isArray(target)) {
      if (kind < 0.5 && target.length > 0) target[Math.floor(next() * target.length)] = pick(replacements)();
      else if (kind < 0.7 && target.length > 0) target.splice(Math.floor(next() * target.length), 1);
      else if (kind < 0.85 && target.length > 0) target.push(structuredClone(target[0]!));
      else target.push(pick(replacements)());
    } else {
      const keys = Object.keys(target);
      const name = kind < 0.55 && keys.length > 0 ? pick(keys) : pick(newKeys);
      if (kind >= 0.55 && kind < 0.7 && keys.length > 0) delete target[pick(keys)];
      else Object.defineProperty(target, name, { value: pick(replacements)(), enumerable: true, writable: true, configurable: true });
    }
  }
  return copy;
}

/**
 * Errors in a form cheap to compare: `schema` and `parentSchema` (large schema fragments, copies in the
 * standalone code) as their JSON, remembered per object; every other field as it is.
 */
function comparable(errors: readonly ErrorObject[], json: Map<unknown, string>): unknown[] {
  const text = (value: unknown): string => {
    if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
    let known = json.get(value);
    if (known === undefined) json.set(value, (known = JSON.stringify(value)));
    return known;
  };
  return errors.map(({ schema, parentSchema, ...rest }) => ({ ...rest, schema: text(schema), parentSchema: text(parentSchema) }));
}

/** Ajv's errors for `data` from a validator (empty when valid). */
function errorsOf(validate: ValidateFunction | ((data: unknown) => boolean) & { errors?: ErrorObject[] | null }, data: unknown): ErrorObject[] {
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

test('the committed check is what the generator makes from the vendored schema', async () => {
  const { renderCheck, SCHEMA_PATH, CHECK_OUTPUT_PATH } = await generator();
  const expected = renderCheck(root, fs.readFileSync(path.join(root, SCHEMA_PATH), 'utf8'));
  const committed = fs.readFileSync(path.join(root, CHECK_OUTPUT_PATH), 'utf8');
  assert.ok(committed === expected, `${CHECK_OUTPUT_PATH} is stale: run node scripts/generate/compose-schema.mjs`);
});

test('the check builds no error details and compiles nothing at run time', () => {
  const source = fs.readFileSync(path.join(root, 'src/core/schema/generated/composeCheck.js'), 'utf8');
  assert.match(source, /GENERATED by scripts\/generate\/compose-schema\.mjs/);
  assert.doesNotMatch(source, /new Ajv|\.compile\(|require\("ajv"\)/);
  assert.doesNotMatch(source, /\b(vErrors|instancePath|schemaPath|dynamicAnchors|rootData)\b/);
});

test('check, full validator and validateCompose agree with Ajv compiled at run time on every corpus file and 30 seeded mutations of each', async (t) => {
  const reference = await oracle();
  const newKeys = keysToAdd(reference.schema);
  const check = composeCheck();
  const full = composeValidator();
  const referenceJson = new Map<unknown, string>();
  const generatedJson = new Map<unknown, string>();
  let files = 0;
  let cases = 0;
  let invalid = 0;
  let withManyErrors = 0;
  for (const { name, text } of texts()) {
    const data = schemaData(text);
    if (data === undefined) continue;
    files++;
    const next = random(files * 7919);
    const variants = [data, ...Array.from({ length: 30 }, () => mutate(data, next, newKeys))];
    for (const [index, variant] of variants.entries()) {
      const where = `${name}${index === 0 ? '' : ` (mutation ${index})`}`;
      const expected = errorsOf(reference, variant);
      cases++;
      if (expected.length > 0) invalid++;
      if (expected.length > 3) withManyErrors++;
      assert.equal(check(variant), expected.length === 0, `${where}: the check says ${check(variant) ? 'valid' : 'invalid'}, Ajv found ${expected.length} errors`);
      const wanted = comparable(expected, referenceJson);
      assert.deepStrictEqual(comparable(errorsOf(full, variant), generatedJson), wanted, `${where}: the full validator's errors differ from Ajv's`);
      assert.deepStrictEqual(comparable(validateCompose(variant), generatedJson), wanted, `${where}: validateCompose differs from Ajv's errors`);
    }
  }
  t.diagnostic(`${files} files, ${cases} cases, ${invalid} invalid, ${withManyErrors} with more than 3 errors`);
  // The corpus must really be there, and the mutations must really reach the error paths.
  assert.ok(files > 300, `only ${files} files`);
  assert.ok(invalid > cases / 2, `only ${invalid} of ${cases} cases invalid`);
  assert.ok(withManyErrors > 500, `only ${withManyErrors} cases with more than 3 errors`);
});

test('every property the schema names, with every kind of value, in every mapping of a generated file', async (t) => {
  const reference = await oracle();
  const newKeys = keysToAdd(reference.schema);
  const check = composeCheck();
  const referenceJson = new Map<unknown, string>();
  const generatedJson = new Map<unknown, string>();
  const base = schemaData(generateArchitectureCompose(1, { logging: 'inline' }))!;
  // Each mapping is found again in the copy by its path, then given one property.
  const paths: string[][] = [];
  const walk = (value: PlainValue, at: string[]): void => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
    paths.push(at);
    for (const [name, child] of Object.entries(value)) walk(child, [...at, name]);
  };
  walk(base, []);
  let cases = 0;
  let invalid = 0;
  for (const [p, at] of paths.entries()) {
    // The top level and the service get every value for every name; deeper mappings one value per name, in turn.
    const everyValue = at.length <= 2;
    for (const [k, name] of newKeys.entries()) {
      const values = everyValue ? replacements : [replacements[(p + k) % replacements.length]!];
      for (const make of values) {
        const data = structuredClone(base);
        let target = data as { [key: string]: PlainValue };
        for (const segment of at) target = target[segment] as { [key: string]: PlainValue };
        Object.defineProperty(target, name, { value: make(), enumerable: true, writable: true, configurable: true });
        const expected = errorsOf(reference, data);
        cases++;
        if (expected.length > 0) invalid++;
        const where = `${at.join('.') || '(top)'} + ${JSON.stringify(name)}: ${JSON.stringify(target[name])}`;
        assert.equal(check(data), expected.length === 0, `${where}: the check disagrees with Ajv (${expected.length} errors)`);
        assert.deepStrictEqual(comparable(validateCompose(data), generatedJson), comparable(expected, referenceJson), `${where}: errors differ from Ajv's`);
      }
    }
  }
  t.diagnostic(`${paths.length} mappings, ${newKeys.length} names, ${cases} cases, ${invalid} invalid`);
  assert.ok(cases > 5000 && invalid > cases / 2, `${cases} cases, ${invalid} invalid`);
});

test('the check and the validator agree on hand-picked edge cases', async () => {
  const reference = await oracle();
  const check = composeCheck();
  const cases: [string, unknown][] = [
    ['empty object', {}],
    ['not an object', []],
    ['a string', 'services'],
    ['duplicate named "__proto__" in a unique list', { services: { web: { image: 'a', dns: ['__proto__', '__proto__'] } } }],
    ['duplicate in a unique list', { services: { web: { image: 'a', dns: ['1.1.1.1', '1.1.1.1'] } } }],
    ['key with ~ and /', { services: { 'a~/b': { image: 'a' } } }],
    ['build string and mapping', { services: { a: { build: '.' }, b: { build: { context: '.' } }, c: { build: 1 } } }],
    ['ports of every form', { services: { a: { image: 'a', ports: [80, '80:80', { target: 80, published: '8080' }, true] } } }],
    ['extension everywhere', { 'x-a': 1, services: { a: { image: 'a', 'x-b': { c: 1 } } } }],
  ];
  for (const [name, data] of cases) {
    const expected = errorsOf(reference, data);
    assert.equal(check(data), expected.length === 0, name);
    assert.deepStrictEqual([...validateCompose(data)], expected, name);
  }
});
