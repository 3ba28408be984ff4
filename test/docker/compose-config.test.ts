import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'yaml';
import { mergeConfigs, mountTarget, normalizeConfig } from '../../src/core/compose/merge';
import { at, type CNode, toConfigTree, toPlain } from '../../src/core/compose/model';
import { parseYaml } from '../../src/core/yaml/parse';

// Our merge of base + override against `docker-compose config` (Debian's Compose v1.29, which needs no daemon
// for `config`). v1 knows neither `!reset` nor `!override`; those are covered by the unit tests.
function composeBinary(): string | undefined {
  try {
    execFileSync('docker-compose', ['version', '--short'], { stdio: 'pipe' });
    return 'docker-compose';
  } catch {
    return undefined;
  }
}
const binary = composeBinary();
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-compose-config-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

interface Summary {
  environment: Record<string, string>;
  command: unknown;
  healthcheck: unknown;
  dependsOn: string[];
  volumeTargets: string[];
  publishedPorts: string[];
  image: unknown;
}

function ours(base: string, override: string): Record<string, Summary> {
  const merged = mergeConfigs([base, override].map((text, i) => normalizeConfig(toConfigTree(parseYaml(text), i))));
  const services = at(merged, 'services');
  const result: Record<string, Summary> = {};
  if (services?.kind !== 'map') return result;
  for (const [name, entry] of services.entries) {
    const service = entry.value;
    const env = toPlain(at(service, 'environment')) as Record<string, unknown> | null;
    const volumes = at(service, 'volumes');
    const ports = at(service, 'ports');
    result[name] = {
      environment: Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, String(v)])),
      command: toPlain(at(service, 'command')),
      healthcheck: toPlain(at(service, 'healthcheck')),
      dependsOn: Object.keys((toPlain(at(service, 'depends_on')) as Record<string, unknown> | null) ?? {}).sort(),
      volumeTargets: volumes?.kind === 'seq' ? volumes.items.map((v: CNode) => mountTarget(v) ?? '').sort() : [],
      publishedPorts: ports?.kind === 'seq' ? ports.items.map((p: CNode) => String(toPlain(p)).split(':').slice(-2, -1)[0] ?? '').sort() : [],
      image: toPlain(at(service, 'image')),
    };
  }
  return result;
}

function theirs(dir: string): Record<string, Summary> {
  const output = execFileSync(binary!, ['config'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8');
  const config = parse(output) as { services: Record<string, Record<string, unknown>> };
  const result: Record<string, Summary> = {};
  for (const [name, service] of Object.entries(config.services)) {
    const env = (service.environment ?? {}) as Record<string, unknown>;
    result[name] = {
      environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
      command: service.command ?? null,
      healthcheck: service.healthcheck ?? null,
      dependsOn: Object.keys((service.depends_on ?? {})).sort(),
      volumeTargets: ((service.volumes ?? []) as string[]).map((v) => (typeof v === 'string' ? (v.split(':')[1] ?? '') : String((v as { target?: string }).target))).sort(),
      publishedPorts: ((service.ports ?? []) as { published?: number }[]).map((p) => String(p.published ?? '')).sort(),
      image: service.image ?? null,
    };
  }
  return result;
}

/** [what, base, override]. */
const cases: [string, string, string][] = [
  [
    'environment, volumes by target, ports, command and healthcheck.test',
    'services:\n  web:\n    image: a:1\n    environment: [A=1, B=2]\n    volumes: ["./a:/data", "./b:/b"]\n    ports: ["80:80"]\n    command: [a, b]\n    depends_on: [db]\n    healthcheck:\n      test: [CMD, a]\n      retries: 3\n  db:\n    image: postgres:16\n',
    'services:\n  web:\n    environment:\n      B: "3"\n      C: "4"\n    volumes: ["./c:/data:ro"]\n    ports: ["80:80", "443:443"]\n    command: [c]\n    healthcheck:\n      test: [CMD, b]\n',
  ],
  [
    'depends_on list and map, a service only in the override, anchors and merge keys',
    'x-env: &env\n  LOG: info\nservices:\n  api:\n    image: api:1\n    environment:\n      <<: *env\n      MODE: base\n    depends_on: [db]\n  db:\n    image: db:1\n',
    'services:\n  api:\n    image: api:2\n    depends_on:\n      cache:\n        condition: service_started\n    environment: [MODE=dev]\n  cache:\n    image: redis:7\n',
  ],
];

for (const [what, base, override] of cases) {
  test(`merge like docker-compose config: ${what}`, (t) => {
    if (!binary) {
      if (process.env.CI === 'true') assert.fail('docker-compose is not installed (apt-get install docker-compose)');
      t.skip('docker-compose is not installed');
      return;
    }
    const dir = fs.mkdtempSync(path.join(root, 'case-'));
    fs.writeFileSync(path.join(dir, 'docker-compose.yml'), base);
    fs.writeFileSync(path.join(dir, 'docker-compose.override.yml'), override);
    assert.deepEqual(ours(base, override), theirs(dir));
  });
}
