import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { generateArchitectureCompose } from '../../../bench/checkGenerator';
import { normalizeConfig, normalizeServiceEntries } from '../../../src/core/compose/merge';
import { type CNode, ModelBudgetExceeded, type Origin, toConfigTree } from '../../../src/core/compose/model';
import type { YamlNode } from '../../../src/core/yaml/ast';
import { parseYaml } from '../../../src/core/yaml/parse';
import { CORPUS, yamlFiles } from '../corpusFiles';

/**
 * `buildConfigs` normalises services while `toConfigTree` builds them (no second tree). It must give exactly
 * what the two-step path gives: the same shapes, values, keys, origins (the same source nodes) and resets.
 */
function sameOrigin(a: Origin, b: Origin, where: string, fileOfB: number): void {
  assert.equal(a.file === 0 ? fileOfB : a.file, b.file, `${where}: origin file`);
  assert.ok(a.node === b.node, `${where}: origin node`);
}

/** `b` is `a` built again, from the same parse; with `fileOfB`, as another file of the family (origins in file 0 of `a` are in `fileOfB` in `b`). */
function assertSameTree(a: CNode | undefined, b: CNode | undefined, where = '$', fileOfB = 0): void {
  if (!a || !b) {
    assert.equal(a, b, where);
    return;
  }
  assert.equal(a.kind, b.kind, `${where}: kind`);
  sameOrigin(a.origin, b.origin, where, fileOfB);
  if (a.kind === 'scalar' && b.kind === 'scalar') {
    assert.equal(a.value, b.value, `${where}: value`);
    assert.equal(a.listItem, b.listItem, `${where}: listItem`);
  } else if (a.kind === 'seq' && b.kind === 'seq') {
    assert.equal(a.items.length, b.items.length, `${where}: length`);
    a.items.forEach((item, i) => assertSameTree(item, b.items[i], `${where}[${i}]`, fileOfB));
  } else if (a.kind === 'map' && b.kind === 'map') {
    assert.deepEqual([...a.entries.keys()], [...b.entries.keys()], `${where}: keys`);
    for (const [key, entry] of a.entries) {
      const other = b.entries.get(key);
      assert.ok(other, `${where}.${key}`);
      assert.equal(entry.name, other.name);
      sameOrigin(entry.keyOrigin, other.keyOrigin, `${where}.${key} (key)`, fileOfB);
      assertSameTree(entry.value, other.value, `${where}.${key}`, fileOfB);
    }
    assert.deepEqual([...(a.resets?.keys() ?? [])], [...(b.resets?.keys() ?? [])], `${where}: resets`);
  }
}

const corpus = CORPUS;
const handWritten: Record<string, string> = {
  'list forms': 'services:\n  a:\n    environment: [A=1, B]\n    networks: [n]\n    depends_on: [b]\n    build: ./build/a\n    extra_hosts: ["h:1.2.3.4"]\n    labels: [x=y]\n  b:\n    build:\n      context: .\n      args: [X=1]\n    deploy:\n      labels: [k=v]\n',
  'services through aliases and merge keys':
    'x-base: &base\n  environment: [A=1]\n  networks: [n]\nx-svc: &svc\n  <<: *base\n  depends_on: [db]\nservices:\n  web:\n    <<: *svc\n    environment: [B=2]\n  db: *svc\n  other:\n    <<: [*base, *svc]\n',
  'services merged in at the services level': 'x-services: &more\n  extra:\n    networks: [n]\nservices:\n  <<: *more\n  web:\n    networks: [m]\n',
  'root merged in': 'x-root: &root\n  services:\n    web:\n      networks: [n]\n<<: *root\n',
  'services not a mapping': 'services:\n  - web\n',
  'a null service and a scalar build': 'services:\n  a:\n  b:\n    build: .\n',
};

const texts: [string, string][] = [
  ...Object.entries(handWritten),
  ['generated, anchor logging', generateArchitectureCompose(30)],
  ['generated, inline logging', generateArchitectureCompose(30, { logging: 'inline' })],
  ...yamlFiles(corpus).map((file): [string, string] => [path.relative(corpus, file), fs.readFileSync(file, 'utf8')]),
];

test('toConfigTree with normalizeServiceEntries equals normalizeConfig(toConfigTree) on hand-written, generated and corpus files', () => {
  assert.ok(texts.length > 250, `only ${texts.length} texts`);
  for (const [name, text] of texts) {
    const parsed = parseYaml(text);
    let twoStep: CNode | undefined;
    try {
      twoStep = normalizeConfig(toConfigTree(parsed, 0));
    } catch (error) {
      assert.ok(error instanceof ModelBudgetExceeded, name);
      assert.throws(() => toConfigTree(parsed, 0, undefined, normalizeServiceEntries), ModelBudgetExceeded, name);
      continue;
    }
    assertSameTree(toConfigTree(parsed, 0, undefined, normalizeServiceEntries), twoStep, name);
  }
});

/** How many nodes and entries of a config tree are the parse tree's own nodes and pairs (see BaseFileCollection). */
function parseNodesIn(tree: CNode | undefined, isParseNode: (value: unknown) => boolean): number {
  if (!tree) return 0;
  let count = isParseNode(tree) ? 1 : 0;
  if (tree.kind === 'seq') for (const item of tree.items) count += parseNodesIn(item, isParseNode);
  if (tree.kind === 'map') {
    for (const entry of tree.entries.values()) count += (isParseNode(entry) ? 1 : 0) + parseNodesIn(entry.value, isParseNode);
  }
  return count;
}

function parseTreeObjects(parsed: ReturnType<typeof parseYaml>): Set<unknown> {
  const seen = new Set<unknown>();
  const walk = (node: YamlNode | null): void => {
    if (!node) return;
    seen.add(node);
    if (node.kind === 'seq') node.items.forEach(walk);
    if (node.kind === 'map') {
      for (const pair of node.items) {
        seen.add(pair);
        walk(pair.key);
        walk(pair.value);
      }
    }
  };
  walk(parsed.root);
  return seen;
}

test('a base file reuses its unchanged parse nodes as config nodes, and the tree reads as the copied one built for another file', () => {
  let reused = 0;
  for (const [name, text] of texts) {
    const parsed = parseYaml(text);
    let asBase: CNode | undefined;
    try {
      asBase = toConfigTree(parsed, 0, undefined, normalizeServiceEntries);
    } catch (error) {
      assert.ok(error instanceof ModelBudgetExceeded, name);
      continue;
    }
    // As file 1 nothing is reused: every node is a copy that names its source node.
    const asOther = toConfigTree(parsed, 1, undefined, normalizeServiceEntries);
    assertSameTree(asBase, asOther, name, 1);
    const own = parseTreeObjects(parsed);
    assert.equal(parseNodesIn(asOther, (value) => own.has(value)), 0, `${name}: file 1 reuses nothing`);
    // Scalars were reused before collections were: count collections and pairs.
    reused += parseNodesIn(asBase, (value) => own.has(value) && (value as { kind?: string }).kind !== 'scalar');
  }
  assert.ok(reused > 2_000, `only ${reused} parse collections and pairs reused`);
});

test('what a base file reuses: unchanged collections and pairs; not what aliases, merge keys or normalising change, nor a service map', () => {
  const text = [
    'x-anchor: &a {k: v}',
    'x-plain:',
    '  list: [1, 2]',
    '  nested: {deep: true}',
    'x-alias:',
    '  kept: 1',
    '  via: *a',
    'x-merged:',
    '  <<: *a',
    '  own: 2',
    'services:',
    '  web:',
    '    networks: [n]',
    '    healthcheck:',
    '      test: [CMD, true]',
    '',
  ].join('\n');
  const parsed = parseYaml(text);
  const tree = toConfigTree(parsed, 0, undefined, normalizeServiceEntries);
  const root = parsed.root;
  assert.ok(tree?.kind === 'map' && root?.kind === 'map');
  const source = (key: string) => root.items.find((pair) => pair.key.kind === 'scalar' && pair.key.value === key)!;
  const config = (key: string) => tree.entries.get(key)!;
  const isParseNode = (value: unknown, node: unknown) => value === node;
  const table: [string, boolean][] = [
    ['x-anchor', true],
    ['x-plain', true],
    ['x-alias', false],
    ['x-merged', false],
  ];
  for (const [key, same] of table) assert.equal(isParseNode(config(key).value, source(key).value), same, key);
  const alias = config('x-alias').value;
  const aliasSource = source('x-alias').value;
  assert.ok(alias.kind === 'map' && aliasSource?.kind === 'map');
  assert.ok(isParseNode(alias.entries.get('kept'), aliasSource.items[0]), 'an unchanged pair beside an alias is its own entry');
  assert.ok(isParseNode(alias.entries.get('via')?.value, source('x-anchor').value), 'an alias is its anchor\'s (reused) node');
  const services = config('services').value;
  const servicesSource = source('services').value;
  assert.ok(services.kind === 'map' && servicesSource?.kind === 'map');
  assert.ok(!isParseNode(services, servicesSource), 'services (above a new service map) is new');
  const web = services.entries.get('web')!.value;
  const webSource = servicesSource.items[0]!.value;
  assert.ok(web.kind === 'map' && webSource?.kind === 'map');
  assert.ok(!isParseNode(web, webSource), 'a service map is new (the normaliser rewrites it)');
  assert.equal(web.entries.get('networks')?.value.kind, 'map', 'networks normalised to a mapping');
  assert.ok(isParseNode(web.entries.get('healthcheck'), webSource.items[1]), 'an unchanged pair of a service is its own entry');
});
