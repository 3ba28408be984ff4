import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { runLint } from '../../../src/cli/lint';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-lint-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

function lint(cwd: string, ...args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runLint(args, { cwd, out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const clean = `name: shop
services:
  web:
    image: nginx:1.27
    restart: unless-stopped
    healthcheck:
      test: ["CMD-SHELL", "curl -fs http://localhost/ || exit 1"]
    networks: [app-network]
    logging:
      driver: json-file
      options: {max-size: "10m", max-file: "3"}
    deploy:
      resources:
        limits: {memory: 1G, cpus: '0.5'}
        reservations: {memory: 512M, cpus: '0.25'}
networks:
  app-network:
    driver: bridge
`;

test('a clean project exits 0', () => {
  const dir = project('clean', { 'docker-compose.yml': clean });
  const result = lint(dir, '.');
  assert.equal(result.code, 0, result.out + result.err);
  assert.match(result.out, /No problems found/);
});

test('errors exit 1; JSON is an array of 1-based findings', () => {
  const dir = project('errors', { 'docker-compose.yml': clean.replace('networks: [app-network]', 'networks: [app-network, missing-net]') });
  const result = lint(dir, '--format', 'json');
  assert.equal(result.code, 1);
  const findings = JSON.parse(result.out) as { file: string; line: number; column: number; endLine: number; endColumn: number; rule: string; severity: string; message: string }[];
  assert.deepEqual(
    findings.map((f) => [path.basename(f.file), f.line, f.column, f.endLine, f.endColumn, f.rule, f.severity]),
    [['docker-compose.yml', 8, 29, 8, 40, 'unknown-reference', 'error']],
  );
});

test('YAML syntax errors use the rule yaml-syntax', () => {
  const dir = project('broken', { 'compose.yaml': 'services:\n  web: [\n' });
  const findings = JSON.parse(lint(dir, '--format=json').out) as { rule: string }[];
  assert.ok(findings.some((f) => f.rule === 'yaml-syntax'));
});

test('--rule and .vscode/settings.json set levels; --rule wins', () => {
  const dir = project('levels', {
    'docker-compose.yml': clean.replace('    restart: unless-stopped\n', ''),
    '.vscode/settings.json': '{\n  // team settings\n  "composeBlueprint.rules": { "restart-missing": "error", },\n}\n',
  });
  assert.equal(lint(dir).code, 1);
  assert.equal(lint(dir, '--rule', 'restart-missing=off').code, 0);
  assert.equal(lint(dir, '--no-settings').code, 0);
});

test('--env dev skips production-only rules; usage errors exit 2', () => {
  const dir = project('envs', { 'docker-compose.yml': clean.replace(/ {4}deploy:[\s\S]*?(?=networks:)/, '') });
  const prod = JSON.parse(lint(dir, '--format', 'json', '--env', 'prod').out) as { rule: string }[];
  const dev = JSON.parse(lint(dir, '--format', 'json', '--env', 'dev').out) as { rule: string }[];
  assert.ok(prod.some((f) => f.rule === 'resources-missing'));
  assert.ok(!dev.some((f) => f.rule === 'resources-missing'));
  assert.equal(lint(dir, '--env', 'staging').code, 2);
  assert.equal(lint(dir, '--format', 'xml').code, 2);
  assert.equal(lint(dir, 'no-such-folder').code, 2);
});

test('SARIF names the rules that fired and gives 1-based regions', () => {
  const dir = project('sarif', { 'docker-compose.yml': 'version: "3"\n' + clean });
  const sarif = JSON.parse(lint(dir, '--format', 'sarif').out) as {
    version: string;
    runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[];
  };
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0]!;
  assert.deepEqual(run.tool.driver.rules.map((r) => r.id), ['version-obsolete']);
  assert.equal(run.results[0]!.locations[0]!.physicalLocation.region.startLine, 1);
  assert.equal(run.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri, 'docker-compose.yml');
});

test('.env keys missing from .env.example are reported in .env when a folder is linted', () => {
  const dir = project('envfile', { 'docker-compose.yml': clean, '.env': 'A=1\n', '.env.example': '' });
  const findings = JSON.parse(lint(dir, '--format', 'json').out) as { file: string; rule: string; line: number }[];
  assert.deepEqual(findings.map((f) => [path.basename(f.file), f.rule, f.line]), [['.env', 'env-undefined', 1]]);
});

test('composeBlueprint.validation.schema "off" in .vscode/settings.json drops schema findings', () => {
  const dir = project('schema-off', { 'docker-compose.yml': clean.replace('    restart: unless-stopped\n', '    restart: unless-stopped\n    bogus-key: 1\n') });
  const rules = (cwd: string) => (JSON.parse(lint(cwd, '--format', 'json').out) as { rule: string }[]).map((f) => f.rule);
  assert.ok(rules(dir).includes('schema'));
  fs.mkdirSync(path.join(dir, '.vscode'));
  fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), '{ "composeBlueprint.validation.schema": "off" }');
  assert.ok(!rules(dir).includes('schema'));
});
