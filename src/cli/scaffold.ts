import fs from 'node:fs';
import path from 'node:path';
import { normalizeProjectName } from '../core/compose/files';
import { formatMessage } from '../core/message';
import { CATALOGUE, catalogueEntry } from '../core/scaffold/catalogue';
import { suggestName, validateProjectName, validateServiceName } from '../core/scaffold/names';
import {
  executablePaths,
  isEmptyPlan,
  pathsToInspect,
  pathsToInspectForAdd,
  planAddService,
  planNewProject,
  resolvePlan,
  type ConflictChoice,
} from '../core/scaffold/plan';
import { PRESETS } from '../core/scaffold/presets';
import type { ExistingFiles, Lang, NewProjectInput, ScaffoldPlan } from '../core/scaffold/types';
import { readExisting, writePlan } from '../host/scaffold/apply';
import type { CliIo } from './main';

const presetList = PRESETS.map((preset) => preset.id).join(', ');
const serviceList = CATALOGUE.map((entry) => entry.id).join(', ');

export const NEW_USAGE = `Usage: compose-blueprint new <dir> [--preset <name>] [--services a,b] [--lang en|es] [--name <project>] [--force] [--dry-run]

Creates a Docker Compose project in the standard architecture (build/, data/, bd/, three compose files,
.env.example, .gitignore, README, scripts, monitors). Presets: ${presetList}.
Services: ${serviceList}.
Existing files are never overwritten: a file that exists with other content is a conflict, and nothing is
written unless --force is given (then conflicting files are replaced). Compose files, .env.example and
.gitignore that exist are extended in place (missing services, variables and lines only).
Exit status: 0 written or nothing to do, 1 conflicts or the plan cannot be applied, 2 usage or I/O error.`;

export const ADD_USAGE = `Usage: compose-blueprint add <dir> <service> [--as <name>] [--depends-on a,b] [--lang en|es] [--force] [--dry-run]

Adds a catalogue service (${serviceList}), or a generic built service under any other name, to the project
in <dir>: its block is appended to each compose file, keeping comments, order and formatting.
Exit status: 0 written or nothing to do, 1 conflicts or the plan cannot be applied, 2 usage or I/O error.`;

interface ParsedArgs {
  readonly positional: string[];
  readonly options: Map<string, string>;
  readonly flags: Set<string>;
}

function parseArgs(args: readonly string[], valued: readonly string[], flags: readonly string[]): ParsedArgs | string {
  const result: ParsedArgs = { positional: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (valued.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) return `${name} needs a value`;
      result.options.set(name, value);
    } else if (flags.includes(name)) result.flags.add(name);
    else if (arg.startsWith('-')) return `Unknown option ${arg}`;
    else result.positional.push(arg);
  }
  return result;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function langOf(value: string | undefined): Lang | undefined {
  if (value === undefined) return 'en';
  return value === 'en' || value === 'es' ? value : undefined;
}

/** The plan as the CLI prints it: one line per file, then a summary. */
export function formatPlan(plan: ScaffoldPlan, force: boolean): string {
  const lines: string[] = [];
  for (const file of plan.creates) lines.push(`  create    ${file.path}${file.executable ? ' (executable)' : ''}`);
  for (const edit of plan.edits) lines.push(`  edit      ${edit.path} (${formatMessage(edit.reason)})`);
  for (const conflict of plan.conflicts) lines.push(`  conflict  ${conflict.path} (exists with other content; ${force ? 'overwritten: --force' : 'kept; --force overwrites'})`);
  for (const note of plan.notes) lines.push(`  note      ${formatMessage(note)}`);
  for (const error of plan.errors) lines.push(`  error     ${formatMessage(error)}`);
  lines.push(`${plan.creates.length} to create, ${plan.edits.length} to edit, ${plan.conflicts.length} conflicts, ${plan.unchanged.length} unchanged.`);
  return lines.join('\n') + '\n';
}

function applyPlan(root: string, plan: ScaffoldPlan, existing: ExistingFiles, flags: Set<string>, io: CliIo): number {
  const force = flags.has('--force');
  io.out(formatPlan(plan, force));
  if (plan.errors.length > 0) {
    io.err('Nothing was written.\n');
    return 1;
  }
  if (plan.conflicts.length > 0 && !force) {
    for (const conflict of plan.conflicts) io.err(shortDiff(conflict.path, conflict.current, conflict.proposed));
    io.err('Nothing was written: existing files differ. Re-run with --force to overwrite them.\n');
    return 1;
  }
  if (isEmptyPlan(plan)) {
    io.out('Nothing to do: the project already has everything.\n');
    return 0;
  }
  if (flags.has('--dry-run')) {
    io.out('Dry run: nothing was written.\n');
    return 0;
  }
  const choices = new Map<string, ConflictChoice>(plan.conflicts.map((conflict) => [conflict.path, 'overwrite']));
  const resolved = resolvePlan(plan, choices);
  try {
    const { written } = writePlan(root, resolved, existing);
    io.out(`Wrote ${written.length} files in ${root} (${executablePaths(resolved).length} executable).\n`);
    return 0;
  } catch (error) {
    io.err(`Nothing was written: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

/** A few lines of the difference, so a refused overwrite says what would change. */
function shortDiff(file: string, current: string, proposed: string): string {
  const a = current.split(/\r?\n/);
  const b = proposed.split(/\r?\n/);
  let first = 0;
  while (first < a.length && first < b.length && a[first] === b[first]) first++;
  const lines = [`--- ${file} (current)`, `+++ ${file} (proposed)`, `@@ line ${first + 1} @@`];
  for (const line of a.slice(first, first + 3)) lines.push(`-${line}`);
  for (const line of b.slice(first, first + 3)) lines.push(`+${line}`);
  return lines.join('\n') + '\n';
}

export function runNew(args: readonly string[], io: CliIo): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(NEW_USAGE + '\n');
    return 0;
  }
  const parsed = parseArgs(args, ['--preset', '--services', '--lang', '--name'], ['--force', '--dry-run']);
  if (typeof parsed === 'string' || parsed.positional.length !== 1) {
    io.err(`${typeof parsed === 'string' ? parsed : 'Give exactly one target folder.'}\n${NEW_USAGE}\n`);
    return 2;
  }
  const root = path.resolve(io.cwd, parsed.positional[0]!);
  const lang = langOf(parsed.options.get('--lang'));
  if (!lang) {
    io.err('--lang must be en or es.\n');
    return 2;
  }
  const name = parsed.options.get('--name') ?? (suggestName(path.basename(root)) || normalizeProjectName(path.basename(root)));
  const nameProblem = validateProjectName(name);
  if (nameProblem) {
    io.err(`Project name "${name}": ${formatMessage(nameProblem)} (use --name)\n`);
    return 2;
  }
  const preset = parsed.options.get('--preset');
  const services = list(parsed.options.get('--services'));
  if (preset === undefined && services.length === 0) {
    io.err(`Choose --preset (${presetList}) or --services.\n`);
    return 2;
  }
  const testImage = process.env['DOCKER_TEST_IMAGE'];
  const input: NewProjectInput = {
    name,
    lang,
    ...(preset !== undefined ? { preset } : {}),
    services,
    ...(testImage ? { entryOptions: { 'busybox-test': { image: testImage } } } : {}),
  };
  if (fs.existsSync(root) && !fs.statSync(root).isDirectory()) {
    io.err(`${root} is not a folder.\n`);
    return 2;
  }
  const existing = fs.existsSync(root) ? readExisting(root, pathsToInspect(input)) : { texts: new Map<string, string>(), paths: new Set<string>() };
  io.out(`New project "${name}" in ${root}:\n`);
  return applyPlan(root, planNewProject(input, existing), existing, parsed.flags, io);
}

export function runAdd(args: readonly string[], io: CliIo): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(ADD_USAGE + '\n');
    return 0;
  }
  const parsed = parseArgs(args, ['--as', '--depends-on', '--lang'], ['--force', '--dry-run']);
  if (typeof parsed === 'string' || parsed.positional.length !== 2) {
    io.err(`${typeof parsed === 'string' ? parsed : 'Give a project folder and a service.'}\n${ADD_USAGE}\n`);
    return 2;
  }
  const root = path.resolve(io.cwd, parsed.positional[0]!);
  const service = parsed.positional[1]!;
  const langOption = parsed.options.get('--lang');
  const lang = langOption === undefined ? undefined : langOf(langOption);
  if (langOption !== undefined && !lang) {
    io.err('--lang must be en or es.\n');
    return 2;
  }
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    io.err(`No such project folder: ${root}\n`);
    return 2;
  }
  const name = parsed.options.get('--as') ?? service;
  const problem = validateServiceName(name);
  if (problem) {
    io.err(`Service name "${name}": ${formatMessage(problem)}\n`);
    return 2;
  }
  const entryId = catalogueEntry(service) ? service : 'generic';
  const project = suggestName(path.basename(root)) || 'project';
  // Without --lang, the service's comments follow the project's language (read from its compose header).
  const input = { entryId, name, project, ...(lang ? { lang } : {}), dependsOn: list(parsed.options.get('--depends-on')) };
  const existing = readExisting(root, pathsToInspectForAdd(input));
  io.out(`Add "${name}" (${entryId}) to ${root}:\n`);
  return applyPlan(root, planAddService(input, existing), existing, parsed.flags, io);
}
