import { msg, type Message } from '../message';
import type { Span } from '../text/lineIndex';

/** A word of an instruction's arguments with its place in the source (continuations make words non-contiguous in rare cases; the span covers first to last character). */
export interface Word {
  /** The word as written, quotes kept. */
  readonly text: string;
  readonly span: Span;
}

/** `--name=value` options before an instruction's arguments (`--from=build`, `--chown=app`, `--mount=...`). */
export interface Flag {
  readonly name: string;
  readonly value: string;
  readonly span: Span;
}

/** A here-document attached to RUN, COPY or ADD (`<<EOF`, `<<-EOF`, `<<"EOF"`). */
export interface Heredoc {
  readonly delimiter: string;
  /** `<<-` strips leading tabs from the body and the terminator. */
  readonly stripTabs: boolean;
  /** Quoted delimiters turn off variable expansion in the body. */
  readonly quoted: boolean;
  /** The `<<EOF` token on the instruction line. */
  readonly markerSpan: Span;
  /** The body, without the terminator line. */
  readonly body: string;
  readonly bodySpan: Span;
  readonly terminated: boolean;
}

export interface Instruction {
  /** Upper-cased keyword (`FROM`, `RUN`, ...). */
  readonly keyword: string;
  readonly keywordSpan: Span;
  /** From the keyword to the end of the last continuation line or heredoc terminator (no trailing newline). */
  readonly span: Span;
  /** The arguments as one logical line: continuations joined, comment lines inside continuations dropped, flags kept. */
  readonly args: string;
  /** Source offset of each character of `args` (same length as `args`). */
  readonly argOffsets: readonly number[];
  /** Whitespace-separated words of `args` after the flags, with source spans. */
  readonly words: readonly Word[];
  readonly flags: readonly Flag[];
  /** For CMD, ENTRYPOINT, RUN, SHELL, VOLUME, COPY, ADD, HEALTHCHECK: the parsed JSON array when written in exec (JSON) form. */
  readonly json?: readonly string[];
  readonly heredocs: readonly Heredoc[];
  /** Index of the stage the instruction belongs to; -1 before the first FROM. */
  readonly stage: number;
}

export interface Stage {
  readonly index: number;
  /** The `AS` name, lower-cased as BuildKit compares them. */
  readonly name?: string;
  readonly from: Instruction;
  /** The image reference as written (may contain `${ARG}`). */
  readonly image: Word;
  /** `--platform=` when given. */
  readonly platform?: string;
  /** Instructions of the stage after FROM. */
  readonly instructions: readonly Instruction[];
}

export interface Directive {
  readonly name: string;
  readonly value: string;
  readonly span: Span;
}

export interface Comment {
  readonly text: string;
  readonly span: Span;
}

export interface DockerfileProblem {
  readonly message: Message;
  readonly span: Span;
}

export interface ParsedDockerfile {
  readonly directives: readonly Directive[];
  /** `\` unless `# escape=` says `` ` ``. */
  readonly escape: string;
  readonly instructions: readonly Instruction[];
  /** ARG instructions before the first FROM: name -> default value (undefined when declared without one). */
  readonly globalArgs: ReadonlyMap<string, string | undefined>;
  readonly stages: readonly Stage[];
  readonly comments: readonly Comment[];
  readonly problems: readonly DockerfileProblem[];
}

export const KNOWN_INSTRUCTIONS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

const JSON_FORM = new Set(['CMD', 'ENTRYPOINT', 'RUN', 'SHELL', 'VOLUME', 'COPY', 'ADD']);
const FLAG_INSTRUCTIONS = new Set(['FROM', 'RUN', 'COPY', 'ADD', 'HEALTHCHECK']);
const HEREDOC_INSTRUCTIONS = new Set(['RUN', 'COPY', 'ADD']);
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const DIRECTIVE_LINE = /^#\s*([a-zA-Z][a-zA-Z0-9_-]*)\s*=\s*(.*?)\s*$/;
const HEREDOC_MARKER = /<<(-?)(?:"([^"\s]+)"|'([^'\s]+)'|([A-Za-z_][A-Za-z0-9_]*))/g;

interface PhysicalLine {
  readonly start: number;
  /** End of the line's content, before the line break. */
  readonly end: number;
  readonly text: string;
}

function splitLines(text: string): PhysicalLine[] {
  const lines: PhysicalLine[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text.charCodeAt(i);
    if (i === text.length || c === 10 || c === 13) {
      lines.push({ start, end: i, text: text.slice(start, i) });
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  if (lines.length > 0 && lines[lines.length - 1]!.text === '' && text.length > 0 && lines[lines.length - 1]!.start === text.length) lines.pop();
  return lines;
}

const isBlank = (s: string): boolean => s.trim() === '';
const isCommentLine = (s: string): boolean => /^\s*#/.test(s);

/**
 * Splits logical arguments into words, honouring quotes so `LABEL description="a b"` stays one word.
 * Returns index ranges into `args`.
 */
export function splitWords(args: string, escape = '\\'): { start: number; end: number }[] {
  const words: { start: number; end: number }[] = [];
  let i = 0;
  while (i < args.length) {
    while (i < args.length && /\s/.test(args[i]!)) i++;
    if (i >= args.length) break;
    const start = i;
    let quote: string | undefined;
    while (i < args.length) {
      const c = args[i]!;
      if (c === escape && quote !== "'" && i + 1 < args.length) {
        i += 2;
        continue;
      }
      if (quote) {
        if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (/\s/.test(c)) break;
      i++;
    }
    words.push({ start, end: i });
  }
  return words;
}

function parseJsonArray(args: string): string[] | undefined {
  const trimmed = args.trim();
  if (!trimmed.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  } catch {
    // Not JSON: Docker then runs it in shell form, which rules point out.
  }
  return undefined;
}

/**
 * Parses a Dockerfile into instructions, stages, directives and comments, keeping source offsets.
 * Follows BuildKit's reading: parser directives only at the very top, the escape character they set,
 * line continuations (with comment and blank lines inside them dropped), heredocs on RUN/COPY/ADD
 * (several per line, `<<-` and quoted delimiters). Never throws: what it cannot read becomes a problem.
 */
export function parseDockerfile(text: string): ParsedDockerfile {
  const lines = splitLines(text);
  const directives: Directive[] = [];
  const comments: Comment[] = [];
  const problems: DockerfileProblem[] = [];
  const instructions: Instruction[] = [];
  let escape = '\\';

  let lineIndex = 0;
  // Parser directives: consecutive `# key=value` comments at the very top; anything else ends them.
  const seenDirectives = new Set<string>();
  for (; lineIndex < lines.length; lineIndex++) {
    const line = lines[lineIndex]!;
    const match = DIRECTIVE_LINE.exec(line.text);
    if (!match) break;
    const name = match[1]!.toLowerCase();
    if (!KNOWN_DIRECTIVES.has(name) || seenDirectives.has(name)) break;
    seenDirectives.add(name);
    const value = match[2]!;
    directives.push({ name, value, span: { start: line.start, end: line.end } });
    comments.push({ text: line.text, span: { start: line.start, end: line.end } });
    if (name === 'escape') {
      if (value === '\\' || value === '`') escape = value;
      else problems.push({ message: msg('The escape directive accepts only \\ or `, not "{0}".', value), span: { start: line.start, end: line.end } });
    }
  }

  let stage = -1;
  while (lineIndex < lines.length) {
    const line = lines[lineIndex]!;
    if (isBlank(line.text)) {
      lineIndex++;
      continue;
    }
    if (isCommentLine(line.text)) {
      comments.push({ text: line.text.trim(), span: { start: line.start + line.text.indexOf('#'), end: line.end } });
      lineIndex++;
      continue;
    }
    const keywordMatch = /^(\s*)([A-Za-z][A-Za-z0-9]*)/.exec(line.text);
    if (!keywordMatch) {
      problems.push({ message: msg('This line is not a Dockerfile instruction.'), span: { start: line.start, end: line.end } });
      lineIndex++;
      continue;
    }
    const keyword = keywordMatch[2]!.toUpperCase();
    const keywordStart = line.start + keywordMatch[1]!.length;
    const keywordSpan = { start: keywordStart, end: keywordStart + keywordMatch[2]!.length };

    // Gather the logical line: continuation lines end with the escape character.
    let args = '';
    const argOffsets: number[] = [];
    let end: number;
    let segmentStart = keywordSpan.end;
    let current = line;
    for (;;) {
      const content = text.slice(segmentStart, current.end);
      const trimmedEnd = content.replace(/[ \t]+$/, '');
      const continued = trimmedEnd.endsWith(escape);
      const kept = continued ? trimmedEnd.slice(0, -1) : content;
      for (let k = 0; k < kept.length; k++) {
        args += kept[k];
        argOffsets.push(segmentStart + k);
      }
      end = continued ? current.start + current.text.replace(/[ \t]+$/, '').length : current.end;
      if (!continued) break;
      // Skip comment and blank lines inside the continuation, as BuildKit does.
      let next = lineIndex + 1;
      while (next < lines.length && (isCommentLine(lines[next]!.text) || isBlank(lines[next]!.text))) {
        if (isCommentLine(lines[next]!.text)) {
          const l = lines[next]!;
          comments.push({ text: l.text.trim(), span: { start: l.start + l.text.indexOf('#'), end: l.end } });
        }
        next++;
      }
      if (next >= lines.length) break;
      lineIndex = next;
      current = lines[next]!;
      segmentStart = current.start;
    }
    lineIndex++;

    // Heredocs: bodies follow the logical line, in the order of their markers.
    const heredocs: Heredoc[] = [];
    if (HEREDOC_INSTRUCTIONS.has(keyword)) {
      for (const marker of args.matchAll(HEREDOC_MARKER)) {
        const at = marker.index ?? 0;
        if (args[at - 1] === '<') continue; // `<<<` is a here-string
        const delimiter = marker[2] ?? marker[3] ?? marker[4] ?? '';
        const stripTabs = marker[1] === '-';
        const markerSpan = { start: argOffsets[at]!, end: argOffsets[at + marker[0].length - 1]! + 1 };
        const bodyStart = lineIndex < lines.length ? lines[lineIndex]!.start : text.length;
        let body = '';
        let bodyEnd = bodyStart;
        let terminated = false;
        while (lineIndex < lines.length) {
          const bodyLine = lines[lineIndex]!;
          lineIndex++;
          const candidate = stripTabs ? bodyLine.text.replace(/^\t+/, '') : bodyLine.text;
          if (candidate === delimiter) {
            terminated = true;
            end = bodyLine.end;
            break;
          }
          body += candidate + '\n';
          bodyEnd = bodyLine.end;
          end = bodyLine.end;
        }
        if (!terminated) {
          problems.push({ message: msg('The heredoc {0} is never closed: add a line with just {1}.', marker[0], delimiter), span: markerSpan });
        }
        heredocs.push({ delimiter, stripTabs, quoted: marker[2] !== undefined || marker[3] !== undefined, markerSpan, body, bodySpan: { start: bodyStart, end: Math.max(bodyStart, bodyEnd) }, terminated });
      }
    }

    // Flags (`--name=value`) come first; the rest are words.
    const ranges = splitWords(args, escape);
    const flags: Flag[] = [];
    let firstWord = 0;
    const toSpan = (r: { start: number; end: number }): Span => ({ start: argOffsets[r.start]!, end: argOffsets[r.end - 1]! + 1 });
    while (FLAG_INSTRUCTIONS.has(keyword) && firstWord < ranges.length) {
      const r = ranges[firstWord]!;
      const word = args.slice(r.start, r.end);
      if (!word.startsWith('--') || word === '--') break;
      const eq = word.indexOf('=');
      flags.push({ name: (eq < 0 ? word.slice(2) : word.slice(2, eq)).toLowerCase(), value: eq < 0 ? '' : word.slice(eq + 1), span: toSpan(r) });
      firstWord++;
    }
    const words = ranges.slice(firstWord).map((r) => ({ text: args.slice(r.start, r.end), span: toSpan(r) }));
    const restStart = ranges[firstWord]?.start ?? args.length;
    const json = JSON_FORM.has(keyword) || keyword === 'HEALTHCHECK' ? parseJsonArray(args.slice(restStart)) : undefined;

    if (!KNOWN_INSTRUCTIONS.has(keyword)) {
      problems.push({ message: msg('Unknown instruction {0}.', keywordMatch[2]!), span: keywordSpan });
    }
    if (keyword === 'FROM') stage++;
    else if (stage < 0 && keyword !== 'ARG' && KNOWN_INSTRUCTIONS.has(keyword)) {
      problems.push({ message: msg('{0} comes before the first FROM: only ARG may.', keyword), span: keywordSpan });
    }
    instructions.push({
      keyword,
      keywordSpan,
      span: { start: keywordSpan.start, end },
      args,
      argOffsets,
      words,
      flags,
      ...(json ? { json } : {}),
      heredocs,
      stage,
    });
  }

  const globalArgs = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.stage < 0 && instruction.keyword === 'ARG') {
      for (const [name, value] of argDeclarations(instruction)) globalArgs.set(name, value);
    }
    if (instruction.keyword === 'FROM') {
      const [image, as, name] = instruction.words;
      if (!image) {
        problems.push({ message: msg('FROM needs an image.'), span: instruction.keywordSpan });
      }
      const platform = instruction.flags.find((f) => f.name === 'platform')?.value;
      const stageName = as && as.text.toLowerCase() === 'as' && name ? name.text.toLowerCase() : undefined;
      stages.push({
        index: stages.length,
        ...(stageName !== undefined ? { name: stageName } : {}),
        from: instruction,
        image: image ?? { text: '', span: instruction.keywordSpan },
        ...(platform !== undefined ? { platform } : {}),
        instructions: [],
      });
    } else if (instruction.stage >= 0) {
      (stages[instruction.stage]!.instructions as Instruction[]).push(instruction);
    }
  }

  return { directives, escape, instructions, globalArgs, stages, comments, problems };
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) return value.slice(1, -1);
  return value;
}

/** `ARG name[=default]` declarations of one instruction (ARG accepts several). */
export function argDeclarations(instruction: Instruction): [string, string | undefined][] {
  return instruction.words.map((word) => {
    const eq = word.text.indexOf('=');
    return eq < 0 ? [word.text, undefined] : [word.text.slice(0, eq), unquote(word.text.slice(eq + 1))];
  });
}

/** `KEY=value` pairs of LABEL or ENV (ENV's legacy `ENV KEY value` form too). Values are unquoted. */
export function keyValuePairs(instruction: Instruction): { key: string; value: string; span: Span }[] {
  const words = instruction.words;
  if (words.length > 0 && !words[0]!.text.includes('=')) {
    // Legacy `ENV KEY value with spaces` / `LABEL key value`.
    const first = words[0]!;
    const rest = words.slice(1);
    const value = rest.map((w) => w.text).join(' ');
    return [{ key: unquote(first.text), value: unquote(value), span: { start: first.span.start, end: (rest[rest.length - 1] ?? first).span.end } }];
  }
  return words.flatMap((word) => {
    const eq = word.text.indexOf('=');
    if (eq < 0) return [];
    return [{ key: unquote(word.text.slice(0, eq)), value: unquote(word.text.slice(eq + 1)), span: word.span }];
  });
}

/**
 * Substitutes `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alt}` from `values`. Returns undefined when a
 * variable has no known value, so callers can say "cannot tell" instead of guessing.
 */
export function substituteVariables(value: string, values: ReadonlyMap<string, string | undefined>): string | undefined {
  let unknown = false;
  const result = value.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_whole, braced?: string, op?: string, operand?: string, bare?: string) => {
    const name = (braced ?? bare)!;
    const current = values.get(name);
    const isSet = current !== undefined && (op?.startsWith(':') ? current !== '' : true);
    if (op?.endsWith('-')) return isSet ? current : (operand ?? '');
    if (op?.endsWith('+')) return isSet ? (operand ?? '') : '';
    if (current === undefined) {
      unknown = true;
      return '';
    }
    return current;
  });
  return unknown ? undefined : result;
}
