// Types for the generated validity check (composeCheck.js, written by scripts/generate/compose-schema.mjs).

interface ComposeCheckFunction {
  /** True when the data is valid against the compose schema: the same answer as composeValidator.js. */
  (data: unknown): boolean;
  /** How many errors it counted before it stopped (no error objects: composeValidator.js reports them). */
  errors?: number;
}

declare const check: ComposeCheckFunction;
export default check;
