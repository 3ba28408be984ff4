import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CNode } from '../../../src/core/compose/model';
import { type EffectiveConfig, interpolatedText } from '../../../src/core/compose/project';
import type { Fix } from '../../../src/core/findings';
import type { Message } from '../../../src/core/message';
import type { Span } from '../../../src/core/text/lineIndex';
import { buildPathsToProbe } from '../../../src/core/rules/compose/pathRules';
import { COMPOSE_RULES } from '../../../src/core/rules/registry';
import { swarmIntent } from '../../../src/core/rules/swarm/intent';
import type { ComposeRule, ConfigContext, FileContext } from '../../../src/core/rules/types';
import { type PreparedProject, prepareProject } from '../../../src/core/validation/checkProject';
import { swarmIntent as legacySwarmIntent } from './legacy/intent';
import { buildPathsToProbe as legacyBuildPathsToProbe, pathRules as legacyPathRules } from './legacy/pathRules';
import { referenceRules as legacyReferenceRules } from './legacy/referenceRules';
import { serviceRules as legacyServiceRules } from './legacy/serviceRules';
import { swarmRules as legacySwarmRules } from './legacy/swarmRules';
import { variableRules as legacyVariableRules } from './legacy/variableRules';
import { corpusInputs, fixtureInputs, generatedInputs, type RuleInput } from './ruleInputs';

/**
 * The rules were rewritten to cost less (one shared reading of each config's services, no per-service
 * temporary arrays, closures or splits). Each rule must report exactly what the code it replaced reported
 * (test/unit/rules/legacy/ holds that code, frozen): same places, messages and fixes, in the same order, on
 * every config of the rule fixtures, the corpus and generated files. Every rule runs on every config here,
 * whatever its roles and the Swarm setting, so the Swarm rules meet every file too.
 */

const legacyRules = new Map<string, ComposeRule>([...legacyServiceRules, ...legacyPathRules, ...legacyVariableRules, ...legacyReferenceRules, ...legacySwarmRules].map((rule) => [rule.id, rule]));

interface Report {
  readonly file: number;
  readonly span: Span;
  readonly message: Message;
  readonly fixes?: readonly Fix[];
}

function configContext(prepared: PreparedProject, config: EffectiveConfig, existingPaths: ReadonlySet<string> | undefined, sink: Report[]): ConfigContext {
  return {
    family: prepared.family,
    config,
    env: prepared.env,
    ...(existingPaths ? { existingPaths } : {}),
    str: (node: CNode | undefined) => interpolatedText(node, prepared.env),
    report(at, message, fixes) {
      sink.push({ ...('node' in at ? { file: at.file, span: at.node.span } : at), message, ...(fixes ? { fixes } : {}) });
    },
  };
}

function fileContext(prepared: PreparedProject, file: number, sink: Report[]): FileContext {
  return { family: prepared.family, file, env: prepared.env, report: (span, message, fixes) => sink.push({ file, span, message, ...(fixes ? { fixes } : {}) }) };
}

/** What a rule reports on every config and file of a prepared project. */
function reports(rule: ComposeRule, prepared: PreparedProject, existingPaths: ReadonlySet<string> | undefined): Report[] {
  const sink: Report[] = [];
  for (const config of prepared.configs) rule.checkConfig?.(configContext(prepared, config, existingPaths, sink));
  if (rule.checkFile) for (let file = 0; file < prepared.family.files.length; file++) rule.checkFile(fileContext(prepared, file, sink));
  return sink;
}

/** Compares every rule with its frozen copy on the inputs; returns how many reports each rule made. */
function compareOn(inputs: readonly RuleInput[]): Map<string, number> {
  const reported = new Map<string, number>();
  for (const { name, input, existingPaths } of inputs) {
    // Each implementation gets its own freshly built trees: nothing one remembers per tree can help the other.
    const forLegacy = prepareProject(input, 'all');
    const forCurrent = prepareProject(input, 'all');
    for (const rule of COMPOSE_RULES) {
      const legacy = legacyRules.get(rule.id);
      assert.ok(legacy, `no frozen copy of ${rule.id}`);
      const expected = reports(legacy, forLegacy, existingPaths);
      assert.deepEqual(reports(rule, forCurrent, existingPaths), expected, `${rule.id} on ${name}`);
      reported.set(rule.id, (reported.get(rule.id) ?? 0) + expected.length);
    }
    for (let i = 0; i < forCurrent.configs.length; i++) {
      assert.equal(swarmIntent(forCurrent.family, forCurrent.configs[i]!), legacySwarmIntent(forLegacy.family, forLegacy.configs[i]!), `swarm intent of ${name}`);
      const paths = buildPathsToProbe(configContext(forCurrent, forCurrent.configs[i]!, undefined, []));
      assert.deepEqual(paths, legacyBuildPathsToProbe(configContext(forLegacy, forLegacy.configs[i]!, undefined, [])), `paths to probe of ${name}`);
    }
  }
  return reported;
}

function total(reported: Map<string, number>): number {
  return [...reported.values()].reduce((sum, count) => sum + count, 0);
}

test('every rule reports what the code it replaced reported: rule fixtures', () => {
  const reported = compareOn(fixtureInputs());
  // Each rule's own fixtures make it speak.
  for (const rule of COMPOSE_RULES) assert.ok((reported.get(rule.id) ?? 0) > 0, `${rule.id} reports nothing on the fixtures`);
});

test('every rule reports what the code it replaced reported: corpus files alone, in CRLF and as families', () => {
  const reported = compareOn(corpusInputs());
  assert.ok(total(reported) > 1000, `only ${total(reported)} reports`);
});

test('every rule reports what the code it replaced reported: generated files with keys dropped and settings added', () => {
  const reported = compareOn(generatedInputs());
  // The inputs make every rule speak, so none is compared only on silence.
  assert.deepEqual(
    COMPOSE_RULES.filter((rule) => !reported.get(rule.id)).map((rule) => rule.id),
    [],
    'rules that report nothing on the generated files',
  );
});
