/** A half-open range of UTF-16 offsets into a text, as VS Code and `yaml` count them. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A zero-based line and UTF-16 column. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

/**
 * Converts offsets to line/column and back. Built once per text; lookups are a binary search,
 * so adapters can keep offsets everywhere and convert only at the edge.
 */
export class LineIndex {
  /** A typed array: one allocation outside the JS heap instead of a growing array of 40,000 numbers for a large file. */
  private readonly lineStarts: Uint32Array;

  constructor(readonly text: string) {
    this.lineStarts = text.includes('\r') ? lineStartsWithCarriageReturns(text) : lineStartsLf(text);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - (this.lineStarts[low] ?? 0) };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line] ?? 0;
    const next = this.lineStarts[position.line + 1] ?? this.text.length + 1;
    return Math.min(start + Math.max(0, position.character), next - 1, this.text.length);
  }

  /** Offset of the first character of a line (the line is clamped to the text). */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line, this.lineStarts.length - 1))] ?? 0;
  }
}

/** Line starts of a text with `\n` breaks only: `indexOf` jumps from break to break (most files, and the fast path). */
function lineStartsLf(text: string): Uint32Array {
  let count = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  const starts = new Uint32Array(count);
  let line = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts[line++] = at + 1;
  return starts;
}

/** Line starts when `\r\n` or a lone `\r` also breaks lines (as VS Code counts them). */
function lineStartsWithCarriageReturns(text: string): Uint32Array {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 /* \n */) starts.push(i + 1);
    else if (c === 13 /* \r */ && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
  }
  return Uint32Array.from(starts);
}
