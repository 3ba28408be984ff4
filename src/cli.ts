import { runCli } from './cli/main';
import { LINT_TURBOFAN_THRESHOLD_CHARS, OptimizerBudget } from './cli/optimizer';
import { writeStderr, writeStdout } from './cli/stdio';

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
