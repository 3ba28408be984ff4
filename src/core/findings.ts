import type { Message } from './message';
import type { Span } from './text/lineIndex';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** Replace `span` of a file's text with `newText`. Offsets refer to the text the finding was computed on. */
export interface TextEdit {
  readonly span: Span;
  readonly newText: string;
}

/**
 * A fix as data. Edits to the finding's own file go in `edits`; a fix that also touches another file
 * (for example adding a variable to `.env.example`) lists it in `otherFiles` by path relative to the file's folder.
 */
export interface Fix {
  readonly title: Message;
  readonly edits: readonly TextEdit[];
  readonly otherFiles?: readonly { readonly path: string; readonly edits: readonly TextEdit[]; readonly createIfMissing?: boolean }[];
  /** A fix that is safe to apply in "fix all" without looking. */
  readonly isPreferred?: boolean;
}

/** One problem found in one file. `rule` is the id users see, configure and suppress. */
export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: Message;
  readonly span: Span;
  readonly fixes?: readonly Fix[];
}

/** Applies non-overlapping edits to a text (tests and the CLI use this; the editor applies WorkspaceEdits). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let result = text;
  let lastStart = Number.POSITIVE_INFINITY;
  for (const edit of sorted) {
    if (edit.span.end > lastStart) throw new Error('overlapping edits');
    result = result.slice(0, edit.span.start) + edit.newText + result.slice(edit.span.end);
    lastStart = edit.span.start;
  }
  return result;
}

/** Stable order for output: by position, then rule id. */
export function compareFindings(a: Finding, b: Finding): number {
  return a.span.start - b.span.start || a.span.end - b.span.end || a.rule.localeCompare(b.rule);
}
