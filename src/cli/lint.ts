import fs from 'node:fs';
import path from 'node:path';
import { compareFindings } from '../core/findings';
import { checkComposeText } from '../core/validation/checkFile';
import { findComposeFiles, readText } from '../host/files';
import type { CliIo } from './main';
import { formatStylish, toReported, type ReportedFinding } from './output';

export const LINT_USAGE = `Usage: compose-blueprint lint [paths or folders...] [--format stylish|json]

Checks compose files (folders are searched for docker-compose*.yml and compose*.yaml).
Exit status: 0 no errors, 1 findings at error severity, 2 usage or I/O error.`;

export function runLint(args: readonly string[], io: CliIo): number {
  let format = 'stylish';
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--format' || arg === '-f') format = args[++i] ?? '';
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
    else if (arg === '--help' || arg === '-h') {
      io.out(LINT_USAGE + '\n');
      return 0;
    } else if (arg.startsWith('-')) {
      io.err(`Unknown option ${arg}\n${LINT_USAGE}\n`);
      return 2;
    } else targets.push(arg);
  }
  if (!['stylish', 'json'].includes(format)) {
    io.err(`Unknown format "${format}": use stylish or json.\n`);
    return 2;
  }
  if (targets.length === 0) targets.push('.');

  const files: string[] = [];
  let ioError = false;
  for (const target of targets) {
    const full = path.resolve(io.cwd, target);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      io.err(`No such file or folder: ${target}\n`);
      ioError = true;
      continue;
    }
    if (stat.isDirectory()) files.push(...findComposeFiles(full));
    else files.push(full);
  }

  const reported: ReportedFinding[] = [];
  for (const file of files) {
    const read = readText(file);
    if (!read.ok) {
      io.err(`Cannot read ${file}: ${read.error}\n`);
      ioError = true;
      continue;
    }
    const { findings } = checkComposeText(read.text);
    reported.push(...toReported(file, read.text, [...findings].sort(compareFindings)));
  }

  io.out(format === 'json' ? JSON.stringify(reported, null, 2) + '\n' : formatStylish(reported, io.cwd));
  if (ioError) return 2;
  return reported.some((f) => f.severity === 'error') ? 1 : 0;
}
