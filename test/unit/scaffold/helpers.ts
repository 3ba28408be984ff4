import { applyEdits } from '../../../src/core/findings';
import { planNewProject } from '../../../src/core/scaffold/plan';
import type { ExistingFiles, NewProjectInput, ScaffoldPlan } from '../../../src/core/scaffold/types';

/** The files a plan would leave on disk, applied to what was there: relative path -> text. */
export function applyPlanToFiles(plan: ScaffoldPlan, before: ReadonlyMap<string, string> = new Map()): Map<string, string> {
  const files = new Map(before);
  for (const file of plan.creates) files.set(file.path, file.content);
  for (const edit of plan.edits) files.set(edit.path, applyEdits(files.get(edit.path) ?? '', edit.edits));
  return files;
}

/** What an adapter would read from a folder holding exactly these files. */
export function existingFrom(files: ReadonlyMap<string, string>): ExistingFiles {
  const paths = new Set<string>();
  for (const path of files.keys()) {
    paths.add(path);
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) paths.add(parts.slice(0, i).join('/'));
  }
  return { texts: new Map(files), paths };
}

export const EMPTY: ExistingFiles = { texts: new Map(), paths: new Set() };

/** Generates a project into memory; fails loudly when the plan has errors. */
export function generate(input: NewProjectInput): Map<string, string> {
  const plan = planNewProject(input, EMPTY);
  if (plan.errors.length > 0) throw new Error(`plan errors: ${JSON.stringify(plan.errors)}`);
  return applyPlanToFiles(plan);
}
