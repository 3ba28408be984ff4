import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDockerHost } from '../../src/core/docker/endpoint';
import { chooseEndpoint, createDockerClient, pingDocker } from '../../src/host/docker/connect';
import { needsDaemon, TEST_IMAGE } from './daemon';

test('the real daemon answers with its version and has the local test image', async (t) => {
  if (!(await needsDaemon(t))) return;
  const endpoint = chooseEndpoint();
  const client = createDockerClient(endpoint);
  const ping = await pingDocker(client, endpoint);
  assert.ok(ping.ok, 'ping failed');
  assert.match(ping.apiVersion, /^1\.\d+$/);
  const image = await client.getImage(TEST_IMAGE).inspect();
  assert.ok(image.Config.Healthcheck?.Test?.length, 'the test image must carry a HEALTHCHECK');
});

const unreachable: [string, string, string][] = [
  ['a socket path that does not exist', 'unix:///tmp/compose-blueprint-no-such.sock', 'no-socket'],
  ['a closed TCP port on loopback', 'tcp://127.0.0.1:1', 'connection-refused'],
];
for (const [name, address, reason] of unreachable) {
  test(`an unreachable daemon is a reason, not an exception: ${name}`, async () => {
    const endpoint = parseDockerHost(address, 'test');
    assert.ok(endpoint);
    const ping = await pingDocker(createDockerClient(endpoint), endpoint, 3000);
    assert.equal(ping.ok, false);
    assert.equal(ping.ok ? '' : ping.reason, reason);
  });
}
