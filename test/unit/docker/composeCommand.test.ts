import assert from 'node:assert/strict';
import { test } from 'node:test';
import { composeInvocation, displayCommand, filesFor, parseComposeVersion, type ComposeTool } from '../../../src/core/docker/composeCommand';
import { dockerfilePath, serviceSources } from '../../../src/core/docker/serviceSource';
import { parseYaml } from '../../../src/core/yaml/parse';

const v2: ComposeTool = { kind: 'v2', docker: 'docker', version: '2.29.1' };
const v1: ComposeTool = { kind: 'v1', path: 'docker-compose', version: '1.29.2' };

test('compose versions are read from both tools', () => {
  assert.equal(parseComposeVersion('Docker Compose version v2.29.1\n'), '2.29.1');
  assert.equal(parseComposeVersion('1.29.2\n'), '1.29.2');
  assert.equal(parseComposeVersion("docker: 'compose' is not a docker command."), undefined);
});

test('development is base + override, production is base + prod', () => {
  const files = { base: '/p/docker-compose.yml', override: '/p/docker-compose.override.yml', prod: '/p/docker-compose.prod.yml' };
  assert.deepEqual(filesFor(files, 'development'), ['/p/docker-compose.yml', '/p/docker-compose.override.yml']);
  assert.deepEqual(filesFor(files, 'production'), ['/p/docker-compose.yml', '/p/docker-compose.prod.yml']);
  assert.deepEqual(filesFor({ base: '/p/compose.yaml' }, 'production'), ['/p/compose.yaml']);
});

test('invocations are argument arrays with -p and every -f, for v2 and v1', () => {
  const files = ['/p q/docker-compose.yml', '/p q/docker-compose.override.yml'];
  const table: [ComposeTool, Parameters<typeof composeInvocation>[3], string[], string, string[]][] = [
    [v2, 'up', [], 'docker', ['compose', '-p', 'shop', '-f', files[0]!, '-f', files[1]!, 'up', '-d']],
    [v1, 'up', ['web'], 'docker-compose', ['-p', 'shop', '-f', files[0]!, '-f', files[1]!, 'up', '-d', 'web']],
    [v1, 'down', ['web'], 'docker-compose', ['-p', 'shop', '-f', files[0]!, '-f', files[1]!, 'down']],
    [v2, 'restart', [], 'docker', ['compose', '-p', 'shop', '-f', files[0]!, '-f', files[1]!, 'restart']],
    [v2, 'logs', ['db'], 'docker', ['compose', '-p', 'shop', '-f', files[0]!, '-f', files[1]!, 'logs', '-f', '--tail', '200', 'db']],
  ];
  for (const [tool, action, services, command, args] of table) assert.deepEqual(composeInvocation(tool, 'shop', files, action, services), { command, args });
  assert.equal(displayCommand(composeInvocation(v1, 'shop', files.slice(0, 1), 'up')), "docker-compose -p shop -f '/p q/docker-compose.yml' up -d");
});

test('service sources: definition in the first file, build from the last file that sets it', () => {
  const base = parseYaml('services:\n  web:\n    build: ./build/web\n  db:\n    image: postgres:16\n  api:\n    build:\n      context: ./build/api\n      dockerfile: Dockerfile.dev\n');
  const override = parseYaml('services:\n  web:\n    build:\n      context: ./build/web2\n  extra:\n    image: busybox\n');
  const sources = serviceSources([base, override]);
  assert.deepEqual([...sources.keys()], ['web', 'db', 'api', 'extra']);
  const web = sources.get('web')!;
  assert.equal(web.fileIndex, 0);
  assert.equal(web.keySpan.start, 'services:\n  '.length);
  assert.deepEqual(web.build, { context: './build/web2', dockerfile: 'Dockerfile', fileIndex: 1 });
  assert.equal(sources.get('db')!.build, undefined);
  assert.equal(sources.get('extra')!.fileIndex, 1);
  assert.equal(dockerfilePath(sources.get('api')!.build!), 'build/api/Dockerfile.dev');
  assert.equal(dockerfilePath(web.build), 'build/web2/Dockerfile');
  assert.equal(dockerfilePath({ context: '.', dockerfile: 'Dockerfile', fileIndex: 0 }), 'Dockerfile');
  assert.equal(dockerfilePath({ context: './x/', dockerfile: '/abs/Dockerfile', fileIndex: 0 }), '/abs/Dockerfile');
});
