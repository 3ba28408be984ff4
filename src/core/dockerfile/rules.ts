import type { Finding, Fix, Severity, TextEdit } from '../findings';
import { msg, type Message } from '../message';
import type { Span } from '../text/lineIndex';
import type { ComposeBuildUse } from './composeUses';
import { baseImageFacts, parseImageReference, shortRepository } from './image';
import { argDeclarations, keyValuePairs, splitWords, substituteVariables, type Instruction, type ParsedDockerfile, type Stage } from './parse';
import { aptInstallIndex, installedPackages, shellCommands, shellSources, wordSpan, type ShellCommand } from './shell';

/** A Dockerfile rule's id, default level and one-line summary (docs pages and hovers use it). */
export interface DockerfileRuleInfo {
  readonly id: string;
  readonly defaultSeverity: Severity;
  readonly summary: Message;
}

export const DOCKERFILE_RULES: readonly DockerfileRuleInfo[] = [
  { id: 'dockerfile-syntax', defaultSeverity: 'error', summary: msg('The Dockerfile cannot be read as Docker reads it.') },
  { id: 'from-unpinned', defaultSeverity: 'warning', summary: msg('A base image without a tag, or with latest, changes under you.') },
  { id: 'labels-missing', defaultSeverity: 'info', summary: msg('The final image lacks the labels the architecture asks for.') },
  { id: 'workdir-missing', defaultSeverity: 'warning', summary: msg('Files are copied without a WORKDIR.') },
  { id: 'cmd-shell-form', defaultSeverity: 'warning', summary: msg('CMD or ENTRYPOINT in shell form does not receive stop signals.') },
  { id: 'copy-before-deps', defaultSeverity: 'warning', summary: msg('The whole context is copied before dependencies are installed, which defeats the layer cache.') },
  { id: 'user-root', defaultSeverity: 'warning', summary: msg('The image runs as root.') },
  { id: 'apt-no-cleanup', defaultSeverity: 'warning', summary: msg('apt-get install leaves the package lists in the image.') },
  { id: 'apt-no-recommends', defaultSeverity: 'info', summary: msg('apt-get install pulls recommended packages.') },
  { id: 'add-instead-of-copy', defaultSeverity: 'warning', summary: msg('ADD is used where COPY does the job.') },
  { id: 'multiple-cmd', defaultSeverity: 'warning', summary: msg('Only the last CMD, ENTRYPOINT or HEALTHCHECK of a stage counts.') },
  { id: 'expose-missing', defaultSeverity: 'warning', summary: msg('A compose service publishes a port the Dockerfile does not EXPOSE.') },
  { id: 'healthcheck-tool-missing', defaultSeverity: 'warning', summary: msg('The healthcheck calls curl or wget, which the image does not contain.') },
];

const severityOf = new Map(DOCKERFILE_RULES.map((rule) => [rule.id, rule.defaultSeverity]));

/** The labels the architecture's standard Dockerfile sets; `composeBlueprint.dockerfile.requiredLabels` overrides them. */
export const DEFAULT_REQUIRED_LABELS: readonly string[] = ['maintainer', 'version', 'description'];

export interface DockerfileRuleInput {
  readonly text: string;
  readonly parsed: ParsedDockerfile;
  readonly requiredLabels: readonly string[];
  readonly composeUses: readonly ComposeBuildUse[];
}

function finding(rule: string, message: Message, span: Span, fixes?: Fix[]): Finding {
  return { rule, severity: severityOf.get(rule) ?? 'warning', message, span, ...(fixes && fixes.length > 0 ? { fixes } : {}) };
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Offset of the start of the line holding `offset`. */
function lineStartOf(text: string, offset: number): number {
  const before = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1));
  return before + 1;
}

/** Indentation of the line holding `offset`, so inserted instructions line up with their neighbours. */
function indentAt(text: string, offset: number): string {
  const start = lineStartOf(text, offset);
  return /^[ \t]*/.exec(text.slice(start, offset))?.[0] ?? '';
}

/** Inserts whole lines after an instruction. */
function insertLinesAfter(text: string, instruction: Instruction, lines: readonly string[]): TextEdit {
  const eol = eolOf(text);
  const indent = indentAt(text, instruction.keywordSpan.start);
  return { span: { start: instruction.span.end, end: instruction.span.end }, newText: lines.map((line) => eol + indent + line).join('') };
}

/** Inserts whole lines before an instruction. */
function insertLinesBefore(text: string, instruction: Instruction, lines: readonly string[]): TextEdit {
  const eol = eolOf(text);
  const start = lineStartOf(text, instruction.keywordSpan.start);
  const indent = indentAt(text, instruction.keywordSpan.start);
  return { span: { start, end: start }, newText: lines.map((line) => indent + line + eol).join('') };
}

/** The span of a FROM line's image word, or the keyword when there is none. */
const fromSpan = (stage: Stage): Span => (stage.image.text ? stage.image.span : stage.from.keywordSpan);

interface ResolvedBase {
  /** The external image the stage builds on, with variables substituted; undefined when it cannot be told. */
  readonly image?: string;
  /** This stage and the earlier stages it builds on, nearest last (`FROM build AS final` -> [build, final]). */
  readonly chain: readonly Stage[];
}

/** Follows `FROM <earlier stage>` links back to an external image. */
export function resolveBase(parsed: ParsedDockerfile, stage: Stage): ResolvedBase {
  const chain: Stage[] = [stage];
  let current = stage;
  for (let guard = 0; guard < parsed.stages.length; guard++) {
    const reference = substituteVariables(current.image.text, parsed.globalArgs);
    if (reference === undefined) return { chain };
    const parent = parsed.stages.slice(0, current.index).reverse().find((s) => s.name !== undefined && s.name === reference.toLowerCase());
    if (!parent) return { image: reference, chain };
    chain.unshift(parent);
    current = parent;
  }
  return { chain };
}

function chainInstructions(chain: readonly Stage[], keyword?: string): Instruction[] {
  return chain.flatMap((stage) => stage.instructions).filter((i) => keyword === undefined || i.keyword === keyword);
}

/** The stage a build uses: `target` when set and known, otherwise the last. */
function targetStage(parsed: ParsedDockerfile, target?: string): Stage | undefined {
  if (target !== undefined) {
    const named = parsed.stages.find((s) => s.name === target.toLowerCase());
    if (named) return named;
  }
  return parsed.stages[parsed.stages.length - 1];
}

function fromUnpinned(input: DockerfileRuleInput): Finding[] {
  const { parsed } = input;
  const findings: Finding[] = [];
  for (const stage of parsed.stages) {
    const written = stage.image.text;
    if (!written) continue;
    const resolved = substituteVariables(written, parsed.globalArgs);
    if (resolved === undefined) continue; // an ARG without default: the build decides
    const lower = resolved.toLowerCase();
    if (lower === 'scratch') continue;
    if (parsed.stages.slice(0, stage.index).some((s) => s.name === lower)) continue;
    const reference = parseImageReference(resolved);
    if (reference.digest) continue;
    if (reference.tag === undefined) {
      findings.push(finding('from-unpinned', msg('{0} has no tag, so it means latest: pin a version (for example {1}:<version>) or a digest.', resolved, reference.repository), stage.image.span));
    } else if (reference.tag.toLowerCase() === 'latest') {
      findings.push(finding('from-unpinned', msg('{0} uses the latest tag: pin a version or a digest so builds are repeatable.', resolved), stage.image.span));
    }
  }
  return findings;
}

function labelsMissing(input: DockerfileRuleInput): Finding[] {
  const { parsed, text } = input;
  const final = parsed.stages[parsed.stages.length - 1];
  if (!final || input.requiredLabels.length === 0) return [];
  const { chain } = resolveBase(parsed, final);
  const present = new Set<string>();
  for (const instruction of chainInstructions(chain)) {
    if (instruction.keyword === 'LABEL') for (const pair of keyValuePairs(instruction)) present.add(pair.key);
    if (instruction.keyword === 'MAINTAINER') present.add('maintainer');
  }
  const missing = input.requiredLabels.filter((label) => !present.has(label));
  if (missing.length === 0) return [];
  const labels = final.instructions.filter((i) => i.keyword === 'LABEL');
  const anchor = labels[labels.length - 1] ?? final.from;
  const fix: Fix = {
    title: msg('Add the missing labels ({0})', missing.join(', ')),
    edits: [insertLinesAfter(text, anchor, missing.map((label) => `LABEL ${/^[A-Za-z0-9._-]+$/.test(label) ? label : JSON.stringify(label)}=""`))],
  };
  return [finding('labels-missing', msg('The image has no {0} label: the architecture labels every image with {1}.', missing.join(', '), input.requiredLabels.join(', ')), fromSpan(final), [fix])];
}

function workdirMissing(input: DockerfileRuleInput): Finding[] {
  const { parsed, text } = input;
  const findings: Finding[] = [];
  for (const stage of parsed.stages) {
    const copies = stage.instructions.some((i) => i.keyword === 'COPY' || i.keyword === 'ADD');
    if (!copies) continue;
    const { chain } = resolveBase(parsed, stage);
    if (chainInstructions(chain, 'WORKDIR').length > 0) continue;
    findings.push(
      finding('workdir-missing', msg('This stage copies files without setting WORKDIR: they land in whatever folder the base image uses.'), fromSpan(stage), [
        { title: msg('Add WORKDIR /app after FROM'), edits: [insertLinesAfter(text, stage.from, ['WORKDIR /app'])] },
      ]),
    );
  }
  return findings;
}

const SHELL_META = /[|&;<>()$`*?~\\{}[\]#!]/;

/** Splits simple shell words into JSON form when that keeps the meaning (no operators, variables or globs). */
export function toJsonForm(args: string): string | undefined {
  const trimmed = args.trim();
  if (trimmed === '') return undefined;
  const parts: string[] = [];
  for (const range of splitWords(trimmed)) {
    let word = trimmed.slice(range.start, range.end);
    if (/^"[^"\\$`]*"$/.test(word) || /^'[^']*'$/.test(word)) word = word.slice(1, -1);
    else if (SHELL_META.test(word) || /["']/.test(word)) return undefined;
    parts.push(word);
  }
  return JSON.stringify(parts).replace(/","/g, '", "');
}

function cmdShellForm(input: DockerfileRuleInput): Finding[] {
  const findings: Finding[] = [];
  for (const instruction of input.parsed.instructions) {
    if (instruction.keyword !== 'CMD' && instruction.keyword !== 'ENTRYPOINT') continue;
    if (instruction.json || instruction.words.length === 0) continue;
    const first = instruction.words[0]!;
    const last = instruction.words[instruction.words.length - 1]!;
    const span = { start: first.span.start, end: last.span.end };
    const written = input.text.slice(span.start, span.end);
    if (written.startsWith('[') && !written.includes('\n')) {
      // Looks like JSON but is not (single quotes are the usual cause): Docker silently runs it in a shell.
      const doubled = written.replace(/'/g, '"');
      let parsed: unknown;
      try {
        parsed = JSON.parse(doubled);
      } catch {
        parsed = undefined;
      }
      const fixes: Fix[] = Array.isArray(parsed) && parsed.every((p) => typeof p === 'string') ? [{ title: msg('Use double quotes'), edits: [{ span, newText: JSON.stringify(parsed).replace(/","/g, '", "') }], isPreferred: true }] : [];
      findings.push(finding('cmd-shell-form', msg('{0} is not valid JSON, so Docker runs it through a shell: JSON form needs double quotes.', instruction.keyword), span, fixes));
      continue;
    }
    const json = written.includes('\n') ? undefined : toJsonForm(written);
    const fixes: Fix[] = json ? [{ title: msg('Convert to JSON form {0}', json), edits: [{ span, newText: json }], isPreferred: true }] : [];
    findings.push(
      finding('cmd-shell-form', msg('{0} in shell form runs under /bin/sh -c, so the process does not receive SIGTERM and stops slowly: use JSON form.', instruction.keyword), span, fixes),
    );
  }
  return findings;
}

/** Whether a shell command installs dependencies from a manifest in the context (not named packages). */
export function installsFromManifest(command: ShellCommand): boolean {
  const words = command.words.map((w) => w.text);
  const [tool, verb] = words;
  const operands = (from: number) => words.slice(from).filter((w) => !w.startsWith('-'));
  switch (tool) {
    case 'pip':
    case 'pip3':
      return verb === 'install' && (words.includes('-r') || words.includes('--requirement') || words.some((w) => w.startsWith('--requirement=')) || operands(2).some((w) => w === '.' || w.startsWith('.[') || w === './'));
    case 'python':
    case 'python3':
      return words[1] === '-m' && (words[2] === 'pip' || words[2] === 'pip3') && installsFromManifest({ ...command, words: command.words.slice(2) });
    case 'npm':
    case 'pnpm':
      return (verb === 'ci' || verb === 'install' || verb === 'i') && operands(2).length === 0;
    case 'yarn':
      return verb === undefined || verb.startsWith('-') || (verb === 'install' && operands(2).length === 0);
    case 'bundle':
    case 'composer':
    case 'poetry':
    case 'pipenv':
      return verb === 'install';
    case 'go':
      return verb === 'mod' && words[2] === 'download';
    case 'uv':
      return verb === 'sync' || (verb === 'pip' && words[2] === 'install' && (words.includes('-r') || words.includes('--requirement')));
    default:
      return false;
  }
}

function copiesWholeContext(instruction: Instruction): boolean {
  if (instruction.keyword !== 'COPY' && instruction.keyword !== 'ADD') return false;
  if (instruction.flags.some((f) => f.name === 'from')) return false;
  const sources = instruction.json ? instruction.json.slice(0, -1) : instruction.words.slice(0, -1).map((w) => w.text);
  return sources.some((source) => source === '.' || source === './' || source === '*');
}

function copyBeforeDeps(input: DockerfileRuleInput): Finding[] {
  const findings: Finding[] = [];
  for (const stage of input.parsed.stages) {
    const copyAt = stage.instructions.findIndex(copiesWholeContext);
    if (copyAt < 0) continue;
    const install = stage.instructions.slice(copyAt + 1).find((i) => i.keyword === 'RUN' && shellSources(i, input.text).some((source) => shellCommands(source).some(installsFromManifest)));
    if (!install) continue;
    const copy = stage.instructions[copyAt]!;
    findings.push(
      finding(
        'copy-before-deps',
        msg('The whole build context is copied before dependencies are installed, so any code change reinstalls them: copy the manifest (requirements.txt, package.json...) first, install, then copy the rest.'),
        { start: copy.keywordSpan.start, end: copy.span.end },
      ),
    );
  }
  return findings;
}

const ROOT_USERS = new Set(['root', '0', 'root:root', '0:0', 'root:0', '0:root']);

function userRoot(input: DockerfileRuleInput): Finding[] {
  const { parsed } = input;
  const final = parsed.stages[parsed.stages.length - 1];
  if (!final) return [];
  const { image, chain } = resolveBase(parsed, final);
  if (image === undefined) return [];
  if (image.toLowerCase() === 'scratch') return [];
  const facts = baseImageFacts(image);
  const users = chainInstructions(chain, 'USER');
  const last = users[users.length - 1];
  // What to write instead: instructions, which need no translation.
  const advice = ((): string => {
    if (shortRepository(parseImageReference(image).repository) === 'node') return 'USER node';
    switch (facts.addUser) {
      case 'useradd':
        return 'RUN useradd --create-home --uid 10001 app + USER app';
      case 'adduser':
        return 'RUN adduser -D -u 10001 app + USER app';
      case 'none':
        return 'USER 65532';
      default:
        return 'USER <name>';
    }
  })();
  if (!last) {
    if (facts.nonRootByDefault) return [];
    return [finding('user-root', msg('The final stage never sets USER, so the container runs as root: add {0} before CMD.', advice), fromSpan(final))];
  }
  const user = substituteVariables(last.words[0]?.text ?? '', chainValues(parsed, chain));
  if (user === undefined || !ROOT_USERS.has(user.toLowerCase())) return [];
  return [finding('user-root', msg('The container runs as root ({0}): use an unprivileged user instead ({1}).', user, advice), { start: last.keywordSpan.start, end: last.span.end })];
}

/** The stages whose layers end up in the final image: the final stage and the stages it builds on. */
function shippedStages(parsed: ParsedDockerfile): Set<number> {
  const final = parsed.stages[parsed.stages.length - 1];
  return new Set(final ? resolveBase(parsed, final).chain.map((s) => s.index) : []);
}

function hasAptCacheMount(instruction: Instruction): boolean {
  return instruction.flags.some((f) => f.name === 'mount' && /type=cache/.test(f.value) && /target=\/var\/(lib|cache)\/apt/.test(f.value));
}

function aptCommands(instruction: Instruction, text: string): { command: ShellCommand; installAt: number }[] {
  if (instruction.keyword !== 'RUN') return [];
  return shellSources(instruction, text).flatMap((source) =>
    shellCommands(source)
      .map((command) => ({ command, installAt: aptInstallIndex(command) }))
      .filter((entry) => entry.installAt > 0),
  );
}

function aptNoCleanup(input: DockerfileRuleInput): Finding[] {
  const findings: Finding[] = [];
  const shipped = shippedStages(input.parsed);
  for (const stage of input.parsed.stages) {
    if (!shipped.has(stage.index)) continue;
    for (const instruction of stage.instructions) {
      const installs = aptCommands(instruction, input.text);
      if (installs.length === 0 || hasAptCacheMount(instruction)) continue;
      const sources = shellSources(instruction, input.text);
      if (sources.some((source) => /\brm\s+(-[a-zA-Z]+\s+)*[^&|;\n]*\/var\/lib\/apt\/lists/.test(source.text))) continue;
      const { command, installAt } = installs[0]!;
      const span = wordSpan(command, { start: command.words[0]!.start, end: command.words[installAt]!.end }) ?? instruction.keywordSpan;
      const appendAt = sources[0]?.appendAt;
      const fixes: Fix[] = appendAt !== undefined ? [{ title: msg('Append && rm -rf /var/lib/apt/lists/*'), edits: [{ span: { start: appendAt, end: appendAt }, newText: ' && rm -rf /var/lib/apt/lists/*' }], isPreferred: true }] : [];
      findings.push(finding('apt-no-cleanup', msg('apt-get install leaves /var/lib/apt/lists in this layer: end the same RUN with && rm -rf /var/lib/apt/lists/*.'), span, fixes));
    }
  }
  return findings;
}

function aptNoRecommends(input: DockerfileRuleInput): Finding[] {
  const findings: Finding[] = [];
  for (const instruction of input.parsed.instructions) {
    for (const { command, installAt } of aptCommands(instruction, input.text)) {
      const words = command.words.map((w) => w.text);
      if (words.includes('--no-install-recommends') || words.some((w) => /^(-o)?APT::Install-Recommends=(false|0)$/i.test(w))) continue;
      const install = command.words[installAt]!;
      const span = wordSpan(command, { start: command.words[0]!.start, end: install.end });
      if (!span) continue;
      const fixes: Fix[] = [{ title: msg('Add --no-install-recommends'), edits: [{ span: { start: span.end, end: span.end }, newText: ' --no-install-recommends' }], isPreferred: true }];
      findings.push(finding('apt-no-recommends', msg('apt-get install without --no-install-recommends also installs recommended packages the service does not need.'), span, fixes));
    }
  }
  return findings;
}

const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tzst)$/i;

function addInsteadOfCopy(input: DockerfileRuleInput): Finding[] {
  const findings: Finding[] = [];
  for (const instruction of input.parsed.instructions) {
    if (instruction.keyword !== 'ADD' || instruction.heredocs.length > 0) continue;
    if (instruction.flags.some((f) => f.name === 'checksum' || f.name === 'keep-git-dir' || f.name === 'unpack')) continue;
    const sources = instruction.json ? instruction.json.slice(0, -1) : instruction.words.slice(0, -1).map((w) => w.text);
    if (sources.length === 0) continue;
    const needsAdd = sources.some((source) => /^[a-z]+:\/\/|^git@/i.test(source) || ARCHIVE.test(source.replace(/["']/g, '')) || source.includes('$'));
    if (needsAdd) continue;
    findings.push(
      finding('add-instead-of-copy', msg('ADD copies local files here like COPY does, but also unpacks archives and fetches URLs: use COPY so the intent is plain.'), instruction.keywordSpan, [
        { title: msg('Replace ADD with COPY'), edits: [{ span: instruction.keywordSpan, newText: 'COPY' }], isPreferred: true },
      ]),
    );
  }
  return findings;
}

function multipleCmd(input: DockerfileRuleInput): Finding[] {
  const findings: Finding[] = [];
  const eolLength = eolOf(input.text).length;
  for (const stage of input.parsed.stages) {
    for (const keyword of ['CMD', 'ENTRYPOINT', 'HEALTHCHECK']) {
      const all = stage.instructions.filter((i) => i.keyword === keyword);
      for (const earlier of all.slice(0, -1)) {
        const lineStart = lineStartOf(input.text, earlier.keywordSpan.start);
        const removal = { start: lineStart, end: Math.min(input.text.length, earlier.span.end + eolLength) };
        findings.push(
          finding('multiple-cmd', msg('This {0} has no effect: a later {0} in the same stage replaces it.', keyword), { start: earlier.keywordSpan.start, end: earlier.span.end }, [
            { title: msg('Remove this {0}', keyword), edits: [{ span: removal, newText: '' }] },
          ]),
        );
      }
    }
  }
  return findings;
}

/** Values of ARG and ENV along a chain, for `${PORT}` in EXPOSE. */
function chainValues(parsed: ParsedDockerfile, chain: readonly Stage[]): Map<string, string | undefined> {
  const values = new Map(parsed.globalArgs);
  for (const instruction of chainInstructions(chain)) {
    if (instruction.keyword === 'ARG') for (const [name, value] of argDeclarations(instruction)) values.set(name, value ?? parsed.globalArgs.get(name));
    if (instruction.keyword === 'ENV') for (const pair of keyValuePairs(instruction)) values.set(pair.key, pair.value);
  }
  return values;
}

function exposeMissing(input: DockerfileRuleInput): Finding[] {
  const { parsed, text } = input;
  const findings: Finding[] = [];
  for (const use of input.composeUses) {
    if (use.ports.length === 0) continue;
    const stage = targetStage(parsed, use.target);
    if (!stage) continue;
    const { image, chain } = resolveBase(parsed, stage);
    const values = chainValues(parsed, chain);
    const exposed: { from: number; to: number; protocol: string }[] = [];
    let unknown = false;
    for (const instruction of chainInstructions(chain, 'EXPOSE')) {
      for (const word of instruction.words) {
        const value = substituteVariables(word.text, values);
        const match = value === undefined ? null : /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(value);
        if (!match) {
          unknown = true;
          continue;
        }
        exposed.push({ from: Number(match[1]), to: Number(match[2] ?? match[1]), protocol: (match[3] ?? 'tcp').toLowerCase() });
      }
    }
    if (unknown || image === undefined) continue;
    for (const port of baseImageFacts(image).exposes) exposed.push({ from: port, to: port, protocol: 'tcp' });
    const exposes = stage.instructions.filter((i) => i.keyword === 'EXPOSE');
    const lastExpose = exposes[exposes.length - 1];
    for (const port of use.ports) {
      const covered = exposed.some((e) => e.protocol === port.protocol && e.from <= port.from && port.to <= e.to);
      if (covered) continue;
      const portText = (port.from === port.to ? String(port.from) : `${port.from}-${port.to}`) + (port.protocol === 'tcp' ? '' : `/${port.protocol}`);
      const runtime = stage.instructions.find((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT' || i.keyword === 'HEALTHCHECK');
      const edit = lastExpose ? insertLinesAfter(text, lastExpose, [`EXPOSE ${portText}`]) : runtime ? insertLinesBefore(text, runtime, [`EXPOSE ${portText}`]) : insertLinesAfter(text, stage.instructions[stage.instructions.length - 1] ?? stage.from, [`EXPOSE ${portText}`]);
      const span = lastExpose ? { start: lastExpose.keywordSpan.start, end: lastExpose.span.end } : fromSpan(stage);
      findings.push(
        finding('expose-missing', msg('Service {0} publishes container port {1}, which this Dockerfile does not EXPOSE.', use.service, portText), span, [
          { title: msg('Add EXPOSE {0}', portText), edits: [edit], isPreferred: true },
        ]),
      );
    }
  }
  return findings;
}

function installsTool(instructions: readonly Instruction[], tool: string, text: string): boolean {
  return instructions.some((instruction) => {
    if (instruction.keyword === 'RUN') {
      return shellSources(instruction, text).some((source) => shellCommands(source).some((command) => installedPackages(command).includes(tool)));
    }
    if (instruction.keyword === 'COPY' || instruction.keyword === 'ADD') return instruction.words.some((w) => new RegExp(`(^|/)${tool}$`).test(w.text));
    return false;
  });
}

function installAdvice(tool: string, packageManager: string | undefined): string {
  switch (packageManager) {
    case 'apt-get':
      return `RUN apt-get update && apt-get install -y --no-install-recommends ${tool} && rm -rf /var/lib/apt/lists/*`;
    case 'apk':
      return `RUN apk add --no-cache ${tool}`;
    default:
      return `a check the image can run (${tool} is not there)`;
  }
}

function healthcheckToolMissing(input: DockerfileRuleInput): Finding[] {
  const { parsed, text } = input;
  const findings: Finding[] = [];
  const check = (stage: Stage, tool: string, service: string | undefined, span?: Span) => {
    const { image, chain } = resolveBase(parsed, stage);
    if (image === undefined) return;
    const facts = baseImageFacts(image);
    const availability = tool === 'curl' ? facts.curl : facts.wget;
    if (availability !== 'absent') return;
    if (installsTool(chainInstructions(chain), tool, text)) return;
    const advice = tool === 'curl' && facts.wget === 'present' ? 'wget -q --spider <url>' : installAdvice(tool, facts.packageManager);
    const message =
      service !== undefined
        ? msg('The healthcheck of service {0} calls {1}, but {2} does not include it, so the check always fails: use {3}.', service, tool, image, advice)
        : msg('This HEALTHCHECK calls {0}, but {1} does not include it, so the check always fails: use {2}.', tool, image, advice);
    findings.push(finding('healthcheck-tool-missing', message, span ?? fromSpan(stage)));
  };
  for (const use of input.composeUses) {
    const stage = targetStage(parsed, use.target);
    if (!stage) continue;
    for (const tool of use.healthcheckTools) check(stage, tool, use.service);
  }
  // The Dockerfile's own HEALTHCHECK in the final stage, too.
  const final = parsed.stages[parsed.stages.length - 1];
  const own = final?.instructions.filter((i) => i.keyword === 'HEALTHCHECK').pop();
  if (final && own) {
    const cmdAt = own.words.findIndex((w) => w.text.toUpperCase() === 'CMD');
    if (cmdAt >= 0) {
      const rest = own.words.slice(cmdAt + 1);
      const restText = rest.map((w) => w.text).join(' ');
      let tools: string[];
      try {
        const json: unknown = restText.startsWith('[') ? JSON.parse(text.slice(rest[0]!.span.start, own.span.end)) : undefined;
        tools = Array.isArray(json) ? [String(json[0] === 'CMD-SHELL' ? json[1] : json[0]).split(/\s+/)[0]!.replace(/^.*\//, '')] : restText.split(/&&|\|\||;|\|/).map((s) => s.trim().split(/\s+/)[0]!.replace(/^.*\//, ''));
      } catch {
        tools = [];
      }
      for (const tool of new Set(tools.filter((t) => t === 'curl' || t === 'wget'))) check(final, tool, undefined, { start: own.keywordSpan.start, end: own.span.end });
    }
  }
  return findings;
}

function syntaxFindings(input: DockerfileRuleInput): Finding[] {
  return input.parsed.problems.map((problem) => finding('dockerfile-syntax', problem.message, problem.span));
}

type Rule = (input: DockerfileRuleInput) => Finding[];

const RULES: readonly Rule[] = [
  syntaxFindings,
  fromUnpinned,
  labelsMissing,
  workdirMissing,
  cmdShellForm,
  copyBeforeDeps,
  userRoot,
  aptNoCleanup,
  aptNoRecommends,
  addInsteadOfCopy,
  multipleCmd,
  exposeMissing,
  healthcheckToolMissing,
];

/** Runs every Dockerfile rule at its default level. */
export function runDockerfileRules(input: DockerfileRuleInput): Finding[] {
  return RULES.flatMap((rule) => rule(input));
}
