import type { ErrorObject } from 'ajv';
import type validateType from './generated/composeValidator';

type ComposeValidate = typeof validateType;

let loaded: ComposeValidate | undefined;

/**
 * The compose-spec validator, precompiled at build time (scripts/generate/compose-schema.mjs). Loaded on
 * first use so starting the extension or the CLI does not pay for it when no compose file is checked.
 */
export function composeValidator(): ComposeValidate {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= (require('./generated/composeValidator') as { default: ComposeValidate }).default;
  return loaded;
}

/** Validates plain data against the compose schema; returns Ajv's errors in evaluation order (empty when valid). */
export function validateCompose(data: unknown): readonly ErrorObject[] {
  const validate = composeValidator();
  return validate(data) ? [] : [...(validate.errors ?? [])];
}
