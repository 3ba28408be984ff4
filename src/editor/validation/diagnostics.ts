import * as vscode from 'vscode';
import { readOptional } from '../readText';
import type { Finding, Severity } from '../../core/findings';
import { normalizeRuleLevels } from '../../core/rules/ruleConfig';
import { normalizeSwarmChecks } from '../../core/rules/swarm/intent';
import { LineIndex } from '../../core/text/lineIndex';
import { checkPrepared, ENV_RESULT_KEY, prepareProject, probePaths, type ProjectFileInput } from '../../core/validation/checkProject';
import { decideSchemaValidation, normalizeSchemaMode, type SchemaDecision } from '../../core/validation/schemaMode';
import type { ComposeWorkspace } from '../composeWorkspace';
import { errorText, localize, type BlueprintContext } from '../context';
import { ruleDocTarget } from './ruleDocs';

export const DIAGNOSTIC_SOURCE = 'compose-blueprint';

const severities: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/**
 * Converts findings (offsets) to diagnostics (ranges), once, at the edge: source `compose-blueprint`, code
 * `{ value: ruleId, target: <the rule's page> }` once the rule-doc command is registered (a plain rule id before).
 * The Dockerfile diagnostics use this too.
 */
export function toDiagnostics(text: string, findings: readonly Finding[]): vscode.Diagnostic[] {
  const index = new LineIndex(text);
  return findings.map((finding) => {
    const start = index.positionAt(finding.span.start);
    const end = index.positionAt(finding.span.end);
    const diagnostic = new vscode.Diagnostic(new vscode.Range(start.line, start.character, end.line, end.character), localize(finding.message), severities[finding.severity]);
    diagnostic.source = DIAGNOSTIC_SOURCE;
    const target = ruleDocTarget(finding.rule);
    diagnostic.code = target ? { value: finding.rule, target } : finding.rule;
    return diagnostic;
  });
}

/** The rule id of one of our diagnostics (its code is a string or `{ value, target }`). */
export function diagnosticRule(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (typeof code === 'string') return code;
  if (code && typeof code === 'object') return String(code.value);
  return undefined;
}

/** The key that links a diagnostic to the finding it came from (range, rule and message, as vscode-eslint does). */
export function diagnosticKey(diagnostic: vscode.Diagnostic): string {
  const r = diagnostic.range;
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}|${diagnosticRule(diagnostic) ?? ''}|${diagnostic.message}`;
}

/** What was checked for one file: the text the offsets refer to, its findings, and the texts of other files its fixes edit. */
export interface CheckedFile {
  readonly uri: vscode.Uri;
  readonly text: string;
  readonly findings: readonly Finding[];
  /** Finding by diagnostic key, for code actions. */
  readonly byKey: ReadonlyMap<string, Finding>;
  /** Texts of sibling files (`.env`, `.env.example`, other compose files) as they were when checked; undefined = missing. */
  readonly siblings: ReadonlyMap<string, string | undefined>;
}

/** Remembers the findings behind each published diagnostic so code actions can look their fixes up. */
export class FindingStore {
  private readonly files = new Map<string, CheckedFile>();

  set(uri: vscode.Uri, text: string, findings: readonly Finding[], siblings: ReadonlyMap<string, string | undefined>): vscode.Diagnostic[] {
    const diagnostics = toDiagnostics(text, findings);
    const byKey = new Map<string, Finding>();
    diagnostics.forEach((diagnostic, i) => byKey.set(diagnosticKey(diagnostic), findings[i]!));
    this.files.set(uri.toString(), { uri, text, findings, byKey, siblings });
    return diagnostics;
  }

  get(uri: vscode.Uri): CheckedFile | undefined {
    return this.files.get(uri.toString());
  }

  delete(uri: vscode.Uri): void {
    this.files.delete(uri.toString());
  }
}

function folderOf(uri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(uri, '..');
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

function versionOf(packageJson: unknown): string {
  const version = (packageJson as { version?: unknown } | undefined)?.version;
  return typeof version === 'string' ? version : '0';
}

/** Reads the facts `composeBlueprint.validation.schema: auto` decides on (see core/validation/schemaMode.ts). */
export function schemaDecision(scope?: vscode.Uri): SchemaDecision {
  const mode = normalizeSchemaMode(vscode.workspace.getConfiguration('composeBlueprint', scope).get('validation.schema'));
  const redHat = vscode.extensions.getExtension('redhat.vscode-yaml');
  const yaml = vscode.workspace.getConfiguration('yaml', scope);
  const disable = yaml.get<unknown>('disableSchemaDetection');
  return decideSchemaValidation(mode, {
    ...(redHat ? { redHatYaml: { version: versionOf(redHat.packageJSON) } } : {}),
    yamlValidate: yaml.get<boolean>('validate', true) !== false,
    yamlSchemaStore: yaml.get<boolean>('schemaStore.enable', true) !== false,
    yamlDisableSchemaDetection: Array.isArray(disable) ? disable.filter((d): d is string => typeof d === 'string') : typeof disable === 'string' ? [disable] : [],
    dockerDxInstalled: vscode.extensions.getExtension('docker.docker') !== undefined,
    dockerDxComposeLanguageServer: vscode.workspace.getConfiguration('docker', scope).get<boolean>('extension.enableComposeLanguageServer', true) !== false,
  });
}

/**
 * Keeps the Problems panel in step with the compose files: every compose file of the workspace at start
 * (without opening it), open files as the user types (debounced), again on save and when `.env`, settings or
 * other extensions change; nothing for deleted files, nor for files outside the workspace once closed.
 * Files are checked by folder, so the override and prod files are merged with their base file.
 */
export class ComposeDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  readonly store = new FindingStore();
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private timer: NodeJS.Timeout | undefined;
  private readonly dirtyFolders = new Set<string>();
  private everything = true;
  /** Check every folder even when its compose texts did not change (settings, extensions, start-up). */
  private force = true;
  /** Folder -> the compose texts it was last checked with. */
  private readonly lastTexts = new Map<string, string>();
  /** Folder -> generation of its latest check; a slower, older check does not publish over a newer one. */
  private readonly generations = new Map<string, number>();
  /** Folder -> the `.env` uri we published diagnostics for. */
  private readonly envUris = new Map<string, vscode.Uri>();
  private readonly checked = new vscode.EventEmitter<{ readonly uris: readonly vscode.Uri[]; readonly ms: number }>();
  /** Fires after each folder's diagnostics are published (tests measure edit-to-diagnostics time with it). */
  readonly onDidCheck = this.checked.event;

  constructor(
    private readonly ctx: BlueprintContext,
    private readonly workspace: ComposeWorkspace,
    private readonly debounceMs = 200,
  ) {
    const envWatcher = vscode.workspace.createFileSystemWatcher('**/.env{,.example}');
    const onEnv = (uri: vscode.Uri) => this.schedule(folderOf(uri));
    this.disposables.push(
      this.checked,
      envWatcher,
      envWatcher.onDidCreate(onEnv),
      envWatcher.onDidChange(onEnv),
      envWatcher.onDidDelete(onEnv),
      workspace.onDidChange(() => this.schedule(undefined, false)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        const name = event.document.uri.path.slice(event.document.uri.path.lastIndexOf('/') + 1);
        if (name === '.env' || name === '.env.example') this.schedule(folderOf(event.document.uri));
      }),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (this.workspace.get(document.uri)) this.schedule(folderOf(document.uri));
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        // Outside the workspace a file is only ours while it is open.
        if (this.workspace.get(document.uri) && !vscode.workspace.getWorkspaceFolder(document.uri)) this.schedule(undefined, false);
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (['composeBlueprint.rules', 'composeBlueprint.validation', 'composeBlueprint.swarm.checks', 'yaml', 'docker.extension'].some((s) => event.affectsConfiguration(s))) this.schedule();
      }),
      vscode.extensions.onDidChange(() => this.schedule()),
    );
  }

  /**
   * Schedules a check of one folder, or of every folder (`force` false: only those whose compose texts changed);
   * changes within the debounce time are checked once.
   */
  schedule(folder?: vscode.Uri, force = true): void {
    if (folder) this.dirtyFolders.add(folder.toString());
    else {
      this.everything = true;
      this.force ||= force;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.ctx.background('checking compose files', this.run());
    }, this.debounceMs);
  }

  /** Rechecks every compose file now (start-up). */
  refresh(): Promise<void> {
    this.everything = true;
    this.force = true;
    return this.run();
  }

  private isLive(uri: vscode.Uri): boolean {
    if (vscode.workspace.getWorkspaceFolder(uri)) return true;
    return vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString() && !d.isClosed);
  }

  private async run(): Promise<void> {
    const byFolder = new Map<string, { folder: vscode.Uri; files: { uri: vscode.Uri; text: string }[] }>();
    for (const file of this.workspace.all()) {
      if (!this.isLive(file.uri)) continue;
      const folder = folderOf(file.uri);
      const entry = byFolder.get(folder.toString()) ?? { folder, files: [] };
      entry.files.push({ uri: file.uri, text: file.text });
      byFolder.set(folder.toString(), entry);
    }
    const live = new Set([...byFolder.values()].flatMap((f) => f.files.map((file) => file.uri.toString())));
    this.collection.forEach((uri) => {
      const isEnv = [...this.envUris.values()].some((env) => env.toString() === uri.toString());
      if (!live.has(uri.toString()) && !isEnv) {
        this.collection.delete(uri);
        this.store.delete(uri);
      }
    });
    for (const [key, env] of [...this.envUris]) {
      if (!byFolder.has(key)) {
        this.collection.delete(env);
        this.envUris.delete(key);
      }
    }
    const textsOf = (key: string) => byFolder.get(key)!.files.map((f) => `${f.uri.toString()}\u0000${f.text}`).join('\u0001');
    const changed = (key: string) => this.force || this.lastTexts.get(key) !== textsOf(key);
    const targets = [...byFolder.keys()].filter((key) => this.dirtyFolders.has(key) || (this.everything && changed(key)));
    for (const key of targets) this.lastTexts.set(key, textsOf(key));
    for (const key of [...this.lastTexts.keys()]) if (!byFolder.has(key)) this.lastTexts.delete(key);
    this.everything = false;
    this.force = false;
    this.dirtyFolders.clear();
    await Promise.all(
      targets.map((key) => {
        const entry = byFolder.get(key)!;
        return this.checkFolder(entry.folder, entry.files).catch((error: unknown) => this.ctx.log.error(`checking ${entry.folder.toString(true)} failed: ${errorText(error)}`));
      }),
    );
  }

  /** Checks the compose files of one folder together (base + override + prod + envs) and publishes every file's diagnostics. */
  async checkFolder(folder: vscode.Uri, files: readonly { uri: vscode.Uri; text: string }[]): Promise<void> {
    const started = performance.now();
    const key = folder.toString();
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    const envUri = vscode.Uri.joinPath(folder, '.env');
    const [envText, envExampleText] = await Promise.all([readOptional(envUri), readOptional(vscode.Uri.joinPath(folder, '.env.example'))]);
    const inputs: ProjectFileInput[] = files.map((file) => ({ path: file.uri.toString(), text: file.text }));
    const prepared = prepareProject({ files: inputs, ...(envText !== undefined ? { envText } : {}), ...(envExampleText !== undefined ? { envExampleText } : {}) });
    const probes = probePaths(prepared);
    const found = await Promise.all(probes.map(async (relative) => ((await exists(vscode.Uri.joinPath(folder, ...relative.split('/')))) ? relative : undefined)));
    if (this.generations.get(key) !== generation) return;
    const config = vscode.workspace.getConfiguration('composeBlueprint', folder);
    const result = checkPrepared(prepared, {
      rules: normalizeRuleLevels(config.get('rules')),
      swarm: normalizeSwarmChecks(config.get('swarm.checks')),
      schema: schemaDecision(folder).enabled,
      existingPaths: new Set(found.filter((p): p is string => p !== undefined)),
    });
    const siblings = new Map<string, string | undefined>([
      ['.env', envText],
      ['.env.example', envExampleText],
      ...files.map((file): [string, string] => [file.uri.path.slice(file.uri.path.lastIndexOf('/') + 1), file.text]),
    ]);
    const published: vscode.Uri[] = [];
    for (const file of files) {
      this.collection.set(file.uri, this.store.set(file.uri, file.text, result.files.get(file.uri.toString()) ?? [], siblings));
      published.push(file.uri);
    }
    const envFindings = result.files.get(ENV_RESULT_KEY);
    if (envText !== undefined && envFindings) {
      this.collection.set(envUri, this.store.set(envUri, envText, envFindings, siblings));
      this.envUris.set(key, envUri);
      published.push(envUri);
    } else if (this.envUris.has(key)) {
      this.collection.delete(envUri);
      this.envUris.delete(key);
    }
    this.checked.fire({ uris: published, ms: performance.now() - started });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
