import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findComposeBuildUses } from '../../../src/core/dockerfile/composeUses';
import { checkDockerfileText } from '../../../src/core/dockerfile/check';
import { formatMessage } from '../../../src/core/message';
import { visibleCatalogue, CATALOGUE } from '../../../src/core/scaffold/catalogue';
import { PRESETS } from '../../../src/core/scaffold/presets';
import type { NewProjectInput } from '../../../src/core/scaffold/types';
import { checkProject } from '../../../src/core/validation/checkProject';
import { checkComposeText } from '../../../src/core/validation/checkFile';
import { parseYaml } from '../../../src/core/yaml/parse';
import { generate } from './helpers';

// Every preset and every catalogue service (alone, under its own name), in both languages.
const cases: { label: string; input: NewProjectInput }[] = [
  ...PRESETS.flatMap((preset) => (['en', 'es'] as const).map((lang) => ({ label: `preset ${preset.id} (${lang})`, input: { name: `p-${preset.id}`, lang, preset: preset.id } }))),
  ...CATALOGUE.map((entry) => ({ label: `service ${entry.id}`, input: { name: `s-${entry.id}`, lang: 'en' as const, services: [entry.id] } })),
  { label: 'every visible service together', input: { name: 'everything', lang: 'en', services: visibleCatalogue().map((entry) => entry.id) } },
];

const COMPOSE = ['docker-compose.yml', 'docker-compose.override.yml', 'docker-compose.prod.yml'];

function describe(findings: readonly { rule: string; message: { template: string; args: readonly (string | number)[] } }[]): string[] {
  return findings.map((f) => `${f.rule}: ${formatMessage(f.message as never)}`);
}

for (const { label, input } of cases) {
  test(`${label}: zero findings from the validator for the dev and prod configs, and schema-valid files`, () => {
    const files = generate(input);
    for (const name of COMPOSE) {
      assert.ok(files.has(name), `${name} is generated`);
      assert.deepEqual(describe(checkComposeText(files.get(name)!).findings), [], `${name} alone (syntax and schema)`);
    }
    const paths = new Set<string>();
    for (const path of files.keys()) {
      const parts = path.split('/');
      for (let i = 1; i <= parts.length; i++) paths.add(parts.slice(0, i).join('/'));
    }
    const result = checkProject(
      {
        files: COMPOSE.map((path) => ({ path, text: files.get(path)! })),
        envExampleText: files.get('.env.example')!,
        // What dev-setup.sh does on first run.
        envText: files.get('.env.example')!,
      },
      { configs: 'all', existingPaths: paths },
    );
    for (const [path, findings] of result.files) assert.deepEqual(describe(findings), [], `findings in ${path}`);
  });

  test(`${label}: every Dockerfile passes the Dockerfile checks`, () => {
    const files = generate(input);
    const composeFiles = COMPOSE.map((path) => ({ path: `/project/${path}`, parsed: parseYaml(files.get(path)!) }));
    const dockerfiles = [...files.keys()].filter((path) => /(^|\/)Dockerfile$/.test(path));
    for (const path of dockerfiles) {
      const uses = findComposeBuildUses(`/project/${path}`, composeFiles);
      assert.ok(uses.length > 0, `${path} is built by a compose service`);
      const { findings } = checkDockerfileText(files.get(path)!, { composeUses: uses });
      assert.deepEqual(describe(findings), [], `findings in ${path}`);
    }
  });
}

test('the checks above can fail: a generated service stripped of its healthcheck and limits is reported', () => {
  const files = generate({ name: 'broken', lang: 'en', preset: 'web-app' });
  const base = files.get('docker-compose.yml')!.replace(/\n {4}healthcheck:\n(?: {6}.*\n)+/, '\n');
  const result = checkProject({ files: COMPOSE.map((path) => ({ path, text: path === 'docker-compose.yml' ? base : files.get(path)! })), envExampleText: files.get('.env.example')! });
  const rules = [...result.files.values()].flat().map((f) => f.rule);
  assert.ok(rules.includes('healthcheck-missing'), `expected healthcheck-missing, got ${rules.join(', ')}`);
  const dockerfile = files.get('build/api/Dockerfile')!.replace(/\nUSER app\n/, '\n');
  assert.ok(checkDockerfileText(dockerfile).findings.some((f) => f.rule === 'user-root'));
});
