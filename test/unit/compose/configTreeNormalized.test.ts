import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { generateArchitectureCompose } from '../../../bench/checkGenerator';
import { normalizeConfig, normalizeServiceEntries } from '../../../src/core/compose/merge';
import { type CNode, ModelBudgetExceeded, type Origin, toConfigTree } from '../../../src/core/compose/model';
import { parseYaml } from '../../../src/core/yaml/parse';
import { CORPUS, yamlFiles } from '../corpusFiles';

/**
 * `buildConfigs` normalises services while `toConfigTree` builds them (no second tree). It must give exactly
 * what the two-step path gives: the same shapes, values, keys, origins (the same source nodes) and resets.
 */
function sameOrigin(a: Origin, b: Origin, where: string): void {
  assert.equal(a.file, b.file, `${where}: origin file`);
  assert.ok(a.node === b.node, `${where}: origin node`);
}

function assertSameTree(a: CNode | undefined, b: CNode | undefined, where = '$'): void {
  if (!a || !b) {
    assert.equal(a, b, where);
    return;
  }
  assert.equal(a.kind, b.kind, `${where}: kind`);
  sameOrigin(a.origin, b.origin, where);
  if (a.kind === 'scalar' && b.kind === 'scalar') {
    assert.equal(a.value, b.value, `${where}: value`);
    assert.equal(a.listItem, b.listItem, `${where}: listItem`);
  } else if (a.kind === 'seq' && b.kind === 'seq') {
    assert.equal(a.items.length, b.items.length, `${where}: length`);
    a.items.forEach((item, i) => assertSameTree(item, b.items[i], `${where}[${i}]`));
  } else if (a.kind === 'map' && b.kind === 'map') {
    assert.deepEqual([...a.entries.keys()], [...b.entries.keys()], `${where}: keys`);
    for (const [key, entry] of a.entries) {
      const other = b.entries.get(key);
      assert.ok(other, `${where}.${key}`);
      assert.equal(entry.name, other.name);
      sameOrigin(entry.keyOrigin, other.keyOrigin, `${where}.${key} (key)`);
      assertSameTree(entry.value, other.value, `${where}.${key}`);
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
