import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  absolutePath,
  cliNeedsVersionKey,
  dotenvForCommand,
  filesHaveV3Version,
  generatedStackFile,
  normalizeResolveImage,
  parseSwarmState,
  planStackDeploy,
  type StackDeployInput,
  swarmBlocker,
  validateStackName,
} from '../../../src/core/docker/stackDeploy';
import { formatMessage } from '../../../src/core/message';

const base = {
  path: '/srv/shop/docker-compose.yml',
  text: [
    'name: shop',
    'services:',
    '  api:',
    '    build: ./build/api',
    '    image: shop/api:1.0',
    '    env_file: ./data/api/api.env',
    '    volumes:',
    '      - ./data/api/config:/etc/api:ro',
    '      - api-data:/var/lib/api',
    '      - type: bind',
    '        source: ../shared',
    '        target: /shared',
    '    depends_on:',
    '      db:',
    '        condition: service_healthy',
    '    pull_policy: never',
    '    healthcheck:',
    '      test: ["CMD", "true"]',
    '      start_interval: 1s',
    '    environment:',
    '      PASSWORD: ${API_PASSWORD}',
    '  db:',
    '    image: postgres:16',
    'volumes:',
    '  api-data:',
    'secrets:',
    '  token:',
    '    file: ./data/secrets/token.txt',
    '',
  ].join('\n'),
};
const prod = { path: '/srv/shop/docker-compose.prod.yml', text: 'services:\n  api:\n    deploy:\n      replicas: 3\n' };
/** Files docker stack deploy takes as written (no compose-spec-only keys, no depends_on conditions, no bridge network). */
const stackReady = { ...base, text: 'services:\n  api:\n    image: shop/api:1.0\n    depends_on:\n      - db\n  db:\n    image: postgres:16\nnetworks:\n  back:\n    driver: overlay\n' };

function input(overrides: Partial<StackDeployInput> = {}): StackDeployInput {
  return { docker: 'docker', clientVersion: '28.2.2', stack: 'shop', folder: '/srv/shop', base, prod, resolveImage: 'always', generatedPath: '/tmp/cb-x/stack.yml', ...overrides };
}

test('CLI versions: before 23 the stack files need a version key', () => {
  const cases: [string | undefined, boolean][] = [['20.10.24+dfsg1', true], ['19.03.8', true], ['22.06.0-beta', true], ['23.0.0', false], ['28.2.2', false], ['v20.10.7', true], [undefined, false], ['garbage', false]];
  for (const [version, expected] of cases) assert.equal(cliNeedsVersionKey(version), expected, String(version));
});

test('files have a common 3.x version only when every file sets the same one', () => {
  const file = (text: string) => ({ path: '/p/x.yml', text });
  const cases: [string[], boolean][] = [
    [['version: "3.8"\nservices: {}\n'], true],
    [['version: "3.8"\nservices: {}\n', 'version: "3.8"\nservices: {}\n'], true],
    [['version: "3.8"\nservices: {}\n', 'services: {}\n'], false],
    [['version: "3.8"\n', 'version: "3.7"\n'], false],
    [['version: "2.4"\n'], false],
    [['services: {}\n'], false],
  ];
  for (const [texts, expected] of cases) assert.equal(filesHaveV3Version(texts.map(file)), expected, texts.join(' | '));
});

test('a modern CLI gets stack-ready files as written, base then prod, with the stack name last', () => {
  const plan = planStackDeploy(input({ resolveImage: 'never', base: stackReady }));
  assert.deepEqual(plan.args, ['stack', 'deploy', '--resolve-image', 'never', '-c', base.path, '-c', prod.path, 'shop']);
  assert.equal(plan.command, 'docker');
  assert.equal(plan.cwd, '/srv/shop');
  assert.equal(plan.generated, undefined);
  assert.equal(plan.display, `docker stack deploy --resolve-image never -c ${base.path} -c ${prod.path} shop`);
  assert.deepEqual(planStackDeploy(input({ base: stackReady, prod: undefined })).args, ['stack', 'deploy', '--resolve-image', 'always', '-c', base.path, 'shop']);
});

test('--prune and --with-registry-auth are passed only when asked, and --prune is named in the warnings', () => {
  const cases: [Partial<StackDeployInput>, string[]][] = [
    [{}, ['stack', 'deploy', '--resolve-image', 'always', '-c', base.path, 'shop']],
    [{ prune: false, withRegistryAuth: false }, ['stack', 'deploy', '--resolve-image', 'always', '-c', base.path, 'shop']],
    [{ prune: true }, ['stack', 'deploy', '--prune', '--resolve-image', 'always', '-c', base.path, 'shop']],
    [{ withRegistryAuth: true }, ['stack', 'deploy', '--resolve-image', 'always', '--with-registry-auth', '-c', base.path, 'shop']],
    [{ prune: true, withRegistryAuth: true, resolveImage: 'never' }, ['stack', 'deploy', '--prune', '--resolve-image', 'never', '--with-registry-auth', '-c', base.path, 'shop']],
  ];
  for (const [overrides, args] of cases) {
    const plan = planStackDeploy(input({ base: stackReady, prod: undefined, ...overrides }));
    assert.deepEqual(plan.args, args, JSON.stringify(overrides));
    assert.equal(plan.display, `docker ${args.join(' ')}`);
    const warnsOfPrune = plan.warnings.some((w) => formatMessage(w) === '--prune removes the services of stack "shop" that these files no longer declare.');
    assert.equal(warnsOfPrune, overrides.prune === true, JSON.stringify(overrides));
  }
});

test('a modern CLI gets the merged copy when stack deploy would refuse the files (compose-spec keys, depends_on conditions, bridge networks)', () => {
  const cases: [string, string][] = [
    ['services:\n  api:\n    image: a:1\n    pull_policy: never\n', 'has no services.*.pull_policy'],
    ['services:\n  api:\n    image: a:1\n    depends_on:\n      db:\n        condition: service_healthy\n  db:\n    image: b:1\n', 'depends_on only as a list'],
    ['services:\n  api:\n    image: a:1\nnetworks:\n  app-network:\n    driver: bridge\n', 'bridge network "app-network"'],
  ];
  for (const [text, warning] of cases) {
    const plan = planStackDeploy(input({ base: { ...base, text }, prod: undefined }));
    assert.ok(plan.generated, text);
    assert.deepEqual(plan.args.slice(-3), ['-c', '/tmp/cb-x/stack.yml', 'shop']);
    const said = plan.warnings.map((w) => formatMessage(w));
    assert.ok(said.some((w) => w.includes('would refuse')) && said.some((w) => w.includes(warning)), said.join('\n'));
  }
  const copy = JSON.parse(planStackDeploy(input({ base: { ...base, text: cases[2]![0] }, prod: undefined })).generated!.text) as { networks: Record<string, { driver: string }> };
  assert.equal(copy.networks['app-network']!.driver, 'overlay');
});

test('an old CLI with files lacking version gets one generated merged copy; with a common version, the files', () => {
  const plan = planStackDeploy(input({ clientVersion: '20.10.24+dfsg1' }));
  assert.deepEqual(plan.args, ['stack', 'deploy', '--resolve-image', 'always', '-c', '/tmp/cb-x/stack.yml', 'shop']);
  assert.equal(plan.generated?.path, '/tmp/cb-x/stack.yml');
  assert.ok(plan.warnings.some((w) => formatMessage(w).includes('docker CLI 20.10.24+dfsg1 needs a top-level version')), plan.warnings.map((w) => formatMessage(w)).join('\n'));
  const versioned = planStackDeploy(input({ clientVersion: '20.10.24', base: { ...stackReady, text: `version: "3.8"\n${stackReady.text}` }, prod: { ...prod, text: `version: "3.8"\n${prod.text}` } }));
  assert.equal(versioned.generated, undefined);
  assert.deepEqual(versioned.args.filter((a) => a.endsWith('.yml')), [base.path, prod.path]);
});

test('the generated copy: version 3.8, merged prod config, absolute paths, depends_on as a list, unknown keys left out and named', () => {
  const { text, dropped } = generatedStackFile([base, prod], '/srv/shop');
  const copy = JSON.parse(text) as { version: string; name?: string; services: Record<string, Record<string, unknown>>; secrets: Record<string, { file: string }> };
  assert.equal(copy.version, '3.8');
  assert.equal(copy.name, undefined);
  const api = copy.services.api!;
  assert.deepEqual(api.deploy, { replicas: 3 });
  assert.equal(api.build, undefined);
  assert.equal(api.pull_policy, undefined);
  assert.equal(api.env_file, '/srv/shop/data/api/api.env');
  assert.deepEqual(api.volumes, ['/srv/shop/data/api/config:/etc/api:ro', 'api-data:/var/lib/api', { type: 'bind', source: '/srv/shared', target: '/shared' }]);
  assert.deepEqual(api.depends_on, ['db']);
  assert.deepEqual(api.healthcheck, { test: ['CMD', 'true'] });
  assert.deepEqual(api.environment, { PASSWORD: '${API_PASSWORD}' }, 'variables are left for the CLI to interpolate');
  assert.equal(copy.secrets.token!.file, '/srv/shop/data/secrets/token.txt');
  assert.deepEqual(dropped, ['healthcheck.start_interval', 'name', 'services.*.pull_policy']);
});

test('absolutePath resolves . and .. with the folder\'s separator', () => {
  const cases: [string, string, string][] = [
    ['/srv/shop', './data', '/srv/shop/data'],
    ['/srv/shop/', '../x/./y', '/srv/x/y'],
    ['/srv/shop', '.', '/srv/shop'],
    ['C:\\work\\shop', '.\\data\\cfg', 'C:\\work\\shop\\data\\cfg'],
    ['C:\\work\\shop', '../other', 'C:\\work\\other'],
  ];
  for (const [folder, relative, expected] of cases) assert.equal(absolutePath(folder, relative), expected, `${folder} + ${relative}`);
});

test('.env variables go to the command environment without overriding inherited ones', () => {
  assert.deepEqual(dotenvForCommand('A=1\nB="two words"\n# c\nC=3\n', { C: 'set' }), { A: '1', B: 'two words' });
  assert.deepEqual(dotenvForCommand(undefined), {});
  const plan = planStackDeploy(input({ envText: 'API_PASSWORD=x\n' }));
  assert.deepEqual(plan.env, { API_PASSWORD: 'x' });
  assert.ok(plan.warnings.some((w) => formatMessage(w).includes('does not read .env')));
});

test('stack names', () => {
  const cases: [string, boolean][] = [['shop', true], ['bpdeploy-1', true], ['a_b', true], ['', false], ['-shop', false], ['shop-', false], ['my shop', false], ['shop.prod', false], ['x'.repeat(51), false]];
  for (const [name, ok] of cases) assert.equal(validateStackName(name) === undefined, ok, name);
});

test('docker info: swarm state and why a deploy cannot go there', () => {
  const info = (swarm: object) => JSON.stringify({ swarm, name: 'node-1', version: '20.10.24' });
  const cases: [string, string | undefined][] = [
    [info({ LocalNodeState: 'active', ControlAvailable: true }), undefined],
    [info({ LocalNodeState: 'inactive', ControlAvailable: false }), 'not part of a Swarm'],
    [info({ LocalNodeState: 'active', ControlAvailable: false }), 'Swarm worker'],
    [info({ LocalNodeState: 'locked', ControlAvailable: false }), 'locked'],
    [info({ LocalNodeState: 'error', ControlAvailable: false, Error: 'boom' }), 'error: boom'],
  ];
  for (const [output, expected] of cases) {
    const state = parseSwarmState(output);
    assert.ok(state, output);
    const blocker = swarmBlocker(state);
    if (expected === undefined) assert.equal(blocker, undefined);
    else assert.ok(blocker && formatMessage(blocker).includes(expected), `${output}: ${blocker ? formatMessage(blocker) : ''}`);
  }
  assert.equal(parseSwarmState('Cannot connect to the Docker daemon'), undefined);
  assert.equal(parseSwarmState('{"swarm":null}'), undefined);
  // What docker info prints when no daemon answers: the template with empty fields (and an error on stderr).
  assert.equal(parseSwarmState('{"swarm":{"NodeID":"","NodeAddr":"","LocalNodeState":"","ControlAvailable":false,"Error":"","RemoteManagers":null},"name":"","version":""}'), undefined);
});

test('resolve-image setting: always, changed, never; junk is always', () => {
  assert.deepEqual(['never', 'changed', 'always', 'NEVER', 3, undefined].map(normalizeResolveImage), ['never', 'changed', 'always', 'always', 'always', 'always']);
});
