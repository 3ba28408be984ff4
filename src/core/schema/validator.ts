import type { ErrorObject } from 'ajv';
import type checkType from './generated/composeCheck';
import type validateType from './generated/composeValidator';

type ComposeValidate = typeof validateType;
type ComposeCheck = typeof checkType;

let loaded: ComposeValidate | undefined;
let loadedCheck: ComposeCheck | undefined;

/**
 * The compose-spec validator, precompiled at build time (scripts/generate/compose-schema.mjs): every error,
 * verbose. Loaded on first use so starting the extension or the CLI does not pay for it when no compose
 * file is checked, and a session that only sees valid files never loads it.
 */
export function composeValidator(): ComposeValidate {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= (require('./generated/composeValidator') as { default: ComposeValidate }).default;
  return loaded;
}

/**
 * Whether data is valid against the compose schema, without building any error: the same answer as
 * `composeValidator()`, generated from the same schema with Ajv's first-error code, rewritten to allocate
 * nothing for the errors of `oneOf` branches that do not match (see scripts/generate/compose-schema.mjs).
 */
export function composeCheck(): ComposeCheck {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loadedCheck ??= (require('./generated/composeCheck') as { default: ComposeCheck }).default;
  return loadedCheck;
}

/**
 * Validates plain data against the compose schema; returns Ajv's errors in evaluation order (empty when valid).
 * Valid data (most files, most of the time) costs only the check; the full validator runs when it fails.
 */
export function validateCompose(data: unknown): readonly ErrorObject[] {
  if (composeCheck()(data)) return [];
  const validate = composeValidator();
  return validate(data) ? [] : [...(validate.errors ?? [])];
}
