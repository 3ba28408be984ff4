import * as vscode from 'vscode';

/** One choice of a quick pick, carrying the value the flow wants back. */
export interface PickItem<T> {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  readonly value: T;
  readonly picked?: boolean;
}

export interface InputOptions {
  readonly title: string;
  readonly prompt: string;
  readonly value?: string;
  /** Returns the problem with a value (shown inline in the input box), or undefined when it is good. */
  validate(value: string): string | undefined;
}

export interface PickOptions {
  readonly title: string;
  readonly placeholder: string;
}

export interface ConflictQuestion {
  readonly path: string;
  /** Opens the difference between the current file and what would be written. */
  showDiff(): Promise<void>;
}

/**
 * Every question the scaffolding commands ask. The editor answers through quick picks, input boxes and
 * dialogs; integration tests pass a scripted prompter to drive the real commands.
 */
export interface Prompter {
  pickFolder(title: string): Promise<vscode.Uri | undefined>;
  input(options: InputOptions): Promise<string | undefined>;
  pick<T>(items: readonly PickItem<T>[], options: PickOptions): Promise<T | undefined>;
  pickMany<T>(items: readonly PickItem<T>[], options: PickOptions): Promise<T[] | undefined>;
  /** After the difference was shown: overwrite the file, keep it, or undefined to cancel everything. */
  resolveConflict(question: ConflictQuestion): Promise<'overwrite' | 'keep' | undefined>;
  /** Shows the plan; true to apply it. */
  confirmPlan(title: string, detail: string): Promise<boolean>;
}

/** The prompter of the real editor. */
export class VsCodePrompter implements Prompter {
  async pickFolder(title: string): Promise<vscode.Uri | undefined> {
    const browse = { label: `$(folder-opened) ${vscode.l10n.t('Choose a folder...')}`, uri: undefined as vscode.Uri | undefined };
    const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => ({ label: `$(root-folder) ${folder.name}`, description: folder.uri.fsPath, uri: folder.uri }));
    const picked = folders.length === 0 ? browse : await vscode.window.showQuickPick([...folders, browse], { title, placeHolder: vscode.l10n.t('Folder where the project is written'), ignoreFocusOut: true });
    if (!picked) return undefined;
    if (picked.uri) return picked.uri;
    const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, title, openLabel: vscode.l10n.t('Use this folder') });
    return chosen?.[0];
  }

  input(options: InputOptions): Promise<string | undefined> {
    return Promise.resolve(
      vscode.window.showInputBox({
        title: options.title,
        prompt: options.prompt,
        value: options.value ?? '',
        ignoreFocusOut: true,
        validateInput: (value) => options.validate(value),
      }),
    );
  }

  async pick<T>(items: readonly PickItem<T>[], options: PickOptions): Promise<T | undefined> {
    const picked = await vscode.window.showQuickPick(
      items.map((item) => ({ ...item })),
      { title: options.title, placeHolder: options.placeholder, ignoreFocusOut: true, matchOnDescription: true, matchOnDetail: true },
    );
    return picked?.value;
  }

  async pickMany<T>(items: readonly PickItem<T>[], options: PickOptions): Promise<T[] | undefined> {
    const picked = await vscode.window.showQuickPick(
      items.map((item) => ({ ...item })),
      { title: options.title, placeHolder: options.placeholder, ignoreFocusOut: true, canPickMany: true, matchOnDescription: true },
    );
    return picked?.map((item) => item.value);
  }

  async resolveConflict(question: ConflictQuestion): Promise<'overwrite' | 'keep' | undefined> {
    await question.showDiff();
    const overwrite = vscode.l10n.t('Overwrite');
    const keep = vscode.l10n.t('Keep Mine');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} already exists with other content.', question.path),
      { modal: true, detail: vscode.l10n.t('The difference is open in the editor. Overwrite the file with the generated one, or keep yours?') },
      overwrite,
      keep,
    );
    return choice === overwrite ? 'overwrite' : choice === keep ? 'keep' : undefined;
  }

  async confirmPlan(title: string, detail: string): Promise<boolean> {
    const apply = vscode.l10n.t('Apply');
    return (await vscode.window.showInformationMessage(title, { modal: true, detail }, apply)) === apply;
  }
}

/**
 * Answers from a script, for the integration tests: each call takes the next answer. Inputs are checked
 * with the real validator, and every message it gave is recorded, so a test sees the inline validation.
 */
export class ScriptedPrompter implements Prompter {
  readonly asked: string[] = [];
  readonly validationMessages: string[] = [];

  constructor(private readonly answers: unknown[]) {}

  private next(what: string): unknown {
    this.asked.push(what);
    if (this.answers.length === 0) throw new Error(`no scripted answer for: ${what}`);
    return this.answers.shift();
  }

  pickFolder(title: string): Promise<vscode.Uri | undefined> {
    return Promise.resolve(this.next(title) as vscode.Uri | undefined);
  }

  input(options: InputOptions): Promise<string | undefined> {
    const answer = this.next(options.title);
    // An array answers with several tries: each invalid one records its message, the first valid one wins.
    for (const value of Array.isArray(answer) ? (answer as string[]) : [answer as string | undefined]) {
      if (value === undefined) return Promise.resolve(undefined);
      const problem = options.validate(value);
      if (problem === undefined) return Promise.resolve(value);
      this.validationMessages.push(problem);
    }
    return Promise.resolve(undefined);
  }

  pick<T>(items: readonly PickItem<T>[], options: PickOptions): Promise<T | undefined> {
    const answer = this.next(options.title);
    return Promise.resolve(items.find((item) => item.value === answer || item.label === answer)?.value);
  }

  pickMany<T>(items: readonly PickItem<T>[], options: PickOptions): Promise<T[] | undefined> {
    const answer = this.next(options.title);
    if (answer === undefined) return Promise.resolve(undefined);
    // 'suggested' takes what the flow preselected.
    if (answer === 'suggested') return Promise.resolve(items.filter((item) => item.picked).map((item) => item.value));
    return Promise.resolve(items.filter((item) => (answer as unknown[]).includes(item.value)).map((item) => item.value));
  }

  async resolveConflict(question: ConflictQuestion): Promise<'overwrite' | 'keep' | undefined> {
    await question.showDiff();
    return this.next(`conflict ${question.path}`) as 'overwrite' | 'keep' | undefined;
  }

  confirmPlan(title: string): Promise<boolean> {
    return Promise.resolve(this.next(title) === true);
  }
}
