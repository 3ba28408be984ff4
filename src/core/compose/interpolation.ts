import type { Span } from '../text/lineIndex';

/** The operator of a braced reference: `${VAR:-default}` is `:-`, `${VAR}` and `$VAR` have none. */
export type InterpolationOperator = ':-' | '-' | ':?' | '?' | ':+' | '+';

/** One `$VAR` or `${VAR...}` reference in a string. */
export interface VariableReference {
  readonly name: string;
  /** Offsets of the whole reference (`${...}` or `$VAR`) in the scanned text. */
  readonly span: Span;
  /** Offsets of the name alone. */
  readonly nameSpan: Span;
  readonly operator?: InterpolationOperator;
  /** The text after the operator (a default, an error message, or an alternative); may hold references. */
  readonly argument?: string;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/**
 * Finds the variable references of a string as Compose reads them: `$VAR`, `${VAR}`, `${VAR:-d}`, `${VAR-d}`,
 * `${VAR:?msg}`, `${VAR?msg}`, `${VAR:+alt}`, `${VAR+alt}`; `$$` is a literal dollar. References nested in a
 * default (`${A:-${B}}`) are returned too, after their outer reference. Offsets are relative to `text`.
 */
export function findVariableReferences(text: string, base = 0): VariableReference[] {
  const found: VariableReference[] = [];
  const ref = referenceCursor();
  for (let at = 0; nextTopLevelReference(text, at, text.length, ref); at = ref.end) {
    const name = text.slice(ref.nameStart, ref.nameEnd);
    const span = { start: base + ref.start, end: base + ref.end };
    const nameSpan = { start: base + ref.nameStart, end: base + ref.nameEnd };
    const operator = ref.operator;
    if (operator === undefined) {
      found.push({ name, span, nameSpan });
      continue;
    }
    // The argument runs from after the operator to the closing brace; references nested in it follow their parent.
    const argumentStart = ref.nameEnd + operator.length;
    const argument = text.slice(argumentStart, ref.end - 1);
    found.push({ name, span, nameSpan, operator, argument });
    if (argument) found.push(...findVariableReferences(argument, base + argumentStart));
  }
  return found;
}

/**
 * Where `nextTopLevelReference` found a reference: offsets in the scanned text. One object is filled again by
 * every call, so a scan allocates nothing; copy what you keep.
 */
export interface ReferenceCursor {
  /** The `$`. */
  start: number;
  /** Just after the reference (`}` or the name's last character). */
  end: number;
  nameStart: number;
  nameEnd: number;
  operator: InterpolationOperator | undefined;
}

/** A cursor to pass to `nextTopLevelReference`. */
export function referenceCursor(): ReferenceCursor {
  return { start: 0, end: 0, nameStart: 0, nameEnd: 0, operator: undefined };
}

/**
 * Finds the first top-level reference in `text` from `from` to `to`, exactly as `findVariableReferences`
 * reads `text.slice(from, to)` without the references nested in another's argument, and writes it into
 * `found`. Returns false when there is none. Scan on from `found.end`. No slices, no objects: `env-undefined`
 * runs it on every scalar of a file that holds a `$`, and most references it meets have a default it skips.
 */
export function nextTopLevelReference(text: string, from: number, to: number, found: ReferenceCursor): boolean {
  let i = from;
  while (i < to) {
    i = text.indexOf('$', i);
    if (i < 0 || i >= to) return false;
    const next = i + 1 < to ? text.charCodeAt(i + 1) : Number.NaN;
    if (next === DOLLAR) {
      i += 2;
      continue;
    }
    if (next === OPEN_BRACE) {
      const close = matchingBrace(text, i + 1, to);
      if (close < 0) {
        i++;
        continue;
      }
      const nameStart = i + 2;
      let nameEnd = nameStart;
      if (nameEnd < close && isNameStart(text.charCodeAt(nameEnd))) {
        nameEnd++;
        while (nameEnd < close && isNameChar(text.charCodeAt(nameEnd))) nameEnd++;
        const op = operatorAt(text, nameEnd, close);
        if (op !== undefined || nameEnd === close) {
          found.start = i;
          found.end = close + 1;
          found.nameStart = nameStart;
          found.nameEnd = nameEnd;
          found.operator = op;
          return true;
        }
      }
      i = close + 1;
      continue;
    }
    if (isNameStart(next)) {
      let end = i + 2;
      while (end < to && isNameChar(text.charCodeAt(end))) end++;
      found.start = i;
      found.end = end;
      found.nameStart = i + 1;
      found.nameEnd = end;
      found.operator = undefined;
      return true;
    }
    i++;
  }
  return false;
}

const DOLLAR = 36;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const COLON = 58;

/** `[A-Za-z_]` */
function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** `[A-Za-z0-9_]` */
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

/** The operator starting at `at` (before `end`): `:-`, `:?`, `:+`, `-`, `?` or `+`. */
function operatorAt(text: string, at: number, end: number): InterpolationOperator | undefined {
  if (at >= end) return undefined;
  const c = text.charCodeAt(at);
  if (c === COLON) {
    if (at + 1 >= end) return undefined;
    const d = text.charCodeAt(at + 1);
    return d === 45 ? ':-' : d === 63 ? ':?' : d === 43 ? ':+' : undefined;
  }
  return c === 45 ? '-' : c === 63 ? '?' : c === 43 ? '+' : undefined;
}

function matchingBrace(text: string, open: number, end = text.length): number {
  let depth = 0;
  for (let j = open; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c === OPEN_BRACE) depth++;
    else if (c === CLOSE_BRACE && --depth === 0) return j;
  }
  return -1;
}

/** What interpolation found missing: a required variable (`:?`/`?`) or a plain one without default. */
export interface UnresolvedVariable {
  readonly name: string;
  readonly required: boolean;
  readonly message?: string;
}

export interface Interpolated {
  readonly value: string;
  readonly unresolved: readonly UnresolvedVariable[];
}

/**
 * Interpolates a string with a lookup (undefined = unset). Unset variables without a default become the
 * empty string, as Compose does (it warns); `$$` becomes `$`.
 */
export function interpolate(text: string, lookup: (name: string) => string | undefined): Interpolated {
  const unresolved: UnresolvedVariable[] = [];
  const expand = (input: string): string => {
    let out = '';
    let i = 0;
    while (i < input.length) {
      const c = input[i];
      if (c !== '$') {
        out += c;
        i++;
        continue;
      }
      const next = input[i + 1];
      if (next === '$') {
        out += '$';
        i += 2;
        continue;
      }
      if (next === '{') {
        const close = matchingBrace(input, i + 1);
        if (close < 0) {
          out += input.slice(i);
          break;
        }
        out += expandBraced(input.slice(i + 2, close));
        i = close + 1;
        continue;
      }
      if (next !== undefined && NAME_START.test(next)) {
        let end = i + 2;
        while (end < input.length && NAME_CHAR.test(input[end] ?? '')) end++;
        const name = input.slice(i + 1, end);
        const value = lookup(name);
        if (value === undefined) unresolved.push({ name, required: false });
        out += value ?? '';
        i = end;
        continue;
      }
      out += c;
      i++;
    }
    return out;
  };
  const expandBraced = (inner: string): string => {
    const nameMatch = /^[A-Za-z_][A-Za-z0-9_]*/.exec(inner);
    if (!nameMatch) return '${' + inner + '}';
    const name = nameMatch[0];
    const rest = inner.slice(name.length);
    const op = /^(:-|:\?|:\+|-|\?|\+)/.exec(rest)?.[0];
    const argument = op ? rest.slice(op.length) : '';
    const value = lookup(name);
    switch (op) {
      case ':-':
        return value === undefined || value === '' ? expand(argument) : value;
      case '-':
        return value === undefined ? expand(argument) : value;
      case ':?':
      case '?':
        if (value === undefined || (op === ':?' && value === '')) {
          unresolved.push({ name, required: true, message: expand(argument) });
          return '';
        }
        return value;
      case ':+':
        return value === undefined || value === '' ? '' : expand(argument);
      case '+':
        return value === undefined ? '' : expand(argument);
      default:
        if (rest !== '') return '${' + inner + '}';
        if (value === undefined) unresolved.push({ name, required: false });
        return value ?? '';
    }
  };
  return { value: expand(text), unresolved };
}
