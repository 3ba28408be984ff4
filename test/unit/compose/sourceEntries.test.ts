import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CEntry, type CNode, entriesFromList, SourceEntries } from '../../../src/core/compose/model';
import { parseYaml } from '../../../src/core/yaml/parse';

/** Entries of a config tree are read as a ReadonlyMap; a SourceEntries must answer exactly as a Map would. */
const origin = { file: 0, node: parseYaml('x').root! };
const value: CNode = { kind: 'scalar', value: null, origin };
const entry = (key: string, tag = ''): CEntry => ({ name: key, keyOrigin: origin, value: { ...value, value: `${key}${tag}` } });

function snapshot(entries: ReadonlyMap<string, CEntry>): unknown {
  const viaForEach: [string, unknown][] = [];
  entries.forEach((e, key, map) => {
    assert.equal(map, entries);
    viaForEach.push([key, e.value.kind === 'scalar' ? e.value.value : undefined]);
  });
  return {
    size: entries.size,
    forEach: viaForEach,
    iterate: [...entries].map(([key, e]) => [key, e.name]),
    entries: [...entries.entries()].map(([key, e]) => [key, e.name]),
    keys: [...entries.keys()],
    values: [...entries.values()].map((e) => e.name),
  };
}

test('SourceEntries answers get, has, set, size and every iteration as a Map does', () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let round = 0; round < 200; round++) {
    const ours = new SourceEntries([]);
    const map = new Map<string, CEntry>();
    const keys = ['a', 'b', 'c', 'd', 'e', 'environment', 'x-1', '', '__proto__', 'constructor'];
    for (let step = 0; step < 12; step++) {
      const key = keys[Math.floor(random() * keys.length)]!;
      const made = entry(key, `#${step}`);
      ours.set(key, made);
      map.set(key, made);
    }
    for (const key of [...keys, 'missing']) {
      assert.equal(ours.get(key), map.get(key), key);
      assert.equal(ours.has(key), map.has(key), key);
    }
    assert.deepEqual(snapshot(ours), snapshot(map));
  }
});

test('entriesFromList keeps a repeated key at its first place with its last entry, as Map.set does, small and long', () => {
  for (const length of [0, 1, 3, 16, 17, 40]) {
    const list = Array.from({ length }, (_, i) => entry(`k${i % Math.max(1, Math.floor(length / 2))}`, `#${i}`));
    const expected = new Map<string, CEntry>();
    for (const made of list) expected.set(made.name, made);
    const made = entriesFromList([...list]);
    assert.deepEqual(snapshot(made), snapshot(expected), `length ${length}`);
    for (const key of expected.keys()) assert.equal(made.get(key), expected.get(key));
  }
});

test('a long SourceEntries (looked up through its index) still answers as a Map after set replaces and adds', () => {
  const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
  const ours = new SourceEntries(keys.map((key) => entry(key)));
  const map = new Map(keys.map((key) => [key, ours.get(key)!]));
  assert.equal(ours.get('k39'), map.get('k39')); // the first lookup makes the index
  for (const [key, tag] of [['k3', '#a'], ['new', '#b'], ['k39', '#c'], ['new', '#d']] as const) {
    const made = entry(key, tag);
    ours.set(key, made);
    map.set(key, made);
  }
  for (const key of [...keys, 'new', 'missing']) {
    assert.equal(ours.get(key), map.get(key), key);
    assert.equal(ours.has(key), map.has(key), key);
  }
  assert.deepEqual(snapshot(ours), snapshot(map));
});
