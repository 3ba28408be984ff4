import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DockerEndpoint } from '../../../src/core/docker/endpoint';
import {
  endpointIdentity,
  hostProblem,
  LOCAL_ENGINE_KEY,
  parseEnginesSetting,
  resolveEngines,
  withEntry,
  withoutEntry,
  type EngineEntry,
} from '../../../src/core/docker/engines';
import { formatMessage } from '../../../src/core/message';

const local: DockerEndpoint = { kind: 'socket', socketPath: '/var/run/docker.sock', source: 'default' };

test('the engines setting: good entries kept, each bad one named with its position', () => {
  const table: [string, unknown, EngineEntry[], RegExp[]][] = [
    ['unset', undefined, [], []],
    ['empty', [], [], []],
    ['not a list', { host: 'tcp://a:2375' }, [], [/must be a list of engines/]],
    ['an address with a name', [{ name: ' staging ', host: ' tcp://10.0.0.5:2375 ' }], [{ kind: 'host', host: 'tcp://10.0.0.5:2375', name: 'staging' }], []],
    ['a context', [{ context: 'colima' }], [{ kind: 'context', context: 'colima' }], []],
    ['both host and context', [{ host: 'tcp://a:1', context: 'x' }], [], [/^Engine 1 has both "host" and "context"/]],
    ['neither', [{ name: 'x' }], [], [/^Engine 1 has neither "host" nor "context"/]],
    ['a string entry', ['tcp://a:2375'], [], [/^Engine 1 of composeBlueprint\.docker\.engines is not an object/]],
    ['a bad address among good ones', [{ host: 'tcp://a:2375' }, { host: 'ftp://x' }, { context: 'c' }], [{ kind: 'host', host: 'tcp://a:2375' }, { kind: 'context', context: 'c' }], [/^Engine 2: "ftp:\/\/x" is not a usable Docker address/]],
    ['a number host', [{ host: 2375 }], [], [/^Engine 1: "host" must be text/]],
    ['an empty context', [{ context: ' ' }], [], [/^Engine 1: "context" must be the name of a docker context/]],
    ['a non-text name is ignored', [{ name: 3, host: 'ssh://me@box' }], [{ kind: 'host', host: 'ssh://me@box' }], [/"name" must be text/]],
  ];
  for (const [what, value, entries, problems] of table) {
    const parsed = parseEnginesSetting(value);
    assert.deepEqual(parsed.entries, entries, what);
    assert.equal(parsed.problems.length, problems.length, `${what}: ${JSON.stringify(parsed.problems)}`);
    parsed.problems.forEach((problem, index) => assert.match(formatMessage(problem.message), problems[index]!, what));
  }
});

test('addresses typed in the Add Engine box are checked like DOCKER_HOST', () => {
  const table: [string, RegExp | undefined][] = [
    ['tcp://127.0.0.1:2375', undefined],
    ['ssh://deploy@staging', undefined],
    ['unix:///run/user/1000/docker.sock', undefined],
    ['', /Enter an address/],
    ['localhost:2375', /is not a Docker address/],
    ['tcp://host:99999', /Port 99999 is out of range/],
  ];
  for (const [address, expected] of table) {
    const problem = hostProblem(address);
    if (expected === undefined) assert.equal(problem, undefined, address);
    else assert.match(formatMessage(problem!), expected, address);
  }
});

test('an endpoint\'s identity ignores where it came from, case of host names and trailing slashes', () => {
  const table: [DockerEndpoint, DockerEndpoint, boolean][] = [
    [local, { ...local, source: 'DOCKER_HOST' }, true],
    [local, { kind: 'socket', socketPath: '/var/run//docker.sock/', source: 'x' }, true],
    [{ kind: 'tcp', host: 'Box', port: 2375, tls: false, source: 'a' }, { kind: 'tcp', host: 'box', port: 2375, tls: true, source: 'b' }, true],
    [{ kind: 'tcp', host: 'box', port: 2375, tls: false, source: 'a' }, { kind: 'tcp', host: 'box', port: 2376, tls: false, source: 'a' }, false],
    [{ kind: 'ssh', host: 'box', port: 22, username: 'a', source: 's' }, { kind: 'ssh', host: 'box', port: 22, username: 'b', source: 's' }, false],
  ];
  for (const [a, b, same] of table) assert.equal(endpointIdentity(a) === endpointIdentity(b), same, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
});

test('engines: local first, then the setting in order; duplicates and unknown contexts reported, shown once', () => {
  const contexts = new Map<string, DockerEndpoint | undefined>([
    ['staging', { kind: 'tcp', host: 'staging.example', port: 2376, tls: true, source: 'docker context staging' }],
    ['same-as-local', { kind: 'socket', socketPath: '/var/run/docker.sock', source: 'docker context same-as-local' }],
    ['broken', undefined],
  ]);
  const entries: EngineEntry[] = [
    { kind: 'context', context: 'staging' },
    { kind: 'host', host: 'tcp://127.0.0.1:2375', name: 'proxy' },
    { kind: 'context', context: 'same-as-local' },
    { kind: 'context', context: 'nope' },
    { kind: 'context', context: 'broken' },
    { kind: 'host', host: 'tcp://STAGING.example:2376' },
    { kind: 'host', host: 'tcp://127.0.0.2:2375', name: 'proxy' },
  ];
  const { engines, problems } = resolveEngines({ local, entries, contexts });
  assert.deepEqual(
    engines.map((e) => [e.key, e.name, e.local, e.index]),
    [
      [LOCAL_ENGINE_KEY, 'local', true, -1],
      ['engine:tcp://staging.example:2376', 'staging', false, 0],
      ['engine:tcp://127.0.0.1:2375', 'proxy', false, 1],
      ['engine:tcp://127.0.0.2:2375', 'proxy (tcp://127.0.0.2:2375)', false, 6],
    ],
  );
  assert.equal(engines[1]!.context, 'staging');
  assert.deepEqual(
    problems.map((p) => [p.index, formatMessage(p.message)]),
    [
      [2, 'same-as-local reaches the same engine as local (unix:///var/run/docker.sock); it is shown once.'],
      [3, 'There is no docker context named "nope" (see docker context ls).'],
      [4, 'The docker context "broken" has no Docker endpoint this extension can use.'],
      [5, 'tcp://STAGING.example:2376 reaches the same engine as staging (tcp://staging.example:2376); it is shown once.'],
    ],
  );
});

test('keys are stable when the setting is reordered', () => {
  const a: EngineEntry = { kind: 'host', host: 'tcp://a:2375' };
  const b: EngineEntry = { kind: 'host', host: 'ssh://me@b' };
  const first = resolveEngines({ local, entries: [a, b], contexts: new Map() }).engines.map((e) => e.key).sort();
  const second = resolveEngines({ local, entries: [b, a], contexts: new Map() }).engines.map((e) => e.key).sort();
  assert.deepEqual(first, second);
  assert.equal(new Set(first).size, 3);
});

test('the local engine says which context it came from', () => {
  const fromContext: DockerEndpoint = { kind: 'socket', socketPath: '/home/me/.colima/docker.sock', source: 'docker context colima' };
  assert.equal(resolveEngines({ local: fromContext, entries: [], contexts: new Map() }).engines[0]!.name, 'local (colima)');
});

test('adding and removing entries keeps the others as written', () => {
  const value = [{ host: 'tcp://a:1', extra: true }, { context: 'c' }];
  assert.deepEqual(withEntry(value, { kind: 'context', context: 'd' }), [...value, { context: 'd' }]);
  assert.deepEqual(withEntry(undefined, { kind: 'host', host: 'tcp://x:2', name: 'x' }), [{ name: 'x', host: 'tcp://x:2' }]);
  assert.deepEqual(withoutEntry(value, 0), [{ context: 'c' }]);
  assert.deepEqual(withoutEntry(value, 5), value);
  assert.deepEqual(value.length, 2, 'the input is not changed');
});
