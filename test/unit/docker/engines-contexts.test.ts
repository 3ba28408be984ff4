import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { describeEndpoint } from '../../../src/core/docker/endpoint';
import { listDockerContexts } from '../../../src/host/docker/contexts';

/** Writes contexts the way the docker CLI stores them: `contexts/meta/<sha256 of name>/meta.json`. */
function writeContext(configDir: string, name: string, meta: string, tls = false): void {
  const digest = crypto.createHash('sha256').update(name).digest('hex');
  const folder = path.join(configDir, 'contexts', 'meta', digest);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'meta.json'), meta);
  if (tls) {
    const tlsDir = path.join(configDir, 'contexts', 'tls', digest, 'docker');
    fs.mkdirSync(tlsDir, { recursive: true });
    fs.writeFileSync(path.join(tlsDir, 'ca.pem'), 'not a real certificate');
  }
}

test('docker contexts are read from the CLI\'s files, sorted, with TLS folders; broken ones skipped', (t) => {
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-contexts-'));
  t.after(() => fs.rmSync(configDir, { recursive: true, force: true }));
  const meta = (name: string, host: string | undefined, description?: string) =>
    JSON.stringify({ Name: name, Metadata: description ? { Description: description } : {}, Endpoints: host === undefined ? { kubernetes: {} } : { docker: { Host: host, SkipTLSVerify: false } } });
  writeContext(configDir, 'staging', meta('staging', 'tcp://staging.example:2376', 'the staging swarm'), true);
  writeContext(configDir, 'colima', meta('colima', 'unix:///home/me/.colima/default/docker.sock'));
  writeContext(configDir, 'k8s-only', meta('k8s-only', undefined));
  writeContext(configDir, 'broken', '{ not json');
  writeContext(configDir, 'ssh-box', meta('ssh-box', 'ssh://deploy@box'));

  const contexts = listDockerContexts({ DOCKER_CONFIG: configDir });
  assert.deepEqual(
    contexts.map((c) => [c.name, c.endpoint ? describeEndpoint(c.endpoint) : undefined, c.description]),
    [
      ['colima', 'unix:///home/me/.colima/default/docker.sock', undefined],
      ['k8s-only', undefined, undefined],
      ['ssh-box', 'ssh://deploy@box:22', undefined],
      ['staging', 'tcp+tls://staging.example:2376', 'the staging swarm'],
    ],
  );
  const staging = contexts.find((c) => c.name === 'staging')!.endpoint;
  assert.equal(staging?.kind === 'tcp' ? staging.certDir : undefined, path.join(configDir, 'contexts', 'tls', crypto.createHash('sha256').update('staging').digest('hex'), 'docker'));
  assert.equal(staging?.source, 'docker context staging');
});

test('no contexts folder: no contexts, no error', () => {
  assert.deepEqual(listDockerContexts({ DOCKER_CONFIG: path.join(os.tmpdir(), 'cb-no-such-config-folder') }), []);
});
