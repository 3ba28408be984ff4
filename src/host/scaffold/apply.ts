import fs from 'node:fs';
import path from 'node:path';
import { applyEdits } from '../../core/findings';
import type { ResolvedPlan } from '../../core/scaffold/plan';
import type { ExistingFiles } from '../../core/scaffold/types';

const MAX_TEXT_BYTES = 2 * 1024 * 1024;

/** Resolves a plan's relative path under the root, refusing anything that would leave it. */
export function resolveInside(root: string, relative: string): string {
  const full = path.resolve(root, relative);
  const back = path.relative(root, full);
  if (back === '' || back.startsWith('..') || path.isAbsolute(back)) throw new Error(`path outside the project: ${relative}`);
  return full;
}

/**
 * Reads what a plan needs to know about a folder: which of `relativePaths` exist, and the text of those
 * that are files (large or unreadable files are listed as existing without text, so the plan never
 * overwrites them).
 */
export function readExisting(root: string, relativePaths: readonly string[]): ExistingFiles {
  const texts = new Map<string, string>();
  const paths = new Set<string>();
  for (const relative of new Set(relativePaths)) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(resolveInside(root, relative));
    } catch {
      continue;
    }
    paths.add(relative);
    if (!stat.isFile() || stat.size > MAX_TEXT_BYTES) continue;
    try {
      texts.set(relative, fs.readFileSync(resolveInside(root, relative), 'utf8'));
    } catch {
      // Listed in `paths` without text: the plan reports it instead of writing over it.
    }
  }
  return { texts, paths };
}

export interface WriteResult {
  readonly written: readonly string[];
}

interface Step {
  readonly target: string;
  readonly temp: string;
  readonly replaces: boolean;
  backup?: string;
  done?: boolean;
}

/**
 * Writes a resolved plan all-or-nothing. Every new content is first written next to its target under a
 * temporary name (with its final mode); only when all of them are written are they renamed into place,
 * replaced files first moved aside. Any failure removes the temporaries, moves the originals back and
 * removes the folders it created, so the project is as it was. Edits are applied to the text the plan was
 * computed on; if a file changed on disk since, nothing is written.
 */
export function writePlan(root: string, plan: ResolvedPlan, planned: ExistingFiles): WriteResult {
  const contents: { relative: string; content: string; executable: boolean; replaces: boolean }[] = [];
  for (const file of plan.creates) contents.push({ relative: file.path, content: file.content, executable: file.executable === true, replaces: false });
  for (const conflict of plan.overwrites) contents.push({ relative: conflict.path, content: conflict.proposed, executable: conflict.executable === true, replaces: true });
  for (const edit of plan.edits) {
    const before = planned.texts.get(edit.path);
    const target = resolveInside(root, edit.path);
    const now = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
    if (before === undefined || now !== before) throw new Error(`${edit.path} changed since the plan was made; nothing was written`);
    contents.push({ relative: edit.path, content: applyEdits(before, edit.edits), executable: isExecutable(target), replaces: true });
  }
  for (const item of contents) {
    const target = resolveInside(root, item.relative);
    if (!item.replaces && fs.existsSync(target)) throw new Error(`${item.relative} appeared since the plan was made; nothing was written`);
  }

  const createdDirs: string[] = [];
  const steps: Step[] = [];
  const suffix = `.cb-${process.pid}-${Date.now().toString(36)}`;
  try {
    for (const item of contents) {
      const target = resolveInside(root, item.relative);
      mkdirs(path.dirname(target), createdDirs);
      const temp = target + suffix + '.tmp';
      fs.writeFileSync(temp, item.content, { encoding: 'utf8', flag: 'wx', mode: item.executable ? 0o755 : 0o644 });
      if (item.executable) fs.chmodSync(temp, 0o755);
      steps.push({ target, temp, replaces: item.replaces });
    }
    for (const step of steps) {
      if (step.replaces && fs.existsSync(step.target)) {
        step.backup = step.target + suffix + '.bak';
        fs.renameSync(step.target, step.backup);
      }
      fs.renameSync(step.temp, step.target);
      step.done = true;
    }
  } catch (error) {
    rollBack(steps, createdDirs);
    throw error;
  }
  for (const step of steps) if (step.backup) fs.rmSync(step.backup, { force: true });
  return { written: contents.map((item) => item.relative) };
}

function isExecutable(file: string): boolean {
  try {
    return (fs.statSync(file).mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

function mkdirs(dir: string, created: string[]): void {
  if (fs.existsSync(dir)) return;
  mkdirs(path.dirname(dir), created);
  fs.mkdirSync(dir);
  created.push(dir);
}

function rollBack(steps: readonly Step[], createdDirs: readonly string[]): void {
  for (const step of [...steps].reverse()) {
    try {
      if (step.done) fs.rmSync(step.target, { force: true });
      else fs.rmSync(step.temp, { force: true });
      if (step.backup && fs.existsSync(step.backup)) fs.renameSync(step.backup, step.target);
    } catch {
      // Best effort: keep undoing the other steps.
    }
  }
  for (const dir of [...createdDirs].reverse()) {
    try {
      fs.rmdirSync(dir);
    } catch {
      // Not empty (someone else wrote there): leave it.
    }
  }
}

/** Makes scripts executable (the editor's WorkspaceEdit cannot set modes). Returns the paths it could not change. */
export function makeExecutable(root: string, relativePaths: readonly string[]): string[] {
  const failed: string[] = [];
  for (const relative of relativePaths) {
    try {
      const full = resolveInside(root, relative);
      fs.chmodSync(full, fs.statSync(full).mode | 0o111);
    } catch {
      failed.push(relative);
    }
  }
  return failed;
}
