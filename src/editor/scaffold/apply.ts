import * as vscode from 'vscode';
import { isComposeFileName } from '../../core/compose/files';
import { executablePaths, type ResolvedPlan } from '../../core/scaffold/plan';
import type { ExistingFiles, ScaffoldPlan } from '../../core/scaffold/types';
import { makeExecutable } from '../../host/scaffold/apply';
import type { BlueprintContext } from '../context';

const MAX_TEXT_BYTES = 2 * 1024 * 1024;

function uriOf(root: vscode.Uri, relative: string): vscode.Uri {
  return vscode.Uri.joinPath(root, ...relative.split('/'));
}

function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
}

/**
 * Reads what a plan needs from a folder: which paths exist and their text. An open document's text wins
 * over the file on disk (unsaved changes are what the user sees, and what edits must apply to).
 */
export async function readExistingFromWorkspace(root: vscode.Uri, relativePaths: readonly string[]): Promise<ExistingFiles> {
  const texts = new Map<string, string>();
  const paths = new Set<string>();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  await Promise.all(
    [...new Set(relativePaths)].map(async (relative) => {
      const uri = uriOf(root, relative);
      let stat: vscode.FileStat;
      try {
        stat = await vscode.workspace.fs.stat(uri);
      } catch {
        return;
      }
      paths.add(relative);
      if (stat.type !== vscode.FileType.File || stat.size > MAX_TEXT_BYTES) return;
      const open = openDocument(uri);
      if (open) {
        texts.set(relative, open.getText());
        return;
      }
      try {
        texts.set(relative, decoder.decode(await vscode.workspace.fs.readFile(uri)));
      } catch {
        // Existing but unreadable (binary, not UTF-8): in `paths` without text, so the plan will not touch it.
      }
    }),
  );
  return { texts, paths };
}

/** A read-only document scheme holding proposed contents, for the difference shown before an overwrite. */
export class ProposedContents implements vscode.TextDocumentContentProvider {
  static readonly scheme = 'compose-blueprint-proposed';
  private readonly contents = new Map<string, string>();

  uriFor(path: string, content: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: ProposedContents.scheme, path: '/' + path, query: String(Date.now()) });
    this.contents.set(uri.toString(), content);
    return uri;
  }

  /** Drops a proposal once its difference is closed, so a long session keeps none of them. */
  forget(uri: vscode.Uri): void {
    this.contents.delete(uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }
}

/** The plan as the confirmation dialog lists it: files to create, edit, overwrite and keep, then notes. */
export function describePlan(plan: ScaffoldPlan, resolved: ResolvedPlan, notes: readonly string[]): string {
  const lines: string[] = [];
  const section = (title: string, paths: readonly string[]) => {
    if (paths.length === 0) return;
    lines.push(`${title} (${paths.length})`);
    const shown = paths.slice(0, 18);
    for (const path of shown) lines.push(`  ${path}`);
    if (paths.length > shown.length) lines.push('  ' + vscode.l10n.t('... and {0} more', paths.length - shown.length));
    lines.push('');
  };
  section(vscode.l10n.t('Create'), resolved.creates.map((file) => file.path));
  section(vscode.l10n.t('Edit'), resolved.edits.map((edit) => edit.path));
  section(vscode.l10n.t('Overwrite'), resolved.overwrites.map((conflict) => conflict.path));
  section(vscode.l10n.t('Keep (differs, not written)'), resolved.kept);
  if (plan.unchanged.length > 0) lines.push(vscode.l10n.t('{0} files already up to date.', plan.unchanged.length));
  for (const note of notes) lines.push(note);
  return lines.join('\n').trim();
}

export interface ApplyOutcome {
  readonly applied: boolean;
  readonly written: readonly string[];
  /** Scripts whose executable bit could not be set (a virtual or remote file system). */
  readonly notExecutable: readonly string[];
}

/**
 * Applies a resolved plan as one WorkspaceEdit: new files are created with their content, edits and
 * overwrites are text edits on the documents. One edit means one Undo, and VS Code applies it whole or not
 * at all. Documents that were clean before are saved after, so the files on disk are complete; documents
 * with unsaved changes of the user's are left unsaved. Scripts are then made executable.
 */
export async function applyResolvedPlan(ctx: BlueprintContext, root: vscode.Uri, resolved: ResolvedPlan, planned: ExistingFiles, label: string): Promise<ApplyOutcome> {
  const edit = new vscode.WorkspaceEdit();
  const metadata: vscode.WorkspaceEditEntryMetadata = { label, needsConfirmation: false };
  const encoder = new TextEncoder();
  const toSave: vscode.TextDocument[] = [];
  // A file that appeared since the plan was made would make the edit fail part-way: refuse before writing anything.
  const appeared = await Promise.all(
    resolved.creates.map(async (file) => {
      try {
        await vscode.workspace.fs.stat(uriOf(root, file.path));
        return file.path;
      } catch {
        return undefined;
      }
    }),
  );
  const first = appeared.find((path) => path !== undefined);
  if (first) throw new Error(vscode.l10n.t('{0} appeared while the plan was shown; nothing was written. Run the command again.', first));
  // Compose files last: the validator reacts to each new file, and by then the Dockerfiles they name exist.
  const composeLast = [...resolved.creates].sort((a, b) => Number(isComposeFileName(a.path)) - Number(isComposeFileName(b.path)));
  for (const file of composeLast) {
    edit.createFile(uriOf(root, file.path), { contents: encoder.encode(file.content), overwrite: false, ignoreIfExists: false }, metadata);
  }
  const textTargets = [
    ...resolved.edits.map((planned) => ({ path: planned.path, edits: planned.edits })),
    ...resolved.overwrites.map((conflict) => ({ path: conflict.path, edits: [{ span: { start: 0, end: conflict.current.length }, newText: conflict.proposed }] })),
  ];
  for (const target of textTargets) {
    const document = await vscode.workspace.openTextDocument(uriOf(root, target.path));
    if (document.getText() !== planned.texts.get(target.path)) {
      throw new Error(vscode.l10n.t('{0} changed while the plan was shown; nothing was written. Run the command again.', target.path));
    }
    if (!document.isDirty) toSave.push(document);
    for (const change of target.edits) {
      edit.replace(document.uri, new vscode.Range(document.positionAt(change.span.start), document.positionAt(change.span.end)), change.newText, metadata);
    }
  }
  const applied = await vscode.workspace.applyEdit(edit);
  if (!applied) return { applied: false, written: [], notExecutable: [] };
  for (const document of toSave) {
    if (!(await document.save())) ctx.log.warn(`could not save ${document.uri.toString()}`);
  }
  const scripts = executablePaths(resolved);
  // Workspace edits cannot set file modes; on local disks the host code does, elsewhere scripts run with `bash x.sh`.
  const notExecutable = root.scheme === 'file' ? makeExecutable(root.fsPath, scripts) : scripts;
  if (notExecutable.length > 0) ctx.log.warn(`not made executable (run them with bash): ${notExecutable.join(', ')}`);
  return { applied, written: [...resolved.creates.map((f) => f.path), ...textTargets.map((t) => t.path)], notExecutable };
}
