import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildArchitecture, familyOf, mountsOf, publishedPorts } from '../../../src/core/map/graph';
import { toConfigTree } from '../../../src/core/compose/model';
import { parseYaml } from '../../../src/core/yaml/parse';
import { commentbot, COMMENTBOT_BASE, source } from './fixtures';

test('one node per service of the merged development config, sorted by name', () => {
  const { dev } = commentbot();
  assert.deepEqual(dev.services.map((s) => s.name), ['commentbot-core', 'debug-tools', 'ollama', 'whisper-service']);
  const core = dev.services.find((s) => s.name === 'commentbot-core')!;
  assert.equal(core.build, './build/commentbot-core');
  assert.equal(core.image, 'commentbot-core:latest');
  // ${CORE_PORT:-8000} resolves to its default; the long form is read too.
  assert.deepEqual(core.ports, ['8000:8000']);
  assert.deepEqual(dev.services.find((s) => s.name === 'whisper-service')!.ports, ['9000:9000']);
  assert.equal(dev.services.find((s) => s.name === 'ollama')!.build, './build/ollama');
  assert.equal(dev.services.find((s) => s.name === 'ollama')!.healthcheck, true);
  assert.equal(core.healthcheck, false);
});

test('the production view merges the prod file: replicas, prod-only services, its own networks', () => {
  const { prod, hasProd } = commentbot();
  assert.equal(hasProd, true);
  assert.deepEqual(prod.services.map((s) => s.name), ['backup', 'commentbot-core', 'ollama', 'whisper-service']);
  assert.equal(prod.services.find((s) => s.name === 'commentbot-core')!.replicas, 3);
  assert.deepEqual(prod.networks, ['commentbot-network', 'ops']);
  assert.deepEqual(prod.services.find((s) => s.name === 'backup')!.networks, ['commentbot-network', 'ops']);
});

test('services of only one config are marked with the config that declares them', () => {
  const { dev, prod } = commentbot();
  const presence = (graph: typeof dev) => Object.fromEntries(graph.services.map((s) => [s.name, s.presence]));
  assert.deepEqual(presence(dev), { 'commentbot-core': 'both', 'debug-tools': 'dev-only', ollama: 'both', 'whisper-service': 'both' });
  assert.deepEqual(presence(prod), { backup: 'prod-only', 'commentbot-core': 'both', ollama: 'both', 'whisper-service': 'both' });
  assert.deepEqual(dev.services.find((s) => s.name === 'debug-tools')!.profiles, ['debug']);
});

test('depends_on edges carry their condition; the list form means service_started', () => {
  const { dev, prod } = commentbot();
  assert.deepEqual(
    dev.edges.map((e) => [e.from, e.to, e.condition, e.optional]),
    [
      ['commentbot-core', 'ollama', 'service_healthy', false],
      ['commentbot-core', 'whisper-service', 'service_started', false],
    ],
  );
  assert.ok(prod.edges.some((e) => e.from === 'backup' && e.to === 'ollama' && e.condition === 'service_started'));
});

test('mounts: ./bd/ data, read-only configuration and named volumes; plain read-write binds are left out', () => {
  const { dev } = commentbot();
  const ollama = dev.services.find((s) => s.name === 'ollama')!;
  assert.deepEqual(ollama.mounts, [
    { kind: 'data', source: './bd/ollama-data', target: '/root/.ollama', readOnly: false },
    { kind: 'config', source: './data/models/ollama', target: '/models', readOnly: true },
  ]);
  // The override's extra read-write bind of the code is not architecture: only the ro config is kept.
  const core = dev.services.find((s) => s.name === 'commentbot-core')!;
  assert.deepEqual(core.mounts.map((m) => m.kind), ['config']);
});

const seqOf = (yaml: string) => {
  const tree = toConfigTree(parseYaml(yaml), 0);
  return tree?.kind === 'map' ? tree.entries.get('x')?.value : undefined;
};

const portCases: [string, string[]][] = [
  ['x: ["8080:80"]', ['8080:80']],
  ['x: ["127.0.0.1:8080:80/udp"]', ['8080:80/udp']],
  ['x: ["80", 3000]', []],
  ['x: [{target: 80, published: "8081", protocol: tcp}]', ['8081:80']],
  ['x: [{target: 80}]', []],
  ['x: ["${PORT}:80"]', ['${PORT}:80']],
];
for (const [yaml, expected] of portCases) {
  test(`published ports of ${yaml}`, () => assert.deepEqual(publishedPorts(seqOf(yaml)), expected));
}

const mountCases: [string, string[]][] = [
  ['x: ["./bd/pg:/var/lib/postgresql/data"]', ['data ./bd/pg'] ],
  ['x: ["bd/pg:/data"]', ['volume bd/pg'] ],
  ['x: ["./conf/nginx.conf:/etc/nginx/nginx.conf:ro"]', ['config ./conf/nginx.conf']],
  ['x: ["./data/logs:/var/log"]', []],
  ['x: ["pgdata:/var/lib/postgresql/data"]', ['volume pgdata']],
  ['x: [{type: bind, source: ./bd/redis, target: /data}]', ['data ./bd/redis']],
  ['x: [{type: bind, source: ./cfg, target: /cfg, read_only: true}]', ['config ./cfg']],
  ['x: [{type: tmpfs, target: /tmp}]', []],
  ['x: ["/just/a/target"]', []],
];
for (const [yaml, expected] of mountCases) {
  test(`mounts of ${yaml}`, () => assert.deepEqual(mountsOf(seqOf(yaml)).map((m) => `${m.kind} ${m.source}`), expected));
}

test('a service without networks is on `default`; network_mode is its own group', () => {
  const files = [source('compose.yaml', 'services:\n  a:\n    image: x\n  b:\n    image: y\n    network_mode: host\n  c:\n    image: z\n    depends_on: [missing, a]\n')];
  const { dev, hasProd } = buildArchitecture({ project: 'p', family: familyOf(files) });
  assert.equal(hasProd, false);
  assert.deepEqual(dev.services.map((s) => s.networks), [['default'], ['mode:host'], ['default']]);
  assert.deepEqual(dev.missingDependencies, [{ from: 'c', to: 'missing' }]);
  assert.deepEqual(dev.edges.map((e) => `${e.from}->${e.to}`), ['c->a']);
});

test('bad input gives an empty map, not an exception', () => {
  for (const text of ['', 'services: 3', '- a list', 'services:\n  a: [1, 2]\n  b:\n', 'services: {a: {depends_on: {b: null}}, b: {}}']) {
    const { dev } = buildArchitecture({ project: 'p', family: familyOf([source('compose.yaml', text)]) });
    assert.ok(Array.isArray(dev.services), text);
  }
});

test('the definition points at the service key in the file that first declares it', () => {
  const { dev } = commentbot();
  const ollama = dev.services.find((s) => s.name === 'ollama')!;
  assert.equal(ollama.definition.file, 0);
  assert.equal(COMMENTBOT_BASE.slice(ollama.definition.span.start, ollama.definition.span.end), 'ollama');
  const debug = dev.services.find((s) => s.name === 'debug-tools')!;
  assert.equal(debug.definition.file, 1);
});
