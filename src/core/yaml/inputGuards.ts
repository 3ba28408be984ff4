import { msg, type Message } from '../message';
import type { Span } from '../text/lineIndex';

/**
 * Above this many UTF-16 code units a file is not parsed: real compose files are far smaller (1,000 services
 * in the architecture's style are about 1.3 MB and check in about 0.2 s), and the editor must never freeze
 * on a log dump that happens to be called docker-compose.yml.
 */
export const DEFAULT_MAX_CHECK_LENGTH = 4 * 1024 * 1024;

export interface InputProblem {
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: Message;
  readonly span: Span;
}

export interface InputInspection {
  readonly problems: readonly InputProblem[];
  /** True when the text must not be parsed at all (binary, or too large). */
  readonly skip: boolean;
}

/**
 * Looks at a text before it is parsed: binary content (NUL bytes), text that was not valid UTF-8 when
 * decoded (U+FFFD replacement characters), and files too large to check. Runs in one pass over the text.
 */
export function inspectInput(text: string, maxLength = DEFAULT_MAX_CHECK_LENGTH): InputInspection {
  if (text.length > maxLength) {
    return {
      skip: true,
      problems: [
        {
          severity: 'info',
          message: msg('Not checked: the file is {0} MB, above the {1} MB limit for compose files.', (text.length / 1048576).toFixed(1), Math.round(maxLength / 1048576)),
          span: { start: 0, end: 0 },
        },
      ],
    };
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    return {
      skip: true,
      problems: [{ severity: 'error', message: msg('This file contains NUL bytes: it is binary, not a YAML text file, and was not checked.'), span: { start: nul, end: nul + 1 } }],
    };
  }
  const replacement = text.indexOf('\uFFFD');
  if (replacement >= 0) {
    let count = 0;
    for (let i = replacement; i >= 0; i = text.indexOf('\uFFFD', i + 1)) count++;
    return {
      skip: false,
      problems: [
        {
          severity: 'error',
          message: msg('This file is not valid UTF-8 ({0} undecodable characters); Compose reads compose files as UTF-8. Save it as UTF-8.', count),
          span: { start: replacement, end: replacement + 1 },
        },
      ],
    };
  }
  return { skip: false, problems: [] };
}
