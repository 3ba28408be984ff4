import { runCli } from './cli/main';
import { LINT_TURBOFAN_THRESHOLD_CHARS, OptimizerBudget } from './cli/optimizer';
import { writeStderr, writeStdout } from './cli/stdio';
import { compileSchemaValidators } from './core/schema/validator';

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  out: writeStdout,
  err: writeStderr,
  optimizer: new OptimizerBudget(LINT_TURBOFAN_THRESHOLD_CHARS),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    writeStderr(`compose-blueprint: ${String(error)}\n`);
    process.exitCode = 2;
  },
);

/**
 * Run by the production loader (src/cliLoader.ts) just before it writes the CLI's code cache, in the run that
 * writes it. A lint of a valid file runs only the schema's validity check, never the full validator; without
 * this, the cache such a run writes lacks the full validator's code, and every later lint of an invalid file
 * compiles it from source (about 35 ms at 200 services).
 */
export function prepareCodeCache(): void {
  compileSchemaValidators();
}
