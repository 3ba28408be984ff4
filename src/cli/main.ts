import { LINT_USAGE, runLint } from './lint';
import type * as MapCommand from './map';
import type { OptimizerBudget } from './optimizer';
import type * as ScaffoldCommands from './scaffold';

// `new`, `add` and `map` are loaded when run: a lint (the command CI runs, often) does not evaluate them.
/* eslint-disable @typescript-eslint/no-require-imports */
const scaffold = (): typeof ScaffoldCommands => require('./scaffold') as typeof ScaffoldCommands;
const map = (): typeof MapCommand => require('./map') as typeof MapCommand;
/* eslint-enable @typescript-eslint/no-require-imports */

/** What a CLI command may touch of the process; tests pass their own. */
export interface CliIo {
  readonly cwd: string;
  out(text: string): void;
  err(text: string): void;
  /** The bin entry's: a lint runs without V8's optimizing compiler while its input is small (see optimizer.ts). */
  readonly optimizer?: OptimizerBudget;
}

const USAGE = `Usage: compose-blueprint <command> [options]

Commands:
  lint [paths...]    check compose files against the compose schema and the architecture's rules
  new <dir>          create a project in the standard architecture from a preset or chosen services
  add <dir> <svc>    add a catalogue service (or your own) to a project, keeping its formatting
  map [dir]          print the project's architecture map as a Mermaid flowchart or an SVG

Run "compose-blueprint <command> --help" for a command's options.
${LINT_USAGE}`;

type Command = (args: readonly string[], io: CliIo) => number | Promise<number>;

/** Commands by name. Each returns its exit status; none calls process.exit. */
const commands: Record<string, Command> = {
  lint: runLint,
  new: (args, io) => scaffold().runNew(args, io),
  add: (args, io) => scaffold().runAdd(args, io),
  map: (args, io) => map().runMap(args, io),
};

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE + '\n');
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    io.err(`Unknown command "${name}".\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    io.err(`compose-blueprint ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  }
}
