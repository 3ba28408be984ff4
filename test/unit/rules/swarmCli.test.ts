import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../../src/cli/main';

/** `compose-blueprint lint` on a project with a container_name and no Swarm intent: which swarm-* rules it reports. */
async function lintSwarmRules(args: string[], settings?: object): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-swarm-cli-'));
  try {
    fs.writeFileSync(path.join(dir, 'docker-compose.yml'), 'services:\n  api:\n    image: example/api:1.4\n    container_name: api\n');
    if (settings) {
      fs.mkdirSync(path.join(dir, '.vscode'));
      fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify(settings));
    }
    let out = '';
    let err = '';
    const status = await runCli(['lint', '--format', 'json', ...args], { cwd: dir, out: (t) => (out += t), err: (t) => (err += t) });
    assert.ok(status === 0 || status === 1, `exit ${status}: ${err}`);
    return [...new Set((JSON.parse(out) as { rule: string }[]).map((f) => f.rule).filter((r) => r.startsWith('swarm-')))].sort();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('CLI: --swarm forces the Swarm checks on, --no-swarm off, the setting decides otherwise (auto: no intent, none)', async () => {
  const all = ['swarm-restart-policy-missing', 'swarm-unsupported-option', 'swarm-update-policy-missing'];
  assert.deepEqual(await lintSwarmRules([]), []);
  assert.deepEqual(await lintSwarmRules(['--swarm']), all);
  assert.deepEqual(await lintSwarmRules([], { 'composeBlueprint.swarm.checks': 'on' }), all);
  assert.deepEqual(await lintSwarmRules(['--no-swarm'], { 'composeBlueprint.swarm.checks': 'on' }), []);
  assert.deepEqual(await lintSwarmRules(['--swarm', '--rule', 'swarm-unsupported-option=off']), ['swarm-restart-policy-missing', 'swarm-update-policy-missing']);
});
