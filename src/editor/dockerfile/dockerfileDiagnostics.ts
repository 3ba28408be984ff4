import * as vscode from 'vscode';
import { checkDockerfileText, isBlueprintDockerfilePath, normalizeRequiredLabels, type DockerfileCheck } from '../../core/dockerfile/check';
import { findComposeBuildUses } from '../../core/dockerfile/composeUses';
import { normalizeRuleLevels } from '../../core/rules/ruleConfig';
import type { ComposeWorkspace } from '../composeWorkspace';
import { errorText, type BlueprintContext } from '../context';
import { toDiagnostics } from '../validation/diagnostics';

/** The architecture's Dockerfiles: every `Dockerfile*` under a `build/` folder. */
export const BLUEPRINT_DOCKERFILE_GLOB = '**/build/**/Dockerfile*';
const EXCLUDE_GLOB = '{**/node_modules/**,**/.git/**}';

/** Documents the Dockerfile checks apply to: the `dockerfile` language and the architecture's Dockerfiles. */
export const DOCKERFILE_SELECTOR: vscode.DocumentSelector = [
  { language: 'dockerfile' },
  { pattern: BLUEPRINT_DOCKERFILE_GLOB },
];

export function isDockerfileDocument(document: vscode.TextDocument): boolean {
  if (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled' && document.uri.scheme !== 'vscode-remote') return false;
  return document.languageId === 'dockerfile' || isBlueprintDockerfile(document.uri);
}

/** Under a `build/` folder of the workspace (a workspace that itself lives under some /build/ does not count). */
export function isBlueprintDockerfile(uri: vscode.Uri): boolean {
  return isBlueprintDockerfilePath(vscode.workspace.asRelativePath(uri, false));
}

/** The link shown next to a rule id in the Problems panel: the rule's page shipped with the extension. */
export function ruleDocUri(extensionUri: vscode.Uri, rule: string): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${rule}.md`);
}

/**
 * Diagnostics for Dockerfiles: the workspace's build/** Dockerfiles at start (read without opening them),
 * any open Dockerfile as the user types (debounced), and again whenever a compose file, a setting or a
 * Dockerfile on disk changes (expose-missing and healthcheck-tool-missing read the compose side).
 */
export class DockerfileDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('compose-blueprint-dockerfile');
  private readonly pending = new Map<string, NodeJS.Timeout>();
  /** Dockerfiles known from disk (not open): uri -> text. */
  private readonly onDisk = new Map<string, { uri: vscode.Uri; text: string }>();
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(
    private readonly ctx: BlueprintContext,
    private readonly workspace: ComposeWorkspace,
    private readonly debounceMs = 250,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher(BLUEPRINT_DOCKERFILE_GLOB);
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => ctx.background('reading Dockerfile', this.readFromDisk(uri))),
      watcher.onDidChange((uri) => {
        if (!this.openDocument(uri)) ctx.background('reading Dockerfile', this.readFromDisk(uri));
      }),
      watcher.onDidDelete((uri) => {
        this.onDisk.delete(uri.toString());
        if (!this.openDocument(uri)) this.collection.delete(uri);
      }),
      vscode.workspace.onDidOpenTextDocument((document) => {
        if (isDockerfileDocument(document)) this.checkDocument(document);
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (isDockerfileDocument(event.document)) this.schedule(event.document.uri.toString(), () => this.checkDocument(event.document));
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (!isDockerfileDocument(document)) return;
        // A Dockerfile outside build/ is only checked while open; one inside keeps its disk diagnostics.
        if (isBlueprintDockerfile(document.uri)) ctx.background('reading Dockerfile', this.readFromDisk(document.uri));
        else this.collection.delete(document.uri);
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('composeBlueprint.rules') || event.affectsConfiguration('composeBlueprint.dockerfile')) this.refresh();
      }),
      workspace.onDidChange(() => this.schedule('compose', () => this.refresh())),
    );
  }

  /** Reads every build/** Dockerfile of the workspace and checks it, then the open Dockerfiles. */
  async scan(): Promise<void> {
    const uris = await vscode.workspace.findFiles(BLUEPRINT_DOCKERFILE_GLOB, EXCLUDE_GLOB, 2000);
    await Promise.all(uris.filter((uri) => isBlueprintDockerfile(uri)).map((uri) => this.readFromDisk(uri, false)));
    this.refresh();
  }

  /** Rechecks every known Dockerfile (open ones with their unsaved text). */
  refresh(): void {
    for (const { uri, text } of this.onDisk.values()) {
      if (!this.openDocument(uri)) this.publish(uri, text);
    }
    for (const document of vscode.workspace.textDocuments) {
      if (isDockerfileDocument(document)) this.checkDocument(document);
    }
  }

  /** The check of one Dockerfile's text with the current settings and compose files (quick fixes use it too). */
  check(uri: vscode.Uri, text: string): DockerfileCheck {
    const config = vscode.workspace.getConfiguration('composeBlueprint', uri);
    const composeFiles = this.workspace.all().map((file) => ({ path: file.uri.fsPath, parsed: file.parsed }));
    return checkDockerfileText(text, {
      levels: normalizeRuleLevels(config.get('rules')),
      requiredLabels: normalizeRequiredLabels(config.get('dockerfile.requiredLabels')),
      composeUses: uri.scheme === 'file' ? findComposeBuildUses(uri.fsPath, composeFiles) : [],
    });
  }

  private checkDocument(document: vscode.TextDocument): void {
    if (document.isClosed) return;
    this.publish(document.uri, document.getText());
  }

  private publish(uri: vscode.Uri, text: string): void {
    try {
      const { findings } = this.check(uri, text);
      const diagnostics = toDiagnostics(text, findings);
      for (const diagnostic of diagnostics) {
        if (typeof diagnostic.code === 'string') diagnostic.code = { value: diagnostic.code, target: ruleDocUri(this.ctx.extension.extensionUri, diagnostic.code) };
      }
      this.collection.set(uri, diagnostics);
    } catch (error) {
      this.ctx.log.error(`checking ${uri.toString(true)} failed`, error instanceof Error ? (error.stack ?? error.message) : errorText(error));
    }
  }

  private openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
    const key = uri.toString();
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key && !d.isClosed);
  }

  private async readFromDisk(uri: vscode.Uri, publish = true): Promise<void> {
    if (!isBlueprintDockerfile(uri)) return;
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (bytes.byteLength > 1024 * 1024) return; // not a Dockerfile anyone writes by hand
      const text = new TextDecoder('utf-8').decode(bytes);
      this.onDisk.set(uri.toString(), { uri, text });
      if (publish && !this.openDocument(uri)) this.publish(uri, text);
    } catch (error) {
      this.ctx.log.warn(`cannot read ${uri.toString(true)}: ${errorText(error)}`);
    }
  }

  private schedule(key: string, work: () => void): void {
    const existing = this.pending.get(key);
    if (existing) clearTimeout(existing);
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        work();
      }, this.debounceMs),
    );
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
