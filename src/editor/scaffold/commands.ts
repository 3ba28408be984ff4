import * as vscode from 'vscode';
import { BASE_FILE_NAMES } from '../../core/compose/files';
import { catalogueEntry, visibleCatalogue } from '../../core/scaffold/catalogue';
import { suggestName, validateProjectName, validateServiceName } from '../../core/scaffold/names';
import {
  isEmptyPlan,
  pathsToInspect,
  pathsToInspectForAdd,
  planAddService,
  planNewProject,
  projectFacts,
  projectLang,
  resolvePlan,
  type ConflictChoice,
} from '../../core/scaffold/plan';
import { visiblePresets } from '../../core/scaffold/presets';
import type { AddServiceInput, ExistingFiles, Lang, NewProjectInput, ScaffoldPlan } from '../../core/scaffold/types';
import { localize, type BlueprintContext } from '../context';
import { applyResolvedPlan, describePlan, ProposedContents, readExistingFromWorkspace } from './apply';
import { VsCodePrompter, type Prompter } from './prompter';

export const NEW_PROJECT_COMMAND = 'composeBlueprint.newProject';
export const ADD_SERVICE_COMMAND = 'composeBlueprint.addService';

/** Optional arguments: a folder (from the explorer's context menu or a caller) and a prompter (tests). */
export interface ScaffoldCommandArgs {
  readonly folder?: vscode.Uri;
  readonly prompter?: Prompter;
}

/** What a command did, returned to callers (the integration tests read it). */
export interface ScaffoldOutcome {
  readonly status: 'applied' | 'cancelled' | 'nothing-to-do' | 'refused';
  readonly written: readonly string[];
  readonly kept: readonly string[];
}

function argsOf(arg: unknown): ScaffoldCommandArgs {
  if (arg instanceof vscode.Uri) return { folder: arg };
  if (arg && typeof arg === 'object') return arg;
  return {};
}

function editorLang(): Lang {
  return vscode.env.language.toLowerCase().startsWith('es') ? 'es' : 'en';
}

function basename(uri: vscode.Uri): string {
  const parts = uri.path.split('/').filter((part) => part !== '');
  return parts[parts.length - 1] ?? '';
}

const CUSTOM = '\u0000custom';
const CHOOSE = '\u0000choose';

/** Registers New Project and Add Service. Both write files only; nothing is run, so Restricted Mode is fine. */
export function registerScaffoldCommands(ctx: BlueprintContext): void {
  const proposed = new ProposedContents();
  ctx.own(vscode.workspace.registerTextDocumentContentProvider(ProposedContents.scheme, proposed));
  const flows = new ScaffoldFlows(ctx, proposed);
  ctx.registerCommand(NEW_PROJECT_COMMAND, (arg?: unknown) => flows.newProject(argsOf(arg)));
  ctx.registerCommand(ADD_SERVICE_COMMAND, (arg?: unknown) => flows.addService(argsOf(arg)));
}

class ScaffoldFlows {
  constructor(
    private readonly ctx: BlueprintContext,
    private readonly proposed: ProposedContents,
  ) {}

  async newProject(args: ScaffoldCommandArgs): Promise<ScaffoldOutcome> {
    const prompter = args.prompter ?? new VsCodePrompter();
    const title = vscode.l10n.t('Compose Blueprint: New Project');
    const folder = args.folder ?? (await prompter.pickFolder(title));
    if (!folder) return cancelled();
    const name = await prompter.input({
      title: vscode.l10n.t('Project name'),
      prompt: vscode.l10n.t('Lowercase words joined by hyphens; used for image names and the Compose project.'),
      value: suggestName(basename(folder)) || 'my-project',
      validate: (value) => {
        const problem = validateProjectName(value);
        return problem ? localize(problem) : undefined;
      },
    });
    if (name === undefined) return cancelled();
    const languages: { label: string; description: string; value: Lang; picked: boolean }[] = [
      { label: 'English', description: vscode.l10n.t('README, comments and scripts in English'), value: 'en', picked: editorLang() === 'en' },
      { label: 'Español', description: vscode.l10n.t('README, comments and scripts in Spanish'), value: 'es', picked: editorLang() === 'es' },
    ];
    const lang = await prompter.pick<Lang>(
      languages.sort((a, b) => Number(b.picked) - Number(a.picked)),
      { title: vscode.l10n.t('Language of the generated files'), placeholder: vscode.l10n.t('Language of the README, comments and scripts') },
    );
    if (!lang) return cancelled();
    const preset = await prompter.pick<string>(
      [
        ...visiblePresets().map((p) => ({ label: p.title[lang], description: p.services.map((s) => s.name).join(', '), detail: p.description[lang], value: p.id })),
        { label: `$(list-selection) ${vscode.l10n.t('Choose services...')}`, detail: vscode.l10n.t('Pick services from the catalogue'), value: CHOOSE },
      ],
      { title: vscode.l10n.t('Preset'), placeholder: vscode.l10n.t('Start from a preset, or choose the services') },
    );
    if (!preset) return cancelled();
    let services: string[] = [];
    if (preset === CHOOSE) {
      const chosen = await prompter.pickMany<string>(
        visibleCatalogue().map((entry) => ({ label: entry.id, description: entry.title[lang], detail: entry.description[lang], value: entry.id })),
        { title: vscode.l10n.t('Services'), placeholder: vscode.l10n.t('Services of the new project (dependencies are wired for you)') },
      );
      if (!chosen) return cancelled();
      services = chosen;
    }
    const input: NewProjectInput = { name, lang, ...(preset !== CHOOSE ? { preset } : {}), services };
    const existing = await readExistingFromWorkspace(folder, pathsToInspect(input));
    const plan = planNewProject(input, existing);
    return this.review(prompter, folder, plan, existing, title);
  }

  async addService(args: ScaffoldCommandArgs): Promise<ScaffoldOutcome> {
    const prompter = args.prompter ?? new VsCodePrompter();
    const title = vscode.l10n.t('Compose Blueprint: Add Service');
    const folder = args.folder ?? (await this.pickProjectFolder(prompter, title));
    if (!folder) return cancelled();
    const composeTexts = await readExistingFromWorkspace(folder, [...BASE_FILE_NAMES, 'docker-compose.override.yml', 'docker-compose.prod.yml', 'compose.override.yaml', 'compose.prod.yaml', 'compose.override.yml', 'compose.prod.yml']);
    const facts = projectFacts(composeTexts);
    if (!facts.baseFile) {
      const create = vscode.l10n.t('New Project...');
      const choice = await vscode.window.showWarningMessage(vscode.l10n.t('There is no compose file in {0}. Create a project first.', folder.fsPath || folder.toString()), create);
      if (choice === create) await vscode.commands.executeCommand(NEW_PROJECT_COMMAND, { folder });
      return { status: 'refused', written: [], kept: [] };
    }
    const lang: Lang = projectLang(composeTexts, facts);
    const entryId = await prompter.pick<string>(
      [
        ...visibleCatalogue().map((entry) => ({
          label: entry.id,
          description: entry.title[lang] + (facts.services.includes(entry.id) ? ` (${vscode.l10n.t('already in the project')})` : ''),
          detail: entry.description[lang],
          value: entry.id,
        })),
        { label: `$(edit) ${vscode.l10n.t('Custom service...')}`, detail: vscode.l10n.t('Your own image: a Dockerfile and a minimal HTTP service to replace'), value: CUSTOM },
      ],
      { title: vscode.l10n.t('Service to add'), placeholder: vscode.l10n.t('A catalogue service, or your own') },
    );
    if (!entryId) return cancelled();
    const entry = entryId === CUSTOM ? undefined : catalogueEntry(entryId);
    const name = await prompter.input({
      title: vscode.l10n.t('Service name'),
      prompt: vscode.l10n.t('Lowercase words joined by hyphens, unique in the project.'),
      value: entry && !facts.services.includes(entry.id) ? entry.id : '',
      validate: (value) => {
        const problem = validateServiceName(value, facts.services);
        return problem ? localize(problem) : undefined;
      },
    });
    if (name === undefined) return cancelled();
    let dependsOn: string[] = [];
    const candidates = facts.dependencies.filter((dep) => !dep.name.endsWith('-monitor'));
    if (candidates.length > 0) {
      const suggested = new Set(entry?.suggestedDependsOn ?? []);
      const chosen = await prompter.pickMany<string>(
        candidates.map((dep) => ({
          label: dep.name,
          description: dep.healthy ? vscode.l10n.t('waits until healthy') : vscode.l10n.t('no healthcheck: waits until started'),
          value: dep.name,
          picked: dep.entryId !== undefined && suggested.has(dep.entryId),
        })),
        { title: vscode.l10n.t('Depends on'), placeholder: vscode.l10n.t('Services "{0}" needs before it starts (none is fine)', name) },
      );
      if (!chosen) return cancelled();
      dependsOn = chosen;
    }
    const input: AddServiceInput & { project: string } = { entryId: entry?.id ?? 'generic', name, dependsOn, lang, project: suggestName(basename(folder)) || 'project' };
    const existing = await readExistingFromWorkspace(folder, pathsToInspectForAdd(input));
    const plan = planAddService(input, existing);
    return this.review(prompter, folder, plan, existing, title);
  }

  /** Folders of the workspace with a base compose file; asks when there are several. */
  private async pickProjectFolder(prompter: Prompter, title: string): Promise<vscode.Uri | undefined> {
    const files = await vscode.workspace.findFiles('**/{docker-compose.yml,docker-compose.yaml,compose.yaml,compose.yml}', '**/node_modules/**', 200);
    const folders = [...new Map(files.map((file) => [vscode.Uri.joinPath(file, '..').toString(), vscode.Uri.joinPath(file, '..')])).values()];
    if (folders.length === 1) return folders[0];
    if (folders.length === 0) return prompter.pickFolder(title);
    return prompter.pick(
      folders.map((folder) => ({ label: vscode.workspace.asRelativePath(folder) || basename(folder), value: folder })),
      { title, placeholder: vscode.l10n.t('Project to add the service to') },
    );
  }

  /** Shows errors, asks about each conflict (after its difference), shows the plan, then applies it. */
  private async review(prompter: Prompter, folder: vscode.Uri, plan: ScaffoldPlan, existing: ExistingFiles, title: string): Promise<ScaffoldOutcome> {
    if (plan.errors.length > 0) {
      void vscode.window.showErrorMessage(`${title}: ${plan.errors.map((error) => localize(error)).join(' ')}`);
      return { status: 'refused', written: [], kept: [] };
    }
    if (isEmptyPlan(plan)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Nothing to do: the project already has everything.'));
      return { status: 'nothing-to-do', written: [], kept: [] };
    }
    const choices = new Map<string, ConflictChoice>();
    for (const conflict of plan.conflicts) {
      const current = vscode.Uri.joinPath(folder, ...conflict.path.split('/'));
      const proposed = this.proposed.uriFor(conflict.path, conflict.proposed);
      let choice: ConflictChoice | undefined;
      try {
        choice = await prompter.resolveConflict({
          path: conflict.path,
          showDiff: async () => {
            await vscode.commands.executeCommand('vscode.diff', current, proposed, vscode.l10n.t('{0}: yours ↔ generated', conflict.path), { preview: true });
          },
        });
      } finally {
        // Once answered, the difference is stale: the user's file is either kept or about to be replaced.
        await closeDifference(proposed);
        this.proposed.forget(proposed);
      }
      if (!choice) return cancelled();
      choices.set(conflict.path, choice);
    }
    const resolved = resolvePlan(plan, choices);
    const notes = plan.notes.map((note) => localize(note));
    if (resolved.creates.length + resolved.edits.length + resolved.overwrites.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Nothing written: every differing file was kept.'));
      return { status: 'nothing-to-do', written: [], kept: resolved.kept };
    }
    if (!(await prompter.confirmPlan(title, describePlan(plan, resolved, notes)))) return cancelled();
    const outcome = await applyResolvedPlan(this.ctx, folder, resolved, existing, title);
    if (!outcome.applied) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The files could not be written; nothing was changed.'));
      return { status: 'refused', written: [], kept: resolved.kept };
    }
    this.ctx.log.info(`${title}: wrote ${outcome.written.length} files in ${folder.toString()}`);
    const readme = resolved.creates.find((file) => file.path === 'README.md') ? vscode.Uri.joinPath(folder, 'README.md') : undefined;
    const open = vscode.l10n.t('Open README');
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} files written. Undo (Ctrl+Z in one of the new files) reverts them all.', outcome.written.length), ...(readme ? [open] : [])).then((choice) => {
      if (choice === open && readme) void vscode.window.showTextDocument(readme);
    });
    return { status: 'applied', written: outcome.written, kept: resolved.kept };
  }
}

/** Closes the difference tabs showing `proposed`, in every group; a tab the user already closed is no matter. */
async function closeDifference(proposed: vscode.Uri): Promise<void> {
  const target = proposed.toString();
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === target);
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true).then(undefined, () => false);
}

function cancelled(): ScaffoldOutcome {
  return { status: 'cancelled', written: [], kept: [] };
}
