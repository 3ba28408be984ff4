import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type Docker from 'dockerode';
import { forceUpdateService, removeStack, scaleService, SwarmActionError } from '../../../src/host/docker/swarmActions';

// The Swarm actions against a fake that answers with the recorded service JSON (fixtures/swarm) and records what
// would go over the wire: the update's query (the version read) and body (the whole spec, changed in one place).
const fixtures = path.resolve(__dirname, '../../../../test/unit/docker/fixtures/swarm');
type Json = Record<string, unknown>;
const services = JSON.parse(fs.readFileSync(path.join(fixtures, 'services.json'), 'utf8')) as Json[];
const byName = (name: string) => services.find((s) => (s.Spec as Json).Name === name)!;

function fake(options: { updateError?: Error; removeErrors?: Record<string, Error> } = {}) {
  const calls: string[] = [];
  const updates: { id: string; query: unknown; body: Json }[] = [];
  const client = {
    getService: (id: string) => ({
      inspect: () => {
        calls.push(`inspect ${id}`);
        const found = services.find((s) => s.ID === id);
        return found ? Promise.resolve(found) : Promise.reject(Object.assign(new Error('(HTTP code 404) no such service'), { statusCode: 404, json: { message: `service ${id} not found` } }));
      },
      update: (opts: { _query: unknown; _body: Json }) => {
        calls.push(`update ${id}`);
        updates.push({ id, query: opts._query, body: opts._body });
        return options.updateError ? Promise.reject(options.updateError) : Promise.resolve({ Warnings: null });
      },
      remove: () => remove(`service ${id}`),
    }),
    listServices: () => (calls.push('list services'), Promise.resolve(services.filter((s) => ((s.Spec as Json).Labels as Json)['com.docker.stack.namespace'] === 'bpswarmcap'))),
    listNetworks: () => (calls.push('list networks'), Promise.resolve([{ Id: 'net1', Name: 'bpswarmcap_default' }])),
    listSecrets: () => (calls.push('list secrets'), Promise.resolve([{ ID: 'sec1', Spec: { Name: 'bpswarmcap_token' } }])),
    listConfigs: () => (calls.push('list configs'), Promise.resolve([])),
    getNetwork: (id: string) => ({ remove: () => remove(`network ${id}`) }),
    getSecret: (id: string) => ({ remove: () => remove(`secret ${id}`) }),
    getConfig: (id: string) => ({ remove: () => remove(`config ${id}`) }),
  } as unknown as Docker;
  function remove(what: string) {
    calls.push(`remove ${what}`);
    const error = options.removeErrors?.[what];
    return error ? Promise.reject(error) : Promise.resolve();
  }
  return { client, calls, updates };
}

test('scale: the spec read at its version goes back with only the replica count changed', async () => {
  const web = byName('bpswarmcap_web');
  const { client, updates } = fake();
  await scaleService(client, web.ID as string, 3);
  assert.equal(updates.length, 1);
  assert.deepEqual(updates[0]!.query, { version: (web.Version as Json).Index });
  const spec = web.Spec as Json;
  assert.deepEqual(updates[0]!.body, { ...spec, Mode: { Replicated: { Replicas: 3 } } });
});

test('scale refuses a global service and a bad count before asking the engine to change anything', async () => {
  const worker = byName('bpswarmcap_worker');
  const { client, calls } = fake();
  const table: [string, number, string][] = [
    [worker.ID as string, 2, 'global-mode'],
    [byName('bpswarmcap_web').ID as string, -1, 'invalid-replicas'],
    [byName('bpswarmcap_web').ID as string, 1.5, 'invalid-replicas'],
    ['nosuchservice', 1, 'not-found'],
  ];
  for (const [id, replicas, reason] of table) {
    const error = await scaleService(client, id, replicas).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof SwarmActionError, `${id} ${replicas}`);
    assert.equal(error.reason, reason);
  }
  assert.ok(!calls.some((c) => c.startsWith('update')));
});

test('force update increments TaskTemplate.ForceUpdate; an out-of-sequence answer becomes a "try again" message', async () => {
  const loose = byName('bpswarmloose');
  const { client, updates } = fake();
  await forceUpdateService(client, loose.ID as string);
  const template = (loose.Spec as Json).TaskTemplate as Json;
  assert.equal(((updates[0]!.body.TaskTemplate as Json).ForceUpdate as number) - (template.ForceUpdate as number), 1);
  const racing = fake({ updateError: Object.assign(new Error('(HTTP code 500) server error'), { statusCode: 500, json: { message: 'rpc error: code = Unknown desc = update out of sequence' } }) });
  const error = await forceUpdateService(racing.client, loose.ID as string).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof SwarmActionError);
  assert.equal(error.reason, 'out-of-sequence');
});

test('removeStack: services first, then secrets, configs and networks; already gone counts as removed; failures are reported, not thrown', async () => {
  const { client, calls } = fake({
    removeErrors: {
      'service 0zpa49totd9rz10nmxdvnj2b1': Object.assign(new Error('gone'), { statusCode: 404 }),
      'network net1': Object.assign(new Error('(HTTP code 403)'), { statusCode: 403, json: { message: 'network bpswarmcap_default has active endpoints' } }),
    },
  });
  const removed = await removeStack(client, 'bpswarmcap');
  assert.deepEqual([...removed.services].sort(), ['bpswarmcap_crashy', 'bpswarmcap_web', 'bpswarmcap_worker']);
  assert.deepEqual(removed.secrets, ['bpswarmcap_token']);
  assert.deepEqual(removed.networks, []);
  assert.equal(removed.failures.length, 1);
  assert.equal(removed.failures[0]!.kind, 'network');
  assert.match(removed.failures[0]!.message.args.join(' '), /active endpoints/);
  const removals = calls.filter((c) => c.startsWith('remove'));
  assert.ok(removals.findIndex((c) => c.startsWith('remove network')) > removals.findLastIndex((c) => c.startsWith('remove service')));
});
