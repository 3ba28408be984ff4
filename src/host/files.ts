import fs from 'node:fs';
import path from 'node:path';
import { isComposeFileName } from '../core/compose/files';

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out']);

/** Compose files under a folder, recursively, skipping dependency and VCS folders; sorted. */
export function findComposeFiles(root: string, accept: (name: string) => boolean = isComposeFileName): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(full);
      } else if (entry.isFile() && accept(entry.name)) {
        found.push(full);
      }
    }
  };
  walk(root);
  return found.sort();
}

export type ReadResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string };

/** Reads a text file as UTF-8; a failure is a result with the reason, never an exception. */
export function readText(file: string): ReadResult {
  try {
    return { ok: true, text: fs.readFileSync(file, 'utf8') };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
