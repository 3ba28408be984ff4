import { projectEnvFrom, type ProjectEnv } from '../compose/envFile';
import { classifyComposeFileName } from '../compose/files';
import { type CNode, ModelBudgetExceeded, type SourceFile } from '../compose/model';
import { buildConfigs, type EffectiveConfig, type FamilySources, interpolatedText } from '../compose/project';
import { compareFindings, type Finding } from '../findings';
import { msg } from '../message';
import type { Span } from '../text/lineIndex';
import { buildPathsToProbe } from '../rules/compose/pathRules';
import { envFileFindings } from '../rules/compose/variableRules';
import { COMPOSE_RULES } from '../rules/registry';
import { applyRuleLevels, type RuleLevels } from '../rules/ruleConfig';
import { applySuppressions } from '../rules/suppression';
import { isSwarmRule, swarmChecksApply, type SwarmChecks } from '../rules/swarm/intent';
import type { ConfigContext, FileContext, LocatedFinding } from '../rules/types';
import { checkComposeText } from './checkFile';

/** One compose file of a folder: `path` is whatever the caller uses to name it (its base name is classified). */
export interface ProjectFileInput {
  readonly path: string;
  readonly text: string;
}

export interface ProjectInput {
  /** The compose files of one folder (a family: base, override, prod, other envs). */
  readonly files: readonly ProjectFileInput[];
  /** Texts of `.env` and `.env.example` in that folder, when they exist. */
  readonly envText?: string;
  readonly envExampleText?: string;
}

export interface CheckOptions {
  /** `composeBlueprint.rules`: levels per rule id. */
  readonly rules?: RuleLevels;
  /** False drops `schema` findings (the editor's `auto`/`off`). */
  readonly schema?: boolean;
  /** Which merged configs the architecture's rules run on. */
  readonly configs?: 'dev' | 'prod' | 'all';
  /** Paths that exist, relative to the folder ('/'-separated), for `build-missing`; see `probePaths`. Unknown = rule skipped. */
  readonly existingPaths?: ReadonlySet<string>;
  /** `composeBlueprint.swarm.checks`: when the `swarm-*` rules run on the production config (default `auto`). */
  readonly swarm?: SwarmChecks;
}

/** A folder's files parsed and merged, ready to be checked (and probed for the paths `build-missing` needs). */
export interface PreparedProject {
  readonly family: FamilySources;
  /** Input index -> family file index (family order puts the base first). */
  readonly order: readonly number[];
  readonly perFile: readonly (readonly Finding[])[];
  readonly env: ProjectEnv;
  readonly configs: readonly EffectiveConfig[];
  readonly input: ProjectInput;
  /** Set when the files could not be merged (alias bomb): rules were skipped. */
  readonly mergeFailed?: boolean;
}

/** The key under which `checkProject` returns findings for the `.env` file. */
export const ENV_RESULT_KEY = '.env';

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

const ROLE_ORDER = { base: 0, override: 1, prod: 2, env: 3 } as const;

/**
 * Parses a folder's compose files (syntax and schema of each file alone) and builds its merged configs.
 * Files are put in family order: base, override, prod, other environments; a folder without a base file
 * gets only the per-file checks.
 */
export function prepareProject(input: ProjectInput, configs: CheckOptions['configs'] = 'all'): PreparedProject {
  const classified = input.files.map((file, index) => ({ index, file, kind: classifyComposeFileName(baseName(file.path)) }));
  const order = [...classified].sort((a, b) => ROLE_ORDER[a.kind?.role ?? 'env'] - ROLE_ORDER[b.kind?.role ?? 'env'] || a.index - b.index);
  const checks = order.map(({ file }) => checkComposeText(file.text));
  const files: SourceFile[] = order.map(({ file }, i) => ({ path: file.path, text: file.text, parsed: checks[i]!.parsed }));
  const hasBase = order[0]?.kind?.role === 'base';
  const roleIndex = (role: string) => {
    const at = order.findIndex((o) => o.kind?.role === role);
    return at > 0 ? at : undefined;
  };
  const envs: Record<string, number> = {};
  order.forEach((o, i) => {
    if (i > 0 && o.kind?.role === 'env' && o.kind.env) envs[o.kind.env] = i;
  });
  const override = roleIndex('override');
  const prod = roleIndex('prod');
  const family: FamilySources = { files, ...(override !== undefined ? { override } : {}), ...(prod !== undefined ? { prod } : {}), envs };
  const env = projectEnvFrom(input.envText, input.envExampleText);
  const inputToFamily: number[] = [];
  order.forEach((o, i) => (inputToFamily[o.index] = i));
  let built: EffectiveConfig[] = [];
  let mergeFailed = false;
  if (hasBase) {
    try {
      built = buildConfigs(family, configs);
    } catch (error) {
      if (!(error instanceof ModelBudgetExceeded)) throw error;
      mergeFailed = true;
    }
  }
  return { family, order: inputToFamily, perFile: checks.map((c) => c.findings), env, configs: built, input, ...(mergeFailed ? { mergeFailed } : {}) };
}

/** What a rule's `checkConfig` receives: its reports go to `sink` under `rule`, at the node, trimmed to its text. */
export function configContext(prepared: PreparedProject, config: EffectiveConfig, existingPaths: ReadonlySet<string> | undefined, sink: LocatedFinding[], rule: string): ConfigContext {
  return {
    family: prepared.family,
    config,
    env: prepared.env,
    ...(existingPaths ? { existingPaths } : {}),
    str: (node: CNode | undefined) => interpolatedText(node, prepared.env),
    report(at, message, fixes) {
      const located = 'node' in at ? { file: at.file, span: trimEnd(prepared.family.files[at.file]?.text ?? '', at.node.span) } : at;
      sink.push({ file: located.file, rule, message, span: located.span, ...(fixes && fixes.length > 0 ? { fixes } : {}) });
    },
  };
}

/** What a rule's `checkFile` receives for one file of the family: its reports go to `sink` under `rule`. */
export function fileContext(prepared: PreparedProject, file: number, sink: LocatedFinding[], rule: string): FileContext {
  return {
    family: prepared.family,
    file,
    env: prepared.env,
    report: (span, message, fixes) => sink.push({ file, rule, message, span, ...(fixes && fixes.length > 0 ? { fixes } : {}) }),
  };
}

/** A block node's span may run to the next line; a finding ends where its text does. */
function trimEnd(text: string, span: Span): Span {
  let end = span.end;
  while (end > span.start && isWhitespace(text.charCodeAt(end - 1))) end--;
  return end === span.end ? span : { start: span.start, end };
}

/**
 * What `/\s/` matches, by character code (NaN, past the text's end, is not whitespace): asked of the last
 * character of every finding's node.
 */
export function isWhitespace(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 160) return false;
  return code === 160 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/** Paths (relative to the folder) whose existence `build-missing` needs: build contexts and Dockerfiles. */
export function probePaths(prepared: PreparedProject): string[] {
  const paths = new Set<string>();
  for (const config of prepared.configs) {
    for (const path of buildPathsToProbe(configContext(prepared, config, undefined, [], 'build-missing'))) paths.add(path);
  }
  return [...paths].sort();
}

const DEFAULT_SEVERITY = new Map(COMPOSE_RULES.map((rule) => [rule.id, rule.defaultSeverity]));

/**
 * The findings kept so far, to drop repeats: the same file, rule, span and message (template and arguments)
 * as a kept one. Looked up by where the span starts, then compared field by field: no key string per finding.
 */
export class KeptFindings {
  /** Where a span starts (file and offset) -> the findings kept there: one, or several in a list. */
  private readonly byPlace = new Map<number | string, LocatedFinding | LocatedFinding[]>();

  /** Keeps `finding` unless an equal one was kept; true when it is kept. */
  add(finding: LocatedFinding): boolean {
    const key = placeKey(finding);
    const there = this.byPlace.get(key);
    if (there === undefined) {
      this.byPlace.set(key, finding);
      return true;
    }
    if (!Array.isArray(there)) {
      if (sameFinding(there, finding)) return false;
      this.byPlace.set(key, [there, finding]);
      return true;
    }
    for (const other of there) if (sameFinding(other, finding)) return false;
    there.push(finding);
    return true;
  }
}

/** A number for every real place (file index below 2^12, offset below 2^40), a string otherwise. */
function placeKey(finding: LocatedFinding): number | string {
  const { file } = finding;
  const { start } = finding.span;
  return Number.isInteger(file) && file >= 0 && file < 4096 && Number.isInteger(start) && start >= 0 && start < 2 ** 40 ? file * 2 ** 40 + start : `${file}|${start}`;
}

/** Equal as the key string this replaced compared them: arguments joined with NUL (so `join`'s conversions). */
function sameFinding(a: LocatedFinding, b: LocatedFinding): boolean {
  if (a.file !== b.file || a.rule !== b.rule || a.span.start !== b.span.start || a.span.end !== b.span.end || a.message.template !== b.message.template) return false;
  const argsA = a.message.args;
  const argsB = b.message.args;
  if (argsA.length === argsB.length) {
    let equal = true;
    for (let i = 0; i < argsA.length && equal; i++) equal = joinedText(argsA[i]) === joinedText(argsB[i]);
    if (equal) return true;
  }
  // Different arguments can still join to the same text (an argument holding a NUL): compare as joined.
  return argsA.join('\u0000') === argsB.join('\u0000');
}

/** How `Array.prototype.join` writes an element. */
function joinedText(value: string | number | null | undefined): string {
  return value === undefined || value === null ? '' : String(value);
}

export interface ProjectResult {
  /** Findings per input path (every input file has an entry), plus `ENV_RESULT_KEY` when `.env` was given. */
  readonly files: ReadonlyMap<string, readonly Finding[]>;
}

/** Runs the architecture's rules on a prepared project and returns every file's findings, configured and suppressed. */
export function checkPrepared(prepared: PreparedProject, options: CheckOptions = {}): ProjectResult {
  const located: LocatedFinding[] = [];
  const seenFileSets = new Set<string>();
  for (const config of prepared.configs) {
    // Without an override or prod file, dev and prod are the same files: role-blind rules would only repeat themselves.
    const fileSet = config.fileIndices.join(',');
    const repeated = seenFileSets.has(fileSet);
    seenFileSets.add(fileSet);
    const swarm = swarmChecksApply(options.swarm ?? 'auto', prepared.family, config);
    for (const rule of COMPOSE_RULES) {
      if (!rule.checkConfig || (rule.roles && !rule.roles.includes(config.role))) continue;
      if (!swarm && isSwarmRule(rule.id)) continue;
      if (repeated && !rule.roles && !rule.roleSensitive) continue;
      if (options.rules?.[rule.id] === 'off') continue;
      rule.checkConfig(configContext(prepared, config, options.existingPaths, located, rule.id));
    }
  }
  if (prepared.configs.length > 0) {
    for (let file = 0; file < prepared.family.files.length; file++) {
      for (const rule of COMPOSE_RULES) {
        if (!rule.checkFile || options.rules?.[rule.id] === 'off') continue;
        rule.checkFile(fileContext(prepared, file, located, rule.id));
      }
    }
  }
  const byFile = prepared.family.files.map((): Finding[] => []);
  const kept = new KeptFindings();
  for (let i = 0; i < located.length; i++) {
    const finding = located[i]!;
    // dev and prod share the base file: the same finding found in both is reported once.
    if (!kept.add(finding)) continue;
    byFile[finding.file]?.push({ rule: finding.rule, severity: DEFAULT_SEVERITY.get(finding.rule) ?? 'warning', message: finding.message, span: finding.span, ...(finding.fixes ? { fixes: finding.fixes } : {}) });
  }
  const finish = (text: string, findings: readonly Finding[]) => {
    const kept = options.schema === false ? findings.filter((f) => f.rule !== 'schema') : findings;
    return applyRuleLevels(applySuppressions(text, kept), options.rules ?? {}).sort(compareFindings);
  };
  const files = new Map<string, readonly Finding[]>();
  prepared.input.files.forEach((file, inputIndex) => {
    const familyIndex = prepared.order[inputIndex] ?? inputIndex;
    // concat, not a spread: the spread walks an iterator (a result object per finding until V8 optimizes it).
    const own = (prepared.perFile[familyIndex] ?? []).concat(byFile[familyIndex] ?? []);
    if (familyIndex === 0 && prepared.mergeFailed) {
      own.push({ rule: 'yaml-syntax', severity: 'error', message: msg('Aliases expand to too many nodes (an alias bomb?): the architecture rules were skipped.'), span: { start: 0, end: 0 } });
    }
    files.set(file.path, finish(file.text, own));
  });
  if (prepared.input.envText !== undefined && prepared.configs.length > 0) {
    files.set(ENV_RESULT_KEY, finish(prepared.input.envText, envFileFindings(prepared.input.envText, prepared.input.envExampleText)));
  }
  return { files };
}

/**
 * The one check both the editor and the CLI run on a folder's compose files: each file's syntax and
 * schema, then the architecture's rules on the merged dev and prod configs, findings placed in the file
 * and at the node where they can be fixed, with suppression comments and rule levels applied.
 */
export function checkProject(input: ProjectInput, options: CheckOptions = {}): ProjectResult {
  return checkPrepared(prepareProject(input, options.configs), options);
}
