import fs from 'node:fs';
import path from 'node:path';
import { isComposeFileName } from '../core/compose/files';
import { normalizeRuleLevels, type RuleLevel, type RuleLevels } from '../core/rules/ruleConfig';
import { normalizeSwarmChecks, type SwarmChecks } from '../core/rules/swarm/intent';
import { checkPrepared, ENV_RESULT_KEY, prepareProject, type ProjectFileInput } from '../core/validation/checkProject';
import { findComposeFiles, readText } from '../host/files';
import { isDockerfileName, lintDockerfiles } from './dockerfileLint';
import type { CliIo } from './main';
import { formatSarif, formatStylish, toReported, type ReportedFinding } from './output';

export const LINT_USAGE = `Usage: compose-blueprint lint [paths or folders...] [options]

Checks compose files: YAML syntax, the compose schema, and the architecture's rules on the merged
development (base + override) and production (base + prod) configs. Folders are searched for
docker-compose*.yml / compose*.yaml; a file is checked together with its family (the compose files
of its folder), and a folder's .env is compared with its .env.example. Dockerfiles under build/ (and
Dockerfiles named on the command line) are checked with the Dockerfile rules and the services that build them.

Options:
  --format stylish|json|sarif   output format (default stylish)
  --env dev|prod|all            which merged configs the architecture's rules run on (default all)
  --rule <id>=<level>           set a rule's level: error, warning, info, hint or off (repeatable)
  --no-settings                 ignore composeBlueprint.rules from .vscode/settings.json
  --swarm / --no-swarm          run the Swarm checks (swarm-* rules) on the production config, or never
                                (default: composeBlueprint.swarm.checks from settings, else auto: when the
                                production config shows Swarm intent; see docs/rules/swarm-checks.md)
Rule levels are read from composeBlueprint.rules in ./.vscode/settings.json (the editor's setting),
then --rule options override them; composeBlueprint.validation.schema "off" there turns schema findings off.
Exit status: 0 no errors, 1 findings at error severity, 2 usage or I/O error.`;

const LEVELS = new Set(['error', 'warning', 'info', 'hint', 'off']);

interface LintOptions {
  format: 'stylish' | 'json' | 'sarif';
  configs: 'dev' | 'prod' | 'all';
  rules: Record<string, RuleLevel>;
  readSettings: boolean;
  targets: string[];
  swarm?: SwarmChecks;
}

/** Other linters plug in here (Dockerfiles under build/, issue 6): given the folders being linted, their findings. */
export type FolderLinter = (folders: readonly string[], io: CliIo) => { readonly reported: ReportedFinding[]; readonly ioError: boolean };
const folderLinters: FolderLinter[] = [];

function parseArgs(args: readonly string[], io: CliIo): LintOptions | number {
  const options: LintOptions = { format: 'stylish', configs: 'all', rules: {}, readSettings: true, targets: [] };
  const value = (arg: string, i: number): [string, number] => {
    const eq = arg.indexOf('=');
    return arg.startsWith('--') && eq > 0 ? [arg.slice(eq + 1), i] : [args[i + 1] ?? '', i + 1];
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const name = arg.startsWith('--') ? arg.split('=')[0] : arg;
    if (name === '--help' || name === '-h') {
      io.out(LINT_USAGE + '\n');
      return 0;
    } else if (name === '--format' || name === '-f') {
      const [format, next] = value(arg, i);
      i = next;
      if (format !== 'stylish' && format !== 'json' && format !== 'sarif') {
        io.err(`Unknown format "${format}": use stylish, json or sarif.\n`);
        return 2;
      }
      options.format = format;
    } else if (name === '--env') {
      const [env, next] = value(arg, i);
      i = next;
      if (env !== 'dev' && env !== 'prod' && env !== 'all') {
        io.err(`Unknown --env "${env}": use dev, prod or all.\n`);
        return 2;
      }
      options.configs = env;
    } else if (name === '--rule') {
      const [spec, next] = value(arg, i);
      i = next;
      const [rule, level] = spec.split('=');
      if (!rule || !level || !LEVELS.has(level)) {
        io.err(`Bad --rule "${spec}": use <rule-id>=error|warning|info|hint|off.\n`);
        return 2;
      }
      options.rules[rule] = level as RuleLevel;
    } else if (name === '--no-settings') {
      options.readSettings = false;
    } else if (name === '--swarm' || name === '--no-swarm') {
      options.swarm = name === '--swarm' ? 'on' : 'off';
    } else if (arg.startsWith('-')) {
      io.err(`Unknown option ${arg}\n${LINT_USAGE}\n`);
      return 2;
    } else options.targets.push(arg);
  }
  if (options.targets.length === 0) options.targets.push('.');
  return options;
}

/** Parses a VS Code settings file (JSON with comments and trailing commas). */
function parseSettings(text: string): Record<string, unknown> {
  const withoutComments = text.replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_m, string: string | undefined) => string ?? '');
  const withoutTrailingCommas = withoutComments.replace(/,(\s*[}\]])/g, '$1');
  return JSON.parse(withoutTrailingCommas) as Record<string, unknown>;
}

/** Reads `composeBlueprint.rules` from a VS Code settings file. */
export function rulesFromSettings(text: string): RuleLevels {
  return normalizeRuleLevels(parseSettings(text)['composeBlueprint.rules']);
}

/** `composeBlueprint.validation.schema: off` turns `schema` findings off in the CLI too (`auto` means on: no other validator runs in CI). */
export function schemaFromSettings(text: string): boolean {
  return parseSettings(text)['composeBlueprint.validation.schema'] !== 'off';
}

/** `composeBlueprint.swarm.checks` from a settings file (auto when absent). */
export function swarmFromSettings(text: string): SwarmChecks {
  return normalizeSwarmChecks(parseSettings(text)['composeBlueprint.swarm.checks']);
}

export function runLint(args: readonly string[], io: CliIo): number {
  const parsed = parseArgs(args, io);
  if (typeof parsed === 'number') return parsed;
  io.optimizer?.start();
  try {
    return lint(parsed, io);
  } finally {
    io.optimizer?.finish();
  }
}

function lint(parsed: LintOptions, io: CliIo): number {
  let ioError = false;

  let levels: RuleLevels = {};
  let schema = true;
  let swarm: SwarmChecks = 'auto';
  const settingsFile = path.join(io.cwd, '.vscode', 'settings.json');
  if (parsed.readSettings && fs.existsSync(settingsFile)) {
    try {
      const settingsText = fs.readFileSync(settingsFile, 'utf8');
      levels = rulesFromSettings(settingsText);
      schema = schemaFromSettings(settingsText);
      swarm = swarmFromSettings(settingsText);
    } catch (error) {
      io.err(`Cannot read composeBlueprint.rules from ${settingsFile}: ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
  }
  levels = { ...levels, ...parsed.rules };
  swarm = parsed.swarm ?? swarm;

  // Folder -> the files to report there; a file given by name brings its family along for merging.
  const requested = new Map<string, { files: Set<string>; wholeFolder: boolean }>();
  const request = (file: string, wholeFolder: boolean) => {
    const folder = path.dirname(file);
    const entry = requested.get(folder) ?? { files: new Set<string>(), wholeFolder: false };
    entry.files.add(file);
    entry.wholeFolder ||= wholeFolder;
    requested.set(folder, entry);
  };
  const folders: string[] = [];
  const dockerfileTargets: string[] = [];
  for (const target of parsed.targets) {
    const full = path.resolve(io.cwd, target);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      io.err(`No such file or folder: ${target}\n`);
      ioError = true;
      continue;
    }
    if (stat.isDirectory()) {
      folders.push(full);
      for (const file of findComposeFiles(full)) request(file, true);
    } else if (isDockerfileName(full)) dockerfileTargets.push(full);
    else request(full, false);
  }

  const reported: ReportedFinding[] = [];
  for (const [folder, { files, wholeFolder }] of [...requested].sort(([a], [b]) => a.localeCompare(b))) {
    const family = new Set(files);
    for (const sibling of safeList(folder)) if (isComposeFileName(sibling)) family.add(path.join(folder, sibling));
    const inputs: ProjectFileInput[] = [];
    for (const file of [...family].sort()) {
      const read = readText(file);
      if (read.ok) inputs.push({ path: file, text: read.text });
      else if (files.has(file)) {
        io.err(`Cannot read ${file}: ${read.error}\n`);
        ioError = true;
      }
    }
    const envText = optionalText(path.join(folder, '.env'));
    const envExampleText = optionalText(path.join(folder, '.env.example'));
    io.optimizer?.add(inputs.reduce((chars, input) => chars + input.text.length, 0));
    const prepared = prepareProject(
      { files: inputs, ...(envText !== undefined ? { envText } : {}), ...(envExampleText !== undefined ? { envExampleText } : {}) },
      parsed.configs,
    );
    const result = checkPrepared(prepared, { rules: levels, configs: parsed.configs, existingPaths: new PathsOnDisk(folder), schema, swarm });
    for (const input of inputs) {
      if (!files.has(input.path)) continue;
      reported.push(...toReported(input.path, input.text, result.files.get(input.path) ?? []));
    }
    const envFindings = result.files.get(ENV_RESULT_KEY);
    if (wholeFolder && envFindings && envText !== undefined) reported.push(...toReported(path.join(folder, '.env'), envText, envFindings));
  }

  // Other linters (Dockerfiles): add yours to `folderLinters`; they see the folders named on the command line.
  for (const linter of folderLinters) {
    const extra = linter(folders, io);
    reported.push(...extra.reported);
    ioError ||= extra.ioError;
  }

  const dockerfiles = lintDockerfiles(folders, dockerfileTargets, levels, io);
  reported.push(...dockerfiles.reported);
  ioError ||= dockerfiles.ioError;

  if (parsed.format === 'json') io.out(JSON.stringify(reported, null, 2) + '\n');
  else if (parsed.format === 'sarif') io.out(JSON.stringify(formatSarif(reported, io.cwd), null, 2) + '\n');
  else io.out(formatStylish(reported, io.cwd));
  if (ioError) return 2;
  return reported.some((f) => f.severity === 'error') ? 1 : 0;
}

/**
 * The paths `build-missing` asks about (build contexts and Dockerfiles, relative to the folder, '/'-separated),
 * looked up on disk when the rule asks, once each. The editor lists them first with `probePaths` because its
 * file system is asynchronous; the CLI's is not, and listing them walked every service's build once more
 * (about 5% of a lint of 50 services). The rule only asks `has`: iterating yields the paths found so far.
 */
export class PathsOnDisk implements ReadonlySet<string> {
  private readonly answers = new Map<string, boolean>();

  constructor(private readonly folder: string) {}

  has(relative: string): boolean {
    let exists = this.answers.get(relative);
    if (exists === undefined) {
      exists = fs.existsSync(path.join(this.folder, relative));
      this.answers.set(relative, exists);
    }
    return exists;
  }

  private found(): Set<string> {
    return new Set([...this.answers].filter(([, exists]) => exists).map(([relative]) => relative));
  }

  get size(): number {
    return this.found().size;
  }

  forEach(visit: (value: string, key: string, set: ReadonlySet<string>) => void): void {
    for (const relative of this.found()) visit(relative, relative, this);
  }

  entries(): SetIterator<[string, string]> {
    return this.found().entries();
  }

  keys(): SetIterator<string> {
    return this.found().keys();
  }

  values(): SetIterator<string> {
    return this.found().values();
  }

  [Symbol.iterator](): SetIterator<string> {
    return this.found()[Symbol.iterator]();
  }
}

function safeList(folder: string): string[] {
  try {
    return fs.readdirSync(folder);
  } catch {
    return [];
  }
}

function optionalText(file: string): string | undefined {
  if (!fs.existsSync(file)) return undefined;
  const read = readText(file);
  return read.ok ? read.text : undefined;
}
