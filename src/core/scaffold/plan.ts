import { BASE_FILE_NAMES } from '../compose/files';
import type { TextEdit } from '../findings';
import { msg, type Message } from '../message';
import { getValue, keyText, type YamlNode } from '../yaml/ast';
import { parseYaml } from '../yaml/parse';
import { CATALOGUE, catalogueEntry } from './catalogue';
import { generic } from './catalogue/generic';
import { insertServices, type ServiceInsertion } from './composeEdit';
import { envPrefix, validateProjectName, validateServiceName } from './names';
import { presetById } from './presets';
import {
  baseServiceValue,
  composeComments,
  hasMonitorService,
  header,
  monitorName,
  monitorServiceValue,
  overrideServiceValue,
  prodServiceValue,
  serviceBlock,
  type RenderedService,
} from './templates/compose';
import { docReadme, projectReadme } from './templates/readme';
import { cleanupScript, devSetupScript, diagnosticScript, monitorScript, prodDeployScript, testScript } from './templates/scripts';
import type {
  AddServiceInput,
  Dependency,
  EnvVariable,
  ExistingFiles,
  GeneratedFile,
  Lang,
  NewProjectInput,
  PlanConflict,
  PlannedEdit,
  ScaffoldPlan,
  ServiceChoice,
} from './types';
import { yamlLines } from './yamlText';

export const BASE_FILE = 'docker-compose.yml';
export const OVERRIDE_FILE = 'docker-compose.override.yml';
export const PROD_FILE = 'docker-compose.prod.yml';
export const DEFAULT_NETWORK = 'app-network';

const GITIGNORE_LINES = ['.env', '/bd/*/*', '!/bd/*/.gitkeep', '/data/logs/*', '!/data/logs/.gitkeep', '*.log'];
/** The ignore lines of a project: secrets, data and logs, plus data folders such as CommentBot's models (kept by .gitkeep). */
function ignoreLines(dataFolders: readonly string[]): string[] {
  const extra = [...new Set(dataFolders)].flatMap((folder) => [`/${folder}/*`, `!/${folder}/.gitkeep`]);
  return [...GITIGNORE_LINES, ...extra];
}

const PROJECT_FOLDERS = ['data/scripts', 'data/monitoring', 'data/doc', 'data/logs', 'data/shared'];

interface RenderInput {
  readonly project: string;
  readonly lang: Lang;
  readonly choices: readonly ServiceChoice[];
  /** Services already in the project (Add Service), as dependencies and peers. */
  readonly existing: readonly Dependency[];
  readonly usedPorts: ReadonlySet<number>;
}

/** Renders each chosen service with its ports, dependencies and connection environment. */
function renderServices(input: RenderInput): { services: RenderedService[]; errors: Message[] } {
  const used = new Set(input.usedPorts);
  const take = (preferred: number): number => {
    let port = preferred;
    while (used.has(port)) port++;
    used.add(port);
    return port;
  };
  const errors: Message[] = [];
  const known = new Map<string, Dependency>(input.existing.map((dep) => [dep.name, dep]));
  for (const choice of input.choices) {
    const entry = catalogueEntry(choice.entryId);
    if (!entry) continue;
    known.set(choice.name, {
      name: choice.name,
      entryId: entry.id,
      envPrefix: envPrefix(choice.name),
      containerPort: entry.containerPort,
      healthy: true,
      ...(entry.metricsPath ? { metricsPath: entry.metricsPath } : {}),
    });
  }
  const services: RenderedService[] = [];
  for (const choice of input.choices) {
    const entry = catalogueEntry(choice.entryId);
    if (!entry) {
      errors.push(msg('Unknown catalogue service "{0}".', choice.entryId));
      continue;
    }
    const dependsOn: Dependency[] = [];
    for (const name of choice.dependsOn ?? []) {
      const dep = known.get(name);
      if (!dep || name === choice.name) errors.push(msg('"{0}" cannot depend on "{1}": there is no such service.', choice.name, name));
      else dependsOn.push(dep);
    }
    const hostPort = take(entry.defaultPort);
    const debugPort = entry.defaultDebugPort !== undefined ? take(entry.defaultDebugPort) : undefined;
    const peers = [...known.values()].filter((dep) => dep.name !== choice.name);
    const spec = entry.render({
      name: choice.name,
      project: input.project,
      lang: input.lang,
      envPrefix: envPrefix(choice.name),
      hostPort,
      ...(debugPort !== undefined ? { debugPort } : {}),
      dependsOn,
      peers,
      options: choice.options ?? {},
    });
    const connectionEnv =
      entry.kind === 'built'
        ? dependsOn.flatMap((dep) => (dep.entryId ? (catalogueEntry(dep.entryId)?.connection?.(dep) ?? []) : []))
        : [];
    services.push({ name: choice.name, entry, spec, dependsOn, hostPort, connectionEnv });
  }
  return { services, errors };
}

/** The chosen services of a new project: the preset's, then extra catalogue ids wired to what they usually need. */
export function resolveChoices(input: NewProjectInput): { choices: ServiceChoice[]; folders: string[]; errors: Message[] } {
  const errors: Message[] = [];
  const choices: ServiceChoice[] = [];
  const folders: string[] = [];
  if (input.preset !== undefined) {
    const preset = presetById(input.preset);
    if (!preset) errors.push(msg('Unknown preset "{0}".', input.preset));
    else {
      choices.push(...preset.services);
      folders.push(...(preset.folders ?? []));
    }
  }
  for (const id of input.services ?? []) {
    const entry = catalogueEntry(id);
    if (!entry) {
      errors.push(msg('Unknown catalogue service "{0}".', id));
      continue;
    }
    if (choices.some((choice) => choice.name === id)) continue;
    choices.push({ name: id, entryId: id });
  }
  // Wire what each service usually needs when it is in the project and the preset did not say otherwise.
  const wired = choices.map((original) => {
    const extra = input.entryOptions?.[original.entryId];
    const choice = extra ? { ...original, options: { ...original.options, ...extra } } : original;
    if (choice.dependsOn !== undefined) return choice;
    const suggested = catalogueEntry(choice.entryId)?.suggestedDependsOn ?? [];
    const dependsOn = choices.filter((other) => other !== choice && suggested.includes(other.entryId)).map((other) => other.name);
    return dependsOn.length > 0 ? { ...choice, dependsOn } : choice;
  });
  return { choices: wired, folders, errors };
}

function envExample(lang: Lang, project: string, services: readonly RenderedService[]): string {
  const es = lang === 'es';
  const lines = [
    es ? '# Variables de entorno del proyecto. Copia este archivo a .env (que no se versiona) y cambia los valores change-me.' : '# Project environment variables. Copy this file to .env (kept out of git) and replace the change-me values.',
    es ? '# Los secretos aquí son marcadores, nunca valores reales.' : '# Secrets here are placeholders, never real values.',
    '',
    es ? '# Nombre del proyecto para Compose v1 (v2 lo toma de la carpeta)' : '# Project name for Compose v1 (v2 takes it from the folder)',
    `COMPOSE_PROJECT_NAME=${project}`,
    '',
  ];
  for (const service of services) {
    if (service.spec.variables.length === 0) continue;
    lines.push(...variableBlock(lang, service.name, service.spec.variables), '');
  }
  return lines.join('\n');
}

function variableBlock(lang: Lang, service: string, variables: readonly EnvVariable[]): string[] {
  const lines = [`# --- ${service} ---`];
  for (const variable of variables) {
    if (variable.comment) lines.push(`# ${variable.comment[lang]}`);
    else if (variable.secret) lines.push(lang === 'es' ? '# Secreto: pon un valor fuerte en .env' : '# Secret: set a strong value in .env');
    lines.push(`${variable.name}=${variable.example}`);
  }
  return lines;
}

function composeFiles(lang: Lang, project: string, services: readonly RenderedService[], network: string): Record<string, string> {
  const unit = 2;
  const baseLines = [...header(lang, project, [composeComments.base, composeComments.baseUse, composeComments.prodUse]), 'services:'];
  const overrideLines = [...header(lang, project, [composeComments.override, composeComments.overrideUse]), 'services:'];
  const prodLines = [...header(lang, project, [composeComments.prod, composeComments.prodUse]), 'services:'];
  for (const service of services) {
    baseLines.push(...baseServiceLines(service, network, lang, unit));
    overrideLines.push(...serviceBlock(service.name, overrideServiceValue(service), unit));
    prodLines.push(...serviceBlock(service.name, prodServiceValue(service), unit));
  }
  if (services.length === 0) {
    baseLines[baseLines.length - 1] = 'services: {}';
  }
  for (const lines of [overrideLines, prodLines]) if (lines[lines.length - 1] === 'services:') lines.splice(lines.length - 1, 1, ...emptyServices(lang, network));
  baseLines.push('', `# ${composeComments.network[lang]}`, ...yamlLines({ networks: { [network]: { driver: 'bridge' } } }));
  return {
    [BASE_FILE]: baseLines.join('\n') + '\n',
    [OVERRIDE_FILE]: overrideLines.join('\n') + '\n',
    [PROD_FILE]: prodLines.join('\n') + '\n',
  };
}

/**
 * An override file with no service yet. Compose v1 reads a file whose only key is an empty `services` as a
 * version 1 file and refuses to merge it, so the project network is named here too (it changes nothing).
 */
function emptyServices(lang: Lang, network: string): string[] {
  return ['services: {}', '', `# ${composeComments.emptyOverride[lang]}`, 'networks:', `  ${network}: {}`];
}

function baseServiceLines(service: RenderedService, network: string, lang: Lang, unit: number): string[] {
  const lines = serviceBlock(service.name, baseServiceValue(service, network), unit, `${service.entry.title[lang]}: ${service.entry.description[lang]}`);
  if (hasMonitorService(service)) {
    lines.push(...serviceBlock(monitorName(service.name), monitorServiceValue(service, network), unit, composeComments.monitor[lang].replace('{0}', service.name)));
  }
  return lines;
}

/** Files of one service: its own (Dockerfile, code, config), its data folder, its monitor script, kept folders. */
function serviceFiles(service: RenderedService, lang: Lang): GeneratedFile[] {
  const files: GeneratedFile[] = [...service.spec.files];
  const has = (prefix: string) => files.some((file) => file.path.startsWith(prefix + '/'));
  if (service.spec.stateful) files.push({ path: `bd/${service.name}-data/.gitkeep`, content: '' });
  for (const folder of ['config', 'templates', 'scripts']) {
    const path = `data/${service.name}/${folder}`;
    if (!has(path)) files.push({ path: `${path}/.gitkeep`, content: '' });
  }
  const http = service.spec.healthPath
    ? {
        healthUrl: `http://localhost:${service.hostPort}${service.spec.healthPath}`,
        ...(service.spec.metricsPath ? { metricsUrl: `http://localhost:${service.hostPort}${service.spec.metricsPath}` } : {}),
      }
    : undefined;
  files.push({ path: `data/monitoring/monitor_${service.name}.sh`, content: monitorScript(lang, service.name, http), executable: true });
  for (const folder of service.spec.folders ?? []) files.push({ path: `${folder}/.gitkeep`, content: '' });
  return files;
}

/** Adds created files, unchanged ones and conflicts to a plan under construction; `.gitkeep` files never conflict. */
class PlanBuilder {
  readonly creates: GeneratedFile[] = [];
  readonly edits: PlannedEdit[] = [];
  readonly conflicts: PlanConflict[] = [];
  readonly unchanged: string[] = [];
  readonly notes: Message[] = [];
  readonly errors: Message[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly existing: ExistingFiles) {}

  file(file: GeneratedFile): void {
    if (this.seen.has(file.path)) return;
    this.seen.add(file.path);
    const current = this.existing.texts.get(file.path);
    if (current === undefined && !this.existing.paths.has(file.path)) {
      this.creates.push(file);
    } else if (current === file.content || file.path.endsWith('/.gitkeep') || (current !== undefined && normalizeEol(current) === file.content)) {
      this.unchanged.push(file.path);
    } else if (current === undefined) {
      this.errors.push(msg('{0} exists but could not be read; nothing was written.', file.path));
    } else {
      this.conflicts.push({ path: file.path, current, proposed: file.content, ...(file.executable ? { executable: true } : {}) });
    }
  }

  edit(path: string, edits: readonly TextEdit[], reason: Message): void {
    this.seen.add(path);
    if (edits.length === 0) this.unchanged.push(path);
    else this.edits.push({ path, edits, reason });
  }

  /** A text file merged line by line: created when missing, else only the missing lines are appended. */
  lines(path: string, wanted: string, missingOf: (current: string) => string[], reason: Message): void {
    const current = this.existing.texts.get(path);
    if (current === undefined) return this.file({ path, content: wanted });
    const missing = missingOf(current);
    if (missing.length === 0) return this.edit(path, [], reason);
    const eol = current.includes('\r\n') ? '\r\n' : '\n';
    const lead = current.length === 0 || current.endsWith('\n') ? '' : eol;
    const gap = current.trim() === '' ? '' : eol;
    this.edit(path, [{ span: { start: current.length, end: current.length }, newText: lead + gap + missing.join(eol) + eol }], reason);
  }

  /** Edits of an existing compose file, or creates it when it does not exist. */
  compose(path: string, whole: string, insertions: readonly ServiceInsertion[], network: { name: string } | undefined, reason: Message): void {
    const current = this.existing.texts.get(path);
    if (current === undefined) return this.file({ path, content: whole });
    if (current === whole) return this.edit(path, [], reason);
    const result = insertServices(current, insertions, network ? { name: network.name, value: { driver: 'bridge' } } : undefined);
    if (!result.ok) {
      this.errors.push(msg('Cannot edit {0}.', path), result.error);
      return;
    }
    this.edit(path, result.edits, reason);
  }

  build(): ScaffoldPlan {
    return { creates: this.creates, edits: this.edits, conflicts: this.conflicts, unchanged: this.unchanged, notes: this.notes, errors: this.errors };
  }
}

function normalizeEol(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

function missingVariables(variables: readonly { service: string; variables: readonly EnvVariable[] }[], lang: Lang) {
  return (current: string): string[] => {
    const defined = new Set([...current.matchAll(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/gm)].map((m) => m[1]!));
    const lines: string[] = [];
    for (const group of variables) {
      const missing = group.variables.filter((variable) => !defined.has(variable.name));
      if (missing.length > 0) lines.push(...variableBlock(lang, group.service, missing));
    }
    return lines;
  };
}

function missingLines(wanted: readonly string[]) {
  return (current: string): string[] => {
    const present = new Set(current.split(/\r?\n/).map((line) => line.trim()));
    return wanted.filter((line) => !present.has(line));
  };
}

function scriptFiles(lang: Lang): GeneratedFile[] {
  return [
    { path: 'data/scripts/dev-setup.sh', content: devSetupScript(lang), executable: true },
    { path: 'data/scripts/prod-deploy.sh', content: prodDeployScript(lang), executable: true },
    { path: 'data/scripts/test.sh', content: testScript(lang), executable: true },
    { path: 'data/scripts/cleanup.sh', content: cleanupScript(lang), executable: true },
    { path: 'data/scripts/diagnostic.sh', content: diagnosticScript(lang), executable: true },
  ];
}

function insertionsFor(services: readonly RenderedService[], network: string, lang: Lang) {
  return {
    base: services.flatMap((service): ServiceInsertion[] => {
      const main: ServiceInsertion = {
        name: service.name,
        lines: (unit) => serviceBlock(service.name, baseServiceValue(service, network), unit, `${service.entry.title[lang]}: ${service.entry.description[lang]}`),
      };
      if (!hasMonitorService(service)) return [main];
      const monitor: ServiceInsertion = {
        name: monitorName(service.name),
        lines: (unit) => serviceBlock(monitorName(service.name), monitorServiceValue(service, network), unit, composeComments.monitor[lang].replace('{0}', service.name)),
      };
      return [main, monitor];
    }),
    override: services
      .map((service): ServiceInsertion => ({ name: service.name, lines: (unit) => serviceBlock(service.name, overrideServiceValue(service), unit) }))
      .filter((insertion) => insertion.lines(2).length > 0),
    prod: services.map((service): ServiceInsertion => ({ name: service.name, lines: (unit) => serviceBlock(service.name, prodServiceValue(service), unit) })),
  };
}

/**
 * Plans a new project in the seed's architecture: every file to create, the edits that bring existing files
 * up to date (missing services, variables and ignore lines only), and the existing files that would differ.
 * Pure: `existing` is what the adapter read from the target folder. Running it again on its own output
 * gives an empty plan.
 */
export function planNewProject(input: NewProjectInput, existing: ExistingFiles): ScaffoldPlan {
  const builder = new PlanBuilder(existing);
  const nameProblem = validateProjectName(input.name);
  if (nameProblem) {
    builder.errors.push(nameProblem);
    return builder.build();
  }
  const { choices, folders, errors } = resolveChoices(input);
  builder.errors.push(...errors);
  const seenNames = new Set<string>();
  for (const choice of choices) {
    const problem = validateServiceName(choice.name, seenNames);
    if (problem) builder.errors.push(problem);
    seenNames.add(choice.name);
  }
  if (builder.errors.length > 0) return builder.build();
  const { services, errors: renderErrors } = renderServices({ project: input.name, lang: input.lang, choices, existing: [], usedPorts: new Set() });
  builder.errors.push(...renderErrors);
  if (builder.errors.length > 0) return builder.build();

  const network = DEFAULT_NETWORK;
  const compose = composeFiles(input.lang, input.name, services, network);
  const insertions = insertionsFor(services, network, input.lang);
  builder.compose(BASE_FILE, compose[BASE_FILE]!, insertions.base, { name: network }, msg('add the missing services'));
  builder.compose(OVERRIDE_FILE, compose[OVERRIDE_FILE]!, insertions.override, undefined, msg('add the missing services'));
  builder.compose(PROD_FILE, compose[PROD_FILE]!, insertions.prod, undefined, msg('add the missing services'));

  const variables = services.map((service) => ({ service: service.name, variables: service.spec.variables }));
  builder.lines('.env.example', envExample(input.lang, input.name, services), missingVariables(variables, input.lang), msg('add the missing variables'));
  const ignored = ignoreLines([...folders, ...services.flatMap((service) => service.spec.folders ?? [])]);
  builder.lines('.gitignore', ignored.join('\n') + '\n', missingLines(ignored), msg('add the missing ignore lines'));
  builder.file({ path: 'README.md', content: projectReadme(input.name, input.lang, services) });
  builder.file({ path: 'data/doc/README.md', content: docReadme(input.name, input.lang) });
  for (const file of scriptFiles(input.lang)) builder.file(file);
  for (const service of services) for (const file of serviceFiles(service, input.lang)) builder.file(file);
  for (const folder of [...PROJECT_FOLDERS, ...folders]) {
    if (!builder.creates.some((file) => file.path.startsWith(folder + '/')) && !existing.paths.has(folder)) builder.file({ path: `${folder}/.gitkeep`, content: '' });
  }
  return builder.build();
}

/** What Add Service learns from the project's compose files. */
export interface ProjectFacts {
  readonly baseFile?: string;
  readonly overrideFile: string;
  readonly prodFile: string;
  readonly services: readonly string[];
  readonly network: string;
  /** Host ports published by each service, in any of the three files. */
  readonly portsByService: ReadonlyMap<string, readonly number[]>;
  readonly dependencies: readonly Dependency[];
}

/** Reads the services, network, published ports and healthchecks of the project's base compose file. */
export function projectFacts(existing: ExistingFiles): ProjectFacts {
  const baseFile = BASE_FILE_NAMES.find((name) => existing.texts.has(name));
  // Siblings follow the base file's spelling: compose.yaml -> compose.override.yaml.
  const match = /^(docker-compose|compose)\.(ya?ml)$/.exec(baseFile ?? BASE_FILE)!;
  const overrideFile = `${match[1]}.override.${match[2]}`;
  const prodFile = `${match[1]}.prod.${match[2]}`;
  const portsByService = new Map<string, number[]>();
  const dependencies: Dependency[] = [];
  let network: string | undefined;
  const names: string[] = [];
  for (const file of [baseFile, overrideFile, prodFile]) {
    const text = file ? existing.texts.get(file) : undefined;
    if (text === undefined) continue;
    const root = parseYaml(text).root;
    const services = getValue(root, 'services');
    if (services?.kind !== 'map') continue;
    for (const pair of services.items) {
      const name = keyText(pair);
      if (name === undefined) continue;
      portsByService.set(name, [...(portsByService.get(name) ?? []), ...publishedPorts(getValue(pair.value, 'ports'))]);
      if (file !== baseFile || names.includes(name)) continue;
      names.push(name);
      network ??= firstNetwork(getValue(pair.value, 'networks'));
      dependencies.push(dependencyFacts(name, pair.value));
    }
    if (file === baseFile) {
      const networks = getValue(root, 'networks');
      if (!network && networks?.kind === 'map' && networks.items[0]) network = keyText(networks.items[0]);
    }
  }
  return { ...(baseFile ? { baseFile } : {}), overrideFile, prodFile, services: names, network: network ?? DEFAULT_NETWORK, portsByService, dependencies };
}

function publishedPorts(node: YamlNode | undefined): number[] {
  if (node?.kind !== 'seq') return [];
  const ports: number[] = [];
  for (const item of node.items) {
    if (item.kind === 'scalar' && item.value !== null) {
      const parts = String(item.value).split(':');
      if (parts.length >= 2) {
        const host = Number(parts[parts.length - 2]!.split('-')[0]);
        if (Number.isInteger(host)) ports.push(host);
      }
    } else if (item.kind === 'map') {
      const published = getValue(item, 'published');
      if (published?.kind === 'scalar' && Number.isInteger(Number(published.value))) ports.push(Number(published.value));
    }
  }
  return ports;
}

function firstNetwork(node: YamlNode | undefined): string | undefined {
  if (node?.kind === 'seq' && node.items[0]?.kind === 'scalar') return String(node.items[0].value);
  if (node?.kind === 'map' && node.items[0]) return keyText(node.items[0]);
  return undefined;
}

function dependencyFacts(name: string, service: YamlNode | null): Dependency {
  const image = getValue(service, 'image');
  const repo = image?.kind === 'scalar' && typeof image.value === 'string' ? image.value.replace(/[:@].*$/, '') : undefined;
  const entry = CATALOGUE.find((candidate) => candidate.imageRepo !== undefined && candidate.imageRepo === repo) ?? (catalogueEntry(name)?.kind === 'built' ? catalogueEntry(name) : undefined);
  const healthcheck = getValue(service, 'healthcheck');
  const disabled = getValue(healthcheck, 'disable');
  const healthy = healthcheck !== undefined && !(disabled?.kind === 'scalar' && disabled.value === true);
  const containerPort = entry?.containerPort ?? firstContainerPort(service);
  return {
    name,
    ...(entry ? { entryId: entry.id } : {}),
    envPrefix: envPrefix(name),
    ...(containerPort !== undefined ? { containerPort } : {}),
    healthy,
    ...(entry?.metricsPath ? { metricsPath: entry.metricsPath } : {}),
  };
}

function firstContainerPort(service: YamlNode | null): number | undefined {
  const expose = getValue(service, 'expose');
  const ports = getValue(service, 'ports');
  for (const list of [expose, ports]) {
    if (list?.kind !== 'seq') continue;
    for (const item of list.items) {
      if (item.kind !== 'scalar' || item.value === null) continue;
      const last = String(item.value).split(':').pop()!.split('/')[0]!;
      const port = Number(last);
      if (Number.isInteger(port) && port > 0) return port;
    }
  }
  return undefined;
}

/**
 * Plans adding one service to an existing project: its block appended to each compose file (comments, order
 * and formatting kept), its files, its variables and ignore lines. A service already there is not added
 * again: a second run plans only what is still missing.
 */
export function planAddService(input: AddServiceInput & { readonly project: string }, existing: ExistingFiles): ScaffoldPlan {
  const builder = new PlanBuilder(existing);
  const facts = projectFacts(existing);
  const lang = input.lang ?? projectLang(existing, facts);
  if (!facts.baseFile) {
    builder.errors.push(msg('No compose file (docker-compose.yml or compose.yaml) in this folder; create a project first.'));
    return builder.build();
  }
  const already = facts.services.includes(input.name);
  const problem = validateServiceName(input.name, already ? [] : facts.services);
  if (problem) builder.errors.push(problem);
  const entry = catalogueEntry(input.entryId) ?? generic;
  const choice: ServiceChoice = { name: input.name, entryId: entry.id, dependsOn: input.dependsOn ?? [] };
  const existingDeps = facts.dependencies.filter((dep) => dep.name !== input.name);
  for (const dep of input.dependsOn ?? []) {
    const found = existingDeps.find((candidate) => candidate.name === dep);
    if (!found) builder.errors.push(msg('"{0}" cannot depend on "{1}": there is no such service.', input.name, dep));
    else if (!found.healthy) builder.notes.push(msg('"{0}" has no healthcheck, so "{1}" waits only for it to start (service_started).', dep, input.name));
  }
  if (builder.errors.length > 0) return builder.build();
  // Ports other services publish are taken; the service's own (on a second run) are not, so it keeps them.
  const usedPorts = new Set([...facts.portsByService].filter(([name]) => name !== input.name).flatMap(([, ports]) => ports));
  const { services, errors } = renderServices({ project: input.project, lang, choices: [choice], existing: existingDeps, usedPorts });
  builder.errors.push(...errors);
  if (builder.errors.length > 0) return builder.build();
  const service = services[0]!;
  const insertions = insertionsFor(services, facts.network, lang);
  const baseFile = facts.baseFile;
  builder.compose(baseFile, '', insertions.base, { name: facts.network }, msg('add the service "{0}"', service.name));
  const overrideWhole = [...header(lang, input.project, [composeComments.override, composeComments.overrideUse]), 'services:', ...insertions.override.flatMap((i) => i.lines(2))];
  if (insertions.override.length === 0) overrideWhole.splice(overrideWhole.length - 1, 1, ...emptyServices(lang, facts.network));
  builder.compose(facts.overrideFile, overrideWhole.join('\n') + '\n', insertions.override, undefined, msg('add the service "{0}"', service.name));
  const prodWhole = [...header(lang, input.project, [composeComments.prod, composeComments.prodUse]), 'services:', ...insertions.prod.flatMap((i) => i.lines(2))];
  builder.compose(facts.prodFile, prodWhole.join('\n') + '\n', insertions.prod, undefined, msg('add the service "{0}"', service.name));

  const variables = [{ service: service.name, variables: service.spec.variables }];
  const envWhole = [...variableBlock(lang, service.name, service.spec.variables)].join('\n') + '\n';
  if (service.spec.variables.length > 0 || existing.texts.has('.env.example')) {
    builder.lines('.env.example', envWhole, missingVariables(variables, lang), msg('add the variables of "{0}"', service.name));
  }
  const ignored = ignoreLines(service.spec.folders ?? []);
  builder.lines('.gitignore', ignored.join('\n') + '\n', missingLines(ignored), msg('add the missing ignore lines'));
  for (const file of serviceFiles(service, lang)) builder.file(file);
  return builder.build();
}

/** The language a project was generated in, read from the header comment New Project wrote; English otherwise. */
export function projectLang(existing: ExistingFiles, facts: ProjectFacts = projectFacts(existing)): Lang {
  const base = facts.baseFile ? (existing.texts.get(facts.baseFile) ?? '') : '';
  return base.includes(composeComments.base.es) ? 'es' : 'en';
}

/** True when the plan would change nothing. */
export function isEmptyPlan(plan: ScaffoldPlan): boolean {
  return plan.creates.length === 0 && plan.edits.length === 0 && plan.conflicts.length === 0;
}

/** The user's decision about each conflict: overwrite it (after seeing the difference) or keep the file as it is. */
export type ConflictChoice = 'overwrite' | 'keep';

/** A plan whose conflicts are decided: overwritten ones become whole-file replacements, kept ones are dropped. */
export interface ResolvedPlan {
  readonly creates: readonly GeneratedFile[];
  readonly edits: readonly PlannedEdit[];
  readonly overwrites: readonly PlanConflict[];
  readonly kept: readonly string[];
}

export function resolvePlan(plan: ScaffoldPlan, choices: ReadonlyMap<string, ConflictChoice>): ResolvedPlan {
  const overwrites = plan.conflicts.filter((conflict) => choices.get(conflict.path) === 'overwrite');
  const kept = plan.conflicts.filter((conflict) => choices.get(conflict.path) !== 'overwrite').map((conflict) => conflict.path);
  return { creates: plan.creates, edits: plan.edits, overwrites, kept };
}

/** Paths a plan would make executable (scripts), for the adapter to chmod after a successful write. */
export function executablePaths(plan: ResolvedPlan): string[] {
  return [...plan.creates.filter((file) => file.executable).map((file) => file.path), ...plan.overwrites.filter((c) => c.executable).map((c) => c.path)];
}

/** Every path the adapter should read before planning a new project in a folder (those that exist). */
export function pathsToInspect(input: NewProjectInput): string[] {
  const plan = planNewProject(input, { texts: new Map(), paths: new Set() });
  return [...plan.creates.map((file) => file.path), ...PROJECT_FOLDERS];
}

/** Paths Add Service reads: the compose family, `.env.example`, `.gitignore`, and the files it would write. */
export function pathsToInspectForAdd(input: AddServiceInput & { readonly project: string }): string[] {
  const entry = catalogueEntry(input.entryId) ?? generic;
  const { services } = renderServices({ project: input.project, lang: input.lang ?? 'en', choices: [{ name: input.name, entryId: entry.id }], existing: [], usedPorts: new Set() });
  const own = services[0] ? serviceFiles(services[0], input.lang ?? 'en').map((file) => file.path) : [];
  return [...BASE_FILE_NAMES, OVERRIDE_FILE, PROD_FILE, '.env.example', '.gitignore', ...own];
}
