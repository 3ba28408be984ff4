// Types for the generated standalone validator (composeValidator.js, written by scripts/generate/compose-schema.mjs).
import type { ErrorObject } from 'ajv';

interface ComposeValidateFunction {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

declare const validate: ComposeValidateFunction;
export default validate;
