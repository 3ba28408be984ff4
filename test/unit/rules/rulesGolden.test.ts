import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { buildPathsToProbe } from '../../../src/core/rules/compose/pathRules';
import { COMPOSE_RULES } from '../../../src/core/rules/registry';
import { swarmIntent } from '../../../src/core/rules/swarm/intent';
import type { ComposeRule, LocatedFinding } from '../../../src/core/rules/types';
import { configContext, fileContext, type PreparedProject, prepareProject } from '../../../src/core/validation/checkProject';
import { corpusInputs, fixtureInputs, generatedInputs, type RuleInput } from './ruleInputs';

/**
 * What every rule reports, on every config of the rule fixtures, the corpus and generated files, whatever
 * its roles and the Swarm setting (so the Swarm rules meet every file too), against a record: for each
 * input, a digest of all reports (places, messages, fixes, in order) with the Swarm intent and the paths
 * `build-missing` probes, and how many reports each rule made. It guards refactors of the rules (the rewrite
 * of 2026-11-28 was checked against a frozen copy of the old rules; this record was made from it).
 *
 * A change of behaviour on purpose: run with UPDATE_RULES_GOLDEN=1 (it rewrites rules.golden.json in the
 * source tree) and read the diff of the counts before committing it.
 */

const GOLDEN = ((): string => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'test/unit/rules'))) return path.join(dir, 'test/unit/rules/rules.golden.json');
    if (path.dirname(dir) === dir) throw new Error(`no test/unit/rules above ${__dirname}`);
  }
})();

interface Record {
  readonly digest: string;
  readonly counts: { readonly [rule: string]: number };
}

function reports(rule: ComposeRule, prepared: PreparedProject, existingPaths: ReadonlySet<string> | undefined): LocatedFinding[] {
  const sink: LocatedFinding[] = [];
  for (const config of prepared.configs) rule.checkConfig?.(configContext(prepared, config, existingPaths, sink, rule.id));
  if (rule.checkFile) for (let file = 0; file < prepared.family.files.length; file++) rule.checkFile(fileContext(prepared, file, sink, rule.id));
  return sink;
}

/** JSON with keys sorted, so the digest does not depend on the order an object's keys were written in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as { [key: string]: unknown }).filter(([, v]) => v !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function record({ input, existingPaths }: RuleInput): Record {
  const prepared = prepareProject(input, 'all');
  const hash = crypto.createHash('sha256');
  const counts: { [rule: string]: number } = {};
  for (const rule of [...COMPOSE_RULES].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const found = reports(rule, prepared, existingPaths);
    if (found.length > 0) counts[rule.id] = found.length;
    hash.update(`${rule.id}\n${canonical(found)}\n`);
  }
  for (const config of prepared.configs) {
    hash.update(`swarm ${String(swarmIntent(prepared.family, config))}\n`);
    hash.update(`probe ${canonical(buildPathsToProbe(configContext(prepared, config, undefined, [], 'build-missing')))}\n`);
  }
  return { digest: hash.digest('hex').slice(0, 24), counts };
}

const golden: { [input: string]: Record } = fs.existsSync(GOLDEN) ? (JSON.parse(fs.readFileSync(GOLDEN, 'utf8')) as { [input: string]: Record }) : {};
const updating = process.env.UPDATE_RULES_GOLDEN === '1';
const made: { [input: string]: Record } = {};

function compareOn(inputs: readonly RuleInput[]): Map<string, number> {
  const reported = new Map<string, number>();
  for (const input of inputs) {
    const now = record(input);
    made[input.name] = now;
    for (const [rule, count] of Object.entries(now.counts)) reported.set(rule, (reported.get(rule) ?? 0) + count);
    if (updating) continue;
    const expected = golden[input.name];
    assert.ok(expected, `${input.name}: not in rules.golden.json (run with UPDATE_RULES_GOLDEN=1 if the input is new)`);
    assert.deepEqual(now.counts, expected.counts, `${input.name}: reports per rule differ`);
    assert.equal(now.digest, expected.digest, `${input.name}: same counts, but places, messages or fixes differ`);
  }
  return reported;
}

function total(reported: Map<string, number>): number {
  return [...reported.values()].reduce((sum, count) => sum + count, 0);
}

test('every rule reports as recorded: rule fixtures', () => {
  const reported = compareOn(fixtureInputs());
  // Each rule's own fixtures make it speak.
  for (const rule of COMPOSE_RULES) assert.ok((reported.get(rule.id) ?? 0) > 0, `${rule.id} reports nothing on the fixtures`);
});

test('every rule reports as recorded: corpus files alone, in CRLF and as families', () => {
  const reported = compareOn(corpusInputs());
  assert.ok(total(reported) > 1000, `only ${total(reported)} reports`);
});

test('every rule reports as recorded: generated files with keys dropped and settings added', () => {
  const reported = compareOn(generatedInputs());
  // The inputs make every rule speak, so none is compared only on silence.
  assert.deepEqual(
    COMPOSE_RULES.filter((rule) => !reported.get(rule.id)).map((rule) => rule.id),
    [],
    'rules that report nothing on the generated files',
  );
});

test('the record holds no input that no longer exists', { skip: updating ? 'rewriting the record' : false }, () => {
  const names = new Set([...fixtureInputs(), ...corpusInputs(), ...generatedInputs()].map((input) => input.name));
  assert.deepEqual(
    Object.keys(golden).filter((name) => !names.has(name)),
    [],
  );
});

test.after(() => {
  if (!updating) return;
  const sorted = Object.fromEntries(Object.entries(made).sort(([a], [b]) => (a < b ? -1 : 1)));
  // One line per input: a change of behaviour shows as the lines of the inputs it touched.
  fs.writeFileSync(GOLDEN, `{\n${Object.entries(sorted).map(([name, made]) => `${JSON.stringify(name)}: ${JSON.stringify(made)}`).join(',\n')}\n}\n`);
});
