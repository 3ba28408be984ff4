import assert from 'node:assert/strict';
import { test } from 'node:test';
import { declaredServices } from '../../src/core/compose/declared';
import { classifyComposeFileName, composeProjectName, groupComposeFamilies } from '../../src/core/compose/files';
import { parseYaml } from '../../src/core/yaml/parse';

const names: [string, string | undefined][] = [
  ['docker-compose.yml', 'base'],
  ['compose.yaml', 'base'],
  ['docker-compose.override.yml', 'override'],
  ['docker-compose.prod.yml', 'prod'],
  ['compose.staging.yaml', 'env'],
  ['docker-compose.yml.bak', undefined],
  ['my-compose.yml', undefined],
];
for (const [name, role] of names) {
  test(`classifyComposeFileName(${name}) is ${role}`, () => {
    assert.equal(classifyComposeFileName(name)?.role, role);
  });
}

test('families group siblings with their base file, per folder', () => {
  const { families, orphans } = groupComposeFamilies([
    'app/docker-compose.yml',
    'app/docker-compose.override.yml',
    'app/docker-compose.prod.yml',
    'app/docker-compose.staging.yml',
    'other/compose.yaml',
    'lonely/docker-compose.prod.yml',
  ]);
  assert.deepEqual(families, [
    { folder: 'app', base: 'app/docker-compose.yml', override: 'app/docker-compose.override.yml', prod: 'app/docker-compose.prod.yml', envs: { staging: 'app/docker-compose.staging.yml' } },
    { folder: 'other', base: 'other/compose.yaml', envs: {} },
  ]);
  assert.deepEqual(orphans, ['lonely/docker-compose.prod.yml']);
});

const projectNames: [string, string | undefined, string][] = [
  ['/home/me/CommentBot', undefined, 'commentbot'],
  ['/srv/my.app v2', undefined, 'myappv2'],
  ['/srv/_private', undefined, 'private'],
  ['/srv/x', 'Custom-Name', 'custom-name'],
];
for (const [folder, declared, expected] of projectNames) {
  test(`composeProjectName(${folder}, ${declared}) = ${expected}`, () => {
    assert.equal(composeProjectName(folder, declared), expected);
  });
}

test('declared services are the union of base and override, base first', () => {
  const base = parseYaml('name: shop\nservices:\n  api: {image: a}\n  db: {image: b}\n');
  const override = parseYaml('services:\n  api: {ports: ["8000:8000"]}\n  debug: {image: c}\n');
  const project = declaredServices([base, override]);
  assert.equal(project.name, 'shop');
  assert.deepEqual(project.services.map((s) => [s.name, s.fileIndex]), [['api', 0], ['db', 0], ['debug', 1]]);
});
