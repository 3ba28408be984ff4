import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideSchemaValidation, normalizeSchemaMode, type SchemaEnvironment } from '../../../src/core/validation/schemaMode';

const nothing: SchemaEnvironment = { yamlValidate: true, yamlSchemaStore: true, yamlDisableSchemaDetection: [], dockerDxInstalled: false, dockerDxComposeLanguageServer: true };
const redHat = (version: string): SchemaEnvironment => ({ ...nothing, redHatYaml: { version } });

/** [what, mode, environment, our schema findings shown]. */
const cases: [string, string, SchemaEnvironment, boolean][] = [
  ['auto, no other extension', 'auto', nothing, true],
  ['auto, Red Hat YAML validates', 'auto', redHat('1.24.0'), false],
  ['auto, Red Hat with yaml.validate off', 'auto', { ...redHat('1.24.0'), yamlValidate: false }, true],
  ['auto, Red Hat without SchemaStore', 'auto', { ...redHat('1.24.0'), yamlSchemaStore: false }, true],
  ['auto, Red Hat 1.24 stands down for Docker DX', 'auto', { ...redHat('1.24.0'), dockerDxInstalled: true }, true],
  ['auto, Red Hat 1.23 does not stand down for Docker DX', 'auto', { ...redHat('1.23.2'), dockerDxInstalled: true }, false],
  ['auto, Docker DX with its compose server off: Red Hat validates', 'auto', { ...redHat('1.24.0'), dockerDxInstalled: true, dockerDxComposeLanguageServer: false }, false],
  ['auto, compose listed in yaml.disableSchemaDetection', 'auto', { ...redHat('1.25.0'), yamlDisableSchemaDetection: ['**/docker-compose.yml'] }, true],
  ['on overrides Red Hat', 'on', redHat('1.24.0'), true],
  ['off is off', 'off', nothing, false],
  ['junk is auto', 'loud', nothing, true],
];

for (const [what, mode, env, enabled] of cases) {
  test(`schema validation: ${what}`, () => {
    assert.equal(decideSchemaValidation(normalizeSchemaMode(mode), env).enabled, enabled);
  });
}
