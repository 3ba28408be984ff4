import { runCli } from './cli/main';
import { writeStderr, writeStdout } from './cli/stdio';

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  out: writeStdout,
  err: writeStderr,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    writeStderr(`compose-blueprint: ${String(error)}\n`);
    process.exitCode = 2;
  },
);
