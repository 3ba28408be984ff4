import type { Finding, Fix, TextEdit } from '../findings';

export interface CombinedFix {
  /** Edits to the findings' own file. */
  readonly edits: readonly TextEdit[];
  /** Edits to other files, by path relative to the file's folder. */
  readonly otherFiles: ReadonlyMap<string, { readonly edits: readonly TextEdit[]; readonly createIfMissing: boolean }>;
}

function combineEdits(lists: readonly (readonly TextEdit[])[]): TextEdit[] {
  const accepted: TextEdit[] = [];
  for (const list of lists) {
    // A fix is all or nothing: if any of its edits collides with one already taken, skip the whole fix.
    const fresh: TextEdit[] = [];
    let collides = false;
    for (const edit of list) {
      const same = accepted.find((e) => e.span.start === edit.span.start && e.span.end === edit.span.end && e.newText === edit.newText);
      if (same) continue;
      const overlaps = accepted.some((e) => e.span.start < edit.span.end && edit.span.start < e.span.end);
      if (overlaps) {
        collides = true;
        break;
      }
      fresh.push(edit);
    }
    if (!collides) accepted.push(...fresh);
  }
  // Insertions at the same offset are merged in the order the fixes came, so applying them keeps that order.
  const merged: TextEdit[] = [];
  for (const edit of accepted) {
    const sameInsert = edit.span.start === edit.span.end ? merged.find((e) => e.span.start === edit.span.start && e.span.end === edit.span.end) : undefined;
    if (sameInsert) {
      const a = sameInsert.newText;
      const line = edit.newText.trim();
      const duplicate = !line.includes('\n') && a.split(/\r?\n/).some((l) => l.trim() === line);
      if (!duplicate) merged[merged.indexOf(sameInsert)] = { span: sameInsert.span, newText: a + (a.endsWith('\n') ? edit.newText.replace(/^\r?\n/, '') : edit.newText) };
    } else merged.push(edit);
  }
  return merged;
}

/**
 * Combines the first fix of each finding into one set of edits ("fix all in this file"): identical edits
 * are applied once, a fix that overlaps one already taken is left for a later pass, and lines appended to
 * the same place of another file (such as `.env.example`) are joined in order.
 */
export function combineFixes(findings: readonly Finding[], choose: (finding: Finding) => Fix | undefined = (f) => f.fixes?.[0]): CombinedFix {
  const fixes = findings.map(choose).filter((fix): fix is Fix => fix !== undefined);
  const edits = combineEdits(fixes.map((fix) => fix.edits));
  const byPath = new Map<string, { lists: TextEdit[][]; createIfMissing: boolean }>();
  for (const fix of fixes) {
    for (const other of fix.otherFiles ?? []) {
      const entry = byPath.get(other.path) ?? { lists: [], createIfMissing: false };
      entry.lists.push([...other.edits]);
      entry.createIfMissing ||= other.createIfMissing === true;
      byPath.set(other.path, entry);
    }
  }
  const otherFiles = new Map([...byPath].map(([path, entry]) => [path, { edits: combineEdits(entry.lists), createIfMissing: entry.createIfMissing }]));
  return { edits, otherFiles };
}
