import type { Span } from '../text/lineIndex';
import { splitWords, type Instruction } from './parse';

/** A piece of shell a RUN executes, with a way back to source offsets. */
export interface ShellSource {
  readonly text: string;
  /** Source offset of `text[i]`, or undefined when the text cannot be mapped back (then fixes are not offered). */
  offsetAt(i: number): number | undefined;
  /** The source offset just after the shell text, where a command can be appended (shell form only). */
  readonly appendAt?: number;
}

export interface ShellCommand {
  readonly source: ShellSource;
  /** Words of the command (`apt-get`, `install`, `-y`, `curl`) with index ranges into the source text. */
  readonly words: readonly { readonly text: string; readonly start: number; readonly end: number }[];
}

/** The shell texts of a RUN: its shell-form arguments and each heredoc body. JSON-form RUNs give none. */
export function shellSources(instruction: Instruction, sourceText: string): ShellSource[] {
  if (instruction.json) return [];
  const sources: ShellSource[] = [];
  const firstWord = instruction.words[0];
  if (firstWord) {
    const startIndex = instruction.argOffsets.indexOf(firstWord.span.start);
    const shell = instruction.args.slice(startIndex);
    const offsets = instruction.argOffsets.slice(startIndex);
    const last = instruction.words[instruction.words.length - 1]!;
    sources.push({
      text: shell,
      offsetAt: (i) => offsets[i] ?? (i === offsets.length ? last.span.end : undefined),
      ...(instruction.heredocs.length === 0 ? { appendAt: last.span.end } : {}),
    });
  }
  for (const heredoc of instruction.heredocs) {
    const mapsDirectly = sourceText.slice(heredoc.bodySpan.start, heredoc.bodySpan.start + heredoc.body.length) === heredoc.body;
    sources.push({ text: heredoc.body, offsetAt: (i) => (mapsDirectly ? heredoc.bodySpan.start + i : undefined) });
  }
  return sources;
}

const WRAPPERS = new Set(['sudo', 'exec', 'command', 'nice', 'env']);

/** Splits shell text into simple commands at `&&`, `||`, `;`, `|`, `&` and newlines; drops env prefixes and wrappers. */
export function shellCommands(source: ShellSource): ShellCommand[] {
  const commands: ShellCommand[] = [];
  const separator = /&&|\|\||[;|&\n()]/g;
  let segmentStart = 0;
  const pushSegment = (end: number) => {
    const segment = source.text.slice(segmentStart, end);
    const words = splitWords(segment).map((r) => ({ text: segment.slice(r.start, r.end), start: segmentStart + r.start, end: segmentStart + r.end }));
    let i = 0;
    while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!.text) || WRAPPERS.has(words[i]!.text))) i++;
    const rest = words.slice(i).filter((w) => w.text !== '\\');
    if (rest.length > 0) commands.push({ source, words: rest });
  };
  for (const match of source.text.matchAll(separator)) {
    pushSegment(match.index ?? 0);
    segmentStart = (match.index ?? 0) + match[0].length;
  }
  pushSegment(source.text.length);
  return commands;
}

/** The source span of a command word, if it maps back. */
export function wordSpan(command: ShellCommand, word: { start: number; end: number }): Span | undefined {
  const start = command.source.offsetAt(word.start);
  const last = command.source.offsetAt(word.end - 1);
  return start === undefined || last === undefined ? undefined : { start, end: last + 1 };
}

/** `apt-get install`/`apt install`: returns the index of the `install` word, or -1. */
export function aptInstallIndex(command: ShellCommand): number {
  const tool = command.words[0]?.text;
  if (tool !== 'apt-get' && tool !== 'apt') return -1;
  return command.words.findIndex((w, i) => i > 0 && w.text === 'install');
}

/** Package names a package-manager command installs (`apt-get install -y curl`, `apk add --no-cache wget`, `dnf install curl`). */
export function installedPackages(command: ShellCommand): string[] {
  const words = command.words.map((w) => w.text);
  const tool = words[0];
  const verbs: Record<string, string[]> = { 'apt-get': ['install'], apt: ['install'], apk: ['add'], yum: ['install'], dnf: ['install'], microdnf: ['install'] };
  const verbList = tool ? verbs[tool] : undefined;
  if (!verbList) return [];
  const verbAt = words.findIndex((w, i) => i > 0 && verbList.includes(w));
  if (verbAt < 0) return [];
  return words.slice(verbAt + 1).filter((w) => !w.startsWith('-')).map((w) => w.replace(/[=<>].*$/, ''));
}
