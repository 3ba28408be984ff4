import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { currentContextName, endpointFromContextMeta, resolveEndpoint, type DockerEndpoint } from '../../../src/core/docker/endpoint';
import { chooseEndpoint, readCurrentContext } from '../../../src/host/docker/connect';

const ctxEndpoint: DockerEndpoint = { kind: 'socket', socketPath: '/ctx.sock', source: 'docker context podman' };

test('resolution order: setting, DOCKER_HOST, current context, platform default', () => {
  const table: [string, Parameters<typeof resolveEndpoint>[0], string, string][] = [
    ['setting wins', { setting: 'tcp://s:2375', env: { DOCKER_HOST: 'unix:///env.sock' }, platform: 'linux', context: { name: 'c', endpoint: ctxEndpoint } }, 'tcp', 'setting composeBlueprint.docker.host'],
    ['DOCKER_HOST next', { env: { DOCKER_HOST: 'unix:///env.sock' }, platform: 'linux', context: { name: 'c', endpoint: ctxEndpoint } }, 'socket', 'DOCKER_HOST'],
    ['then the context', { env: {}, platform: 'linux', context: { name: 'c', endpoint: ctxEndpoint } }, 'socket', 'docker context podman'],
    ['a context without an endpoint falls through', { env: {}, platform: 'linux', context: { name: 'c', endpoint: undefined } }, 'socket', 'default'],
    ['blank setting is no setting', { setting: '  ', env: {}, platform: 'linux' }, 'socket', 'default'],
  ];
  for (const [name, inputs, kind, source] of table) {
    const endpoint = resolveEndpoint(inputs);
    assert.deepEqual([endpoint.kind, endpoint.source], [kind, source], name);
  }
  assert.deepEqual(resolveEndpoint({ env: {}, platform: 'linux' }), { kind: 'socket', socketPath: '/var/run/docker.sock', source: 'default' });
  assert.equal((resolveEndpoint({ env: {}, platform: 'win32' }) as { socketPath: string }).socketPath, '//./pipe/docker_engine');
});

test('DOCKER_TLS_VERIFY and DOCKER_CERT_PATH make DOCKER_HOST a TLS endpoint with certificates', () => {
  const endpoint = resolveEndpoint({ env: { DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, platform: 'linux' });
  assert.deepEqual(endpoint, { kind: 'tcp', host: 'h', port: 2376, tls: true, source: 'DOCKER_HOST', certDir: '/certs' });
  assert.equal((resolveEndpoint({ env: { DOCKER_HOST: 'tcp://h:2375', DOCKER_TLS_VERIFY: '0' }, platform: 'linux' }) as { tls: boolean }).tls, false);
});

test('the current context name: DOCKER_CONTEXT, else config.json currentContext, else default', () => {
  const table: [Record<string, string>, string | undefined, string][] = [
    [{ DOCKER_CONTEXT: 'envctx' }, '{"currentContext":"cfg"}', 'envctx'],
    [{}, '{"currentContext":"cfg"}', 'cfg'],
    [{}, '{"auths":{}}', 'default'],
    [{}, 'not json', 'default'],
    [{}, undefined, 'default'],
    [{}, '{"currentContext":42}', 'default'],
  ];
  for (const [env, config, expected] of table) assert.equal(currentContextName(env, config), expected);
});

test('context metadata: unix socket, tcp, tcp with TLS certificates, SkipTLSVerify, ssh, broken', () => {
  const meta = (host: string, skip = false) => JSON.stringify({ Name: 'x', Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: skip } } });
  assert.deepEqual(endpointFromContextMeta('podman', meta('unix:///run/user/1000/podman/podman.sock')), {
    kind: 'socket',
    socketPath: '/run/user/1000/podman/podman.sock',
    source: 'docker context podman',
  });
  assert.deepEqual(endpointFromContextMeta('remote', meta('tcp://10.0.0.5:2375')), { kind: 'tcp', host: '10.0.0.5', port: 2375, tls: false, source: 'docker context remote' });
  assert.deepEqual(endpointFromContextMeta('secure', meta('tcp://10.0.0.5:2376'), '/tls/dir'), {
    kind: 'tcp',
    host: '10.0.0.5',
    port: 2376,
    tls: true,
    source: 'docker context secure',
    certDir: '/tls/dir',
  });
  const skip = endpointFromContextMeta('lab', meta('tcp://lab:2376', true));
  assert.equal(skip?.kind === 'tcp' && skip.tls && skip.skipVerify, true);
  assert.deepEqual(endpointFromContextMeta('box', meta('ssh://me@box')), { kind: 'ssh', host: 'box', port: 22, username: 'me', source: 'docker context box' });
  for (const broken of ['', '{', '{"Endpoints":{}}', '{"Endpoints":{"docker":{"Host":7}}}', meta('ftp://x')]) assert.equal(endpointFromContextMeta('b', broken), undefined);
});

test('the host reads the current context from DOCKER_CONFIG: meta.json under the sha256 of its name, TLS files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-docker-config-'));
  try {
    const digest = crypto.createHash('sha256').update('secure').digest('hex');
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ currentContext: 'secure' }));
    fs.mkdirSync(path.join(dir, 'contexts', 'meta', digest), { recursive: true });
    fs.writeFileSync(path.join(dir, 'contexts', 'meta', digest, 'meta.json'), JSON.stringify({ Name: 'secure', Endpoints: { docker: { Host: 'tcp://10.1.1.1:2376' } } }));
    const env = { DOCKER_CONFIG: dir };
    assert.deepEqual(readCurrentContext(env), { name: 'secure', endpoint: { kind: 'tcp', host: '10.1.1.1', port: 2376, tls: false, source: 'docker context secure' } });
    const tlsDir = path.join(dir, 'contexts', 'tls', digest, 'docker');
    fs.mkdirSync(tlsDir, { recursive: true });
    fs.writeFileSync(path.join(tlsDir, 'ca.pem'), 'x');
    const withTls = chooseEndpoint({ env });
    assert.deepEqual(withTls, { kind: 'tcp', host: '10.1.1.1', port: 2376, tls: true, source: 'docker context secure', certDir: tlsDir });
    // DOCKER_HOST beats the context; DOCKER_CONTEXT beats config.json (here: a context without metadata).
    assert.equal(chooseEndpoint({ env: { ...env, DOCKER_HOST: 'unix:///x.sock' } }).source, 'DOCKER_HOST');
    assert.deepEqual(readCurrentContext({ ...env, DOCKER_CONTEXT: 'missing' }), { name: 'missing', endpoint: undefined });
    assert.equal(chooseEndpoint({ env: { ...env, DOCKER_CONTEXT: 'default' } }).source, 'default');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
