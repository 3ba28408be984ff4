import * as vscode from 'vscode';
import { groupComposeFamilies, isComposeFileName, type ComposeFamily } from '../core/compose/files';
import { parseYaml, type ParsedYaml } from '../core/yaml/parse';
import type { BlueprintContext } from './context';
import { readOptional } from './readText';

/** Glob of candidate compose files; `isComposeUri` then keeps only the names Compose itself recognises. */
export const COMPOSE_GLOB = '**/{compose,docker-compose}*.{yml,yaml}';
const EXCLUDE_GLOB = '{**/node_modules/**,**/.git/**}';

export interface ComposeFileState {
  readonly uri: vscode.Uri;
  readonly text: string;
  readonly parsed: ParsedYaml;
}

/** A family with its files' URIs. `key` is the folder URI, stable across refreshes. */
export interface WorkspaceFamily {
  readonly key: string;
  readonly folderUri: vscode.Uri;
  readonly family: ComposeFamily;
  readonly uris: { readonly base: vscode.Uri; readonly override?: vscode.Uri; readonly prod?: vscode.Uri };
}

/**
 * The compose files of the workspace, read once at start and kept current by a file watcher and by the
 * text of open editors (unsaved edits count). Views and checks read from here instead of the disk.
 */
export class ComposeWorkspace implements vscode.Disposable {
  private readonly files = new Map<string, ComposeFileState>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private loaded = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly ctx: BlueprintContext) {
    const watcher = vscode.workspace.createFileSystemWatcher(COMPOSE_GLOB);
    this.disposables.push(
      watcher,
      this.changed,
      watcher.onDidCreate((uri) => {
        if (isComposeUri(uri)) ctx.background('reading compose file', this.readFromDisk(uri));
      }),
      watcher.onDidChange((uri) => {
        if (isComposeUri(uri) && !this.openDocument(uri)) ctx.background('reading compose file', this.readFromDisk(uri));
      }),
      watcher.onDidDelete((uri) => {
        if (this.files.delete(uri.toString())) this.changed.fire();
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (isComposeUri(event.document.uri)) this.setText(event.document.uri, event.document.getText());
      }),
      vscode.workspace.onDidOpenTextDocument((document) => {
        if (isComposeUri(document.uri)) this.setText(document.uri, document.getText());
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => ctx.background('rescanning compose files', this.scan())),
    );
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  /**
   * Finds and reads every compose file of the workspace: at start, when folders change, and on the services
   * view's Refresh (file watchers can miss files written while the editor is busy).
   */
  async scan(): Promise<void> {
    const uris = (await vscode.workspace.findFiles(COMPOSE_GLOB, EXCLUDE_GLOB, 2000)).filter(isComposeUri);
    // Files that are gone are dropped only once the others are read, so readers never see a half-empty workspace.
    const found = new Set(uris.map((uri) => uri.toString()));
    await Promise.all(uris.map((uri) => this.readFromDisk(uri, false)));
    for (const key of [...this.files.keys()]) if (!found.has(key)) this.files.delete(key);
    this.loaded = true;
    this.changed.fire();
  }

  all(): ComposeFileState[] {
    return [...this.files.values()].sort((a, b) => a.uri.toString().localeCompare(b.uri.toString()));
  }

  get(uri: vscode.Uri): ComposeFileState | undefined {
    return this.files.get(uri.toString());
  }

  families(): WorkspaceFamily[] {
    const byPath = new Map<string, vscode.Uri>();
    for (const file of this.files.values()) byPath.set(file.uri.toString(), file.uri);
    const { families } = groupComposeFamilies([...byPath.keys()]);
    return families.map((family) => {
      const uri = (key: string) => byPath.get(key) ?? vscode.Uri.parse(key);
      return {
        key: family.folder,
        folderUri: vscode.Uri.parse(family.folder),
        family,
        uris: {
          base: uri(family.base),
          ...(family.override ? { override: uri(family.override) } : {}),
          ...(family.prod ? { prod: uri(family.prod) } : {}),
        },
      };
    });
  }

  private openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  }

  private async readFromDisk(uri: vscode.Uri, notify = true): Promise<void> {
    const text = await readOptional(uri, (error) => this.ctx.log.warn(`cannot read ${uri.toString(true)}: ${String(error)}`));
    if (text === undefined) return;
    this.files.set(uri.toString(), { uri, text, parsed: parseYaml(text) });
    if (notify) this.changed.fire();
  }

  private setText(uri: vscode.Uri, text: string): void {
    const current = this.files.get(uri.toString());
    if (current?.text === text) return;
    this.files.set(uri.toString(), { uri, text, parsed: parseYaml(text) });
    this.changed.fire();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

export function isComposeUri(uri: vscode.Uri): boolean {
  const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
  return isComposeFileName(name);
}
