import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findComposeBuildUses, normalizePath, parsePortSpec, shellCommandNames } from '../../../src/core/dockerfile/composeUses';
import { parseYaml } from '../../../src/core/yaml/parse';

test('parsePortSpec reads the container side of short port syntax', () => {
  const cases: [string, [number, number, string] | undefined][] = [
    ['80', [80, 80, 'tcp']],
    ['8080:80', [80, 80, 'tcp']],
    ['127.0.0.1:8080:80/udp', [80, 80, 'udp']],
    ['[::1]:8080:80', [80, 80, 'tcp']],
    ['3000-3005:3000-3005', [3000, 3005, 'tcp']],
    ['${PORT:-8080}:80', [80, 80, 'tcp']],
    ['8080:${PORT}', undefined],
    ['80/http', undefined],
  ];
  for (const [spec, expected] of cases) {
    const parsed = parsePortSpec(spec);
    assert.deepEqual(parsed ? [parsed.from, parsed.to, parsed.protocol] : undefined, expected, spec);
  }
});

test('shellCommandNames finds the commands a healthcheck runs', () => {
  const cases: [string, string[]][] = [
    ['curl -f http://localhost/ || exit 1', ['curl', 'exit']],
    ['/usr/bin/wget -q --spider http://x', ['wget']],
    ['timeout 5 curl -fsS x && echo ok', ['curl', 'echo']],
    ['FOO=1 exec wget x', ['wget']],
    ['test -f /ready | grep x', ['test', 'grep']],
  ];
  for (const [shell, expected] of cases) assert.deepEqual(shellCommandNames(shell), expected, shell);
});

test('normalizePath', () => {
  assert.equal(normalizePath('/p/./build/../build/api/'), '/p/build/api');
  assert.equal(normalizePath('C:\\p\\build\\api\\Dockerfile'), 'C:/p/build/api/Dockerfile');
});

const file = (path: string, text: string) => ({ path, parsed: parseYaml(text) });

test('findComposeBuildUses: services whose build resolves to the Dockerfile, with ports and healthcheck tools from the whole folder', () => {
  const base = file(
    '/p/docker-compose.yml',
    [
      'services:',
      '  api:',
      '    build: ./build/api',
      '    ports: ["8080:8000", {target: 9000, protocol: udp}]',
      '    healthcheck:',
      '      test: ["CMD-SHELL", "curl -f http://localhost:8000/health || exit 1"]',
      '  worker:',
      '    build:',
      '      context: build/api',
      '      dockerfile: Dockerfile.worker',
      '      target: runtime',
      '    healthcheck:',
      '      test: ["CMD", "/usr/bin/wget", "-q", "x"]',
      '  web:',
      '    build: { context: ./build/api, dockerfile_inline: "FROM x" }',
      '  remote:',
      '    build: https://github.com/acme/app.git',
      '  db:',
      '    image: postgres:16',
    ].join('\n'),
  );
  const override = file('/p/docker-compose.override.yml', 'services:\n  api:\n    ports: ["5678:5678"]\n    healthcheck:\n      disable: true\n');
  const elsewhere = file('/q/docker-compose.yml', 'services:\n  api:\n    build: ../p/build/api\n');

  const uses = findComposeBuildUses('/p/build/api/Dockerfile', [base, override, elsewhere]);
  assert.deepEqual(
    uses.map((u) => [u.service, u.composePath, u.ports.map((p) => `${p.from}/${p.protocol}`), u.healthcheckTools]),
    [
      ['api', '/p/docker-compose.yml', ['8000/tcp', '9000/udp', '5678/tcp'], []],
      ['api', '/q/docker-compose.yml', [], []],
    ],
  );
  const worker = findComposeBuildUses('/p/build/api/Dockerfile.worker', [base]);
  assert.deepEqual(worker.map((u) => [u.service, u.target, u.healthcheckTools]), [['worker', 'runtime', ['wget']]]);
  assert.deepEqual(findComposeBuildUses('/p/build/api/Dockerfile', [file('/p/compose.yaml', 'services: [')]), [], 'a broken file contributes nothing');
  assert.deepEqual(findComposeBuildUses('C:\\P\\build\\api\\Dockerfile', [file('c:\\p\\docker-compose.yml', 'services:\n  api:\n    build: ./build/api\n')]).length, 1, 'Windows paths compare without case');
});
