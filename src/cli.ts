import { runCli } from './cli/main';

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`compose-blueprint: ${String(error)}\n`);
    process.exitCode = 2;
  },
);
