import * as vscode from 'vscode';
import { declaredServices } from '../../core/compose/declared';
import { composeProjectName } from '../../core/compose/files';
import type { SourceFile } from '../../core/compose/model';
import { type FamilySources } from '../../core/compose/project';
import { healthText, serviceSpeech, stateText, type ProjectNode } from '../../core/docker/servicesModel';
import type { Severity } from '../../core/findings';
import { groupByService, serviceBlocks } from '../../core/map/findings';
import { buildArchitecture, type Architecture, type MapService, type MapView } from '../../core/map/graph';
import type { MapStrings, ServiceStatus } from '../../core/map/svg';
import { LineIndex } from '../../core/text/lineIndex';
import type { ComposeFileState, ComposeWorkspace, WorkspaceFamily } from '../composeWorkspace';
import { localize } from '../context';

/**
 * Editor-side inputs of the map: a family's files as the core wants them, the diagnostics of those files
 * grouped by service, and the live state per service worded for the box and for screen readers.
 */

export const DIAGNOSTIC_SOURCE = 'compose-blueprint';

export interface MapFiles {
  readonly family: WorkspaceFamily;
  readonly project: string;
  /** Base, then override and prod when they exist: `Origin.file` / `definition.file` index this list. */
  readonly files: readonly ComposeFileState[];
  readonly sources: FamilySources;
}

/** The family's files from the workspace model (open editors' unsaved text included). */
export function mapFiles(workspace: ComposeWorkspace, family: WorkspaceFamily): MapFiles | undefined {
  const files: ComposeFileState[] = [];
  const index: { override?: number; prod?: number } = {};
  const add = (uri: vscode.Uri | undefined, role?: 'override' | 'prod') => {
    const state = uri ? workspace.get(uri) : undefined;
    if (!state) return;
    if (role) index[role] = files.length;
    files.push(state);
  };
  add(family.uris.base);
  if (files.length === 0) return undefined;
  add(family.uris.override, 'override');
  add(family.uris.prod, 'prod');
  const sourceFiles: SourceFile[] = files.map((f) => ({ path: f.uri.toString(), text: f.text, parsed: f.parsed }));
  const folderName = decodeURIComponent(family.family.folder.slice(family.family.folder.lastIndexOf('/') + 1));
  const dev = [files[0]!, ...(index.override !== undefined ? [files[index.override]!] : [])];
  const project = composeProjectName(folderName, declaredServices(dev.map((f) => f.parsed)).name);
  return { family, project, files, sources: { files: sourceFiles, ...index } };
}

export function architectureOf(files: MapFiles): Architecture {
  return buildArchitecture({ project: files.project, family: files.sources });
}

/** A diagnostic of ours, with where it is. */
export interface MapFinding {
  readonly uri: vscode.Uri;
  readonly diagnostic: vscode.Diagnostic;
}

/** Indices of the files of a view: base + override (dev) or base + prod (prod). */
function viewFiles(files: MapFiles, view: MapView): ComposeFileState[] {
  const extra = view === 'dev' ? files.sources.override : files.sources.prod;
  return [files.files[0]!, ...(extra !== undefined ? [files.files[extra]!] : [])];
}

/** Our diagnostics in the view's files, grouped by the service whose block holds them. */
export function findingsByService(files: MapFiles, view: MapView): Map<string, MapFinding[]> {
  const states = viewFiles(files, view);
  const blocks = serviceBlocks(states.map((s) => ({ file: s.uri.toString(), parsed: s.parsed })));
  const items = states.flatMap((state) => {
    const index = new LineIndex(state.text);
    return vscode.languages
      .getDiagnostics(state.uri)
      .filter((d) => d.source === DIAGNOSTIC_SOURCE)
      .map((diagnostic) => ({
        file: state.uri.toString(),
        span: { start: index.offsetAt(diagnostic.range.start), end: index.offsetAt(diagnostic.range.end) },
        item: { uri: state.uri, diagnostic },
      }));
  });
  return groupByService(blocks, items);
}

const SEVERITY_ORDER: readonly [vscode.DiagnosticSeverity, Severity][] = [
  [vscode.DiagnosticSeverity.Error, 'error'],
  [vscode.DiagnosticSeverity.Warning, 'warning'],
  [vscode.DiagnosticSeverity.Information, 'info'],
  [vscode.DiagnosticSeverity.Hint, 'hint'],
];

/** The live state of each service of the graph, worded in the editor's language. */
export function statusOf(services: readonly MapService[], project: ProjectNode | undefined, findings: ReadonlyMap<string, readonly MapFinding[]>): Map<string, ServiceStatus> {
  const result = new Map<string, ServiceStatus>();
  for (const service of services) {
    const live = project?.services.find((s) => s.name === service.name);
    const state = live?.state ?? (project?.live ? 'not-created' : 'unknown');
    const health = live?.health ?? 'none';
    const words = live ? serviceSpeech(live).map(localize) : [service.name, localize(stateText(state))];
    const text = [localize(stateText(state, live?.exitCode)), ...(health !== 'none' ? [localize(healthText(health))] : [])].join(' · ');
    const list = findings.get(service.name) ?? [];
    if (list.length > 0) words.push(list.length === 1 ? vscode.l10n.t('1 finding') : vscode.l10n.t('{0} findings', list.length));
    if (service.presence === 'dev-only') words.push(vscode.l10n.t('dev only'));
    if (service.presence === 'prod-only') words.push(vscode.l10n.t('prod only'));
    const severity = SEVERITY_ORDER.find(([level]) => list.some((f) => f.diagnostic.severity === level))?.[1];
    result.set(service.name, { state, health, text, label: words.join(', '), findings: list.length, ...(severity ? { severity } : {}) });
  }
  return result;
}

/** The words drawn in the picture. `{0}` placeholders survive translation because they are passed as arguments. */
export function mapStrings(): MapStrings {
  return {
    title: vscode.l10n.t('Architecture map'),
    devOnly: vscode.l10n.t('dev only'),
    prodOnly: vscode.l10n.t('prod only'),
    network: vscode.l10n.t('network {0}', '{0}'),
    replicas: '×{0}',
    dependsOn: vscode.l10n.t('{0} depends on {1} ({2})', '{0}', '{1}', '{2}'),
    findings: vscode.l10n.t('{0} findings: open', '{0}'),
  };
}
