import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeConfigs, normalizeConfig } from '../../../src/core/compose/merge';
import { toConfigTree, toPlain } from '../../../src/core/compose/model';
import { parseYaml } from '../../../src/core/yaml/parse';

function merged(...texts: string[]): unknown {
  return toPlain(mergeConfigs(texts.map((text, i) => normalizeConfig(toConfigTree(parseYaml(text), i)))));
}

/** [what, base, override, expected merged `services.web`]. Compose's merge rules, after compose-go's override package. */
const cases: [string, string, string, unknown][] = [
  ['mappings merge key by key', 'services:\n  web:\n    image: a:1\n    restart: always\n', 'services:\n  web:\n    image: a:2\n', { image: 'a:2', restart: 'always' }],
  ['environment list and map merge by key', 'services:\n  web:\n    environment: [A=1, B=2]\n', 'services:\n  web:\n    environment:\n      B: "3"\n      C: "4"\n', { environment: { A: '1', B: '3', C: '4' } }],
  ['volumes merge by target', 'services:\n  web:\n    volumes: ["./a:/data", "./b:/b"]\n', 'services:\n  web:\n    volumes: ["./c:/data:ro"]\n', { volumes: ['./c:/data:ro', './b:/b'] }],
  ['ports append, identical ones once', 'services:\n  web:\n    ports: ["80:80"]\n', 'services:\n  web:\n    ports: ["80:80", "443:443"]\n', { ports: ['80:80', '443:443'] }],
  ['command is replaced', 'services:\n  web:\n    command: [a, b]\n', 'services:\n  web:\n    command: [c]\n', { command: ['c'] }],
  ['healthcheck.test is replaced, the rest merges', 'services:\n  web:\n    healthcheck:\n      test: [CMD, a]\n      retries: 3\n', 'services:\n  web:\n    healthcheck:\n      test: [CMD, b]\n', { healthcheck: { test: ['CMD', 'b'], retries: 3 } }],
  ['!reset removes a value', 'services:\n  web:\n    image: a:1\n    ports: ["80:80"]\n', 'services:\n  web:\n    ports: !reset []\n', { image: 'a:1' }],
  ['!override replaces without merging', 'services:\n  web:\n    environment:\n      A: "1"\n', 'services:\n  web:\n    environment: !override\n      B: "2"\n', { environment: { B: '2' } }],
  ['depends_on list and map merge', 'services:\n  web:\n    depends_on: [db]\n', 'services:\n  web:\n    depends_on:\n      cache:\n        condition: service_healthy\n', { depends_on: { db: {}, cache: { condition: 'service_healthy' } } }],
  ['logging with another driver replaces the block', 'services:\n  web:\n    logging:\n      driver: json-file\n      options: {max-size: 10m}\n', 'services:\n  web:\n    logging:\n      driver: syslog\n', { logging: { driver: 'syslog' } }],
  ['build string becomes a context', 'services:\n  web:\n    build: ./build/web\n', 'services:\n  web:\n    build:\n      target: dev\n', { build: { context: './build/web', target: 'dev' } }],
  ['anchors and merge keys resolve within a file', 'x-base: &base\n  restart: always\nservices:\n  web:\n    <<: *base\n    image: a:1\n', 'services: {}\n', { image: 'a:1', restart: 'always' }],
];

for (const [what, base, override, expected] of cases) {
  test(`merge: ${what}`, () => {
    const result = merged(base, override) as { services: { web: unknown } };
    assert.deepEqual(result.services.web, expected);
  });
}
