import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runLint } from '../../../src/cli/lint';

interface Reported {
  file: string;
  line: number;
  rule: string;
  severity: string;
}

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-dockerfile-lint-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function lint(cwd: string, args: string[]): { status: number; reported: Reported[]; err: string } {
  let out = '';
  let err = '';
  const status = runLint([...args, '--format', 'json', '--no-settings'], { cwd, out: (t) => (out += t), err: (t) => (err += t) });
  return { status, reported: JSON.parse(out) as Reported[], err };
}

const COMPOSE = 'services:\n  api:\n    build: ./build/api\n    ports: ["8080:8000"]\n    healthcheck:\n      test: ["CMD-SHELL", "curl -f http://localhost:8000/health"]\n';
const DOCKERFILE = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "main.py"]\n';

test('lint checks build/**/Dockerfile* of a folder with the services that build them', () => {
  const dir = project({ 'docker-compose.yml': COMPOSE, 'build/api/Dockerfile': DOCKERFILE, 'data/api/Dockerfile': 'FROM python\n' });
  try {
    const { status, reported } = lint(dir, ['.']);
    assert.equal(status, 0);
    const dockerfile = reported.filter((r) => r.file.endsWith('Dockerfile'));
    assert.ok(dockerfile.every((r) => r.file === path.join(dir, 'build/api/Dockerfile')), 'only Dockerfiles under build/');
    assert.deepEqual(dockerfile.map((r) => r.rule).sort(), ['copy-before-deps', 'expose-missing', 'healthcheck-tool-missing', 'labels-missing', 'user-root']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a Dockerfile named on the command line is checked as a Dockerfile, with --rule levels', () => {
  const dir = project({ 'docker-compose.yml': COMPOSE, 'build/api/Dockerfile': DOCKERFILE });
  try {
    const { status, reported } = lint(dir, ['build/api/Dockerfile', '--rule', 'user-root=off', '--rule', 'expose-missing=error']);
    assert.equal(status, 1, 'an error-level finding fails the run');
    assert.ok(!reported.some((r) => r.rule === 'user-root'));
    assert.ok(reported.some((r) => r.rule === 'expose-missing' && r.severity === 'error'));
    assert.ok(!reported.some((r) => r.rule === 'schema' || r.rule === 'yaml-syntax'), 'not read as YAML');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
