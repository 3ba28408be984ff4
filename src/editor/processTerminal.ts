import { spawn, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import * as vscode from 'vscode';
import { displayCommand } from '../core/docker/composeCommand';

/** What a process terminal runs: a program and its arguments as an array (never a shell string). */
export interface ProcessInvocation {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: vscode.Uri;
  /** Variables set (a string) or removed (null) for this process, over the extension host's environment. */
  readonly env?: Readonly<Record<string, string | null>>;
}

export interface ProcessTerminalOptions extends ProcessInvocation {
  readonly name: string;
  /** Called once when the process has ended: its exit code, or undefined when it could not start or was killed. */
  readonly onExit?: (code: number | undefined) => void;
}

/** The process terminals whose program still runs: the extension stops them when it stops (see `runningPrograms`). */
const running = new Set<ProcessPty>();

/**
 * Owned by the extension's context: programs we spawned would outlive the extension host otherwise (a terminal
 * running a program directly is the workbench's to stop; ours are not).
 */
export const runningPrograms: vscode.Disposable = {
  dispose: () => {
    for (const pty of [...running]) pty.close();
  },
};

/**
 * The pseudoterminal behind a process terminal. Tests read `invocation` from `terminal.creationOptions.pty`
 * to see exactly what runs.
 */
export class ProcessPty implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;
  private child: ChildProcess | undefined;
  private ended = false;
  private resolveExited: (code: number | undefined) => void = () => undefined;
  /** Settles when the process has ended: its exit code, or undefined when it could not start or was killed. */
  readonly exited = new Promise<number | undefined>((resolve) => (this.resolveExited = resolve));

  constructor(
    readonly invocation: ProcessInvocation,
    private readonly onExit?: (code: number | undefined) => void,
  ) {}

  open(): void {
    const { command, args, cwd } = this.invocation;
    this.write(`\x1b[2m$ ${displayCommand({ command, args })}\x1b[0m\n`);
    const notStarted = (error: unknown) => this.finish(undefined, vscode.l10n.t('{0} could not be started: {1}', command, error instanceof Error ? error.message : String(error)));
    let child: ChildProcess;
    try {
      child = spawn(command, [...args], { cwd: cwd?.fsPath, env: withEnvOverrides(this.invocation.env), stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    } catch (error) {
      notStarted(error);
      return;
    }
    this.child = child;
    running.add(this);
    for (const stream of [child.stdout, child.stderr]) {
      const decoder = new StringDecoder('utf8');
      stream?.on('data', (chunk: Buffer) => this.write(decoder.write(chunk)));
      stream?.on('end', () => this.write(decoder.end()));
    }
    child.on('error', notStarted);
    child.on('close', (code, signal) =>
      this.finish(code ?? undefined, code !== null ? vscode.l10n.t('{0} exited with code {1}.', command, code) : vscode.l10n.t('{0} was stopped ({1}).', command, signal ?? '?')),
    );
  }

  /** Ctrl+C stops the process; once it has ended, any key closes the terminal. */
  handleInput(data: string): void {
    if (this.ended) this.closed.fire();
    else if (data === '\x03') this.child?.kill('SIGINT');
  }

  /** The user closed the terminal (or the extension stops): a process still running goes with it. */
  close(): void {
    if (!this.ended) this.child?.kill('SIGTERM');
    this.finish(undefined);
    this.written.dispose();
    this.closed.dispose();
  }

  private finish(code: number | undefined, message?: string): void {
    if (this.ended) return;
    this.ended = true;
    running.delete(this);
    // Unlike a terminal running the program directly, this one stays open: the output of a failed command
    // is what the user needs to read.
    if (message) this.write(`\n\x1b[${code === 0 ? '2' : '1'}m${message} ${vscode.l10n.t('Press any key to close this terminal.')}\x1b[0m\n`);
    this.onExit?.(code);
    this.resolveExited(code);
  }

  private write(text: string): void {
    if (text) this.written.fire(text.replace(/\r?\n/g, '\r\n'));
  }
}

/**
 * Runs a program in a terminal of its own that stays open after the program ends, with its exit code, until
 * the user presses a key or closes it. The program gets no TTY: Docker and Compose then print plain progress.
 */
export function openProcessTerminal(options: ProcessTerminalOptions): vscode.Terminal {
  const pty = new ProcessPty({ command: options.command, args: options.args, ...(options.cwd ? { cwd: options.cwd } : {}), ...(options.env ? { env: options.env } : {}) }, options.onExit);
  const terminal = vscode.window.createTerminal({ name: options.name, pty });
  terminal.show();
  return terminal;
}

/** The extension host's environment with variables set or removed (null). */
export function withEnvOverrides(overrides: ProcessInvocation['env']): NodeJS.ProcessEnv {
  if (!overrides) return process.env;
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null) delete env[key];
    else env[key] = value;
  }
  return env;
}
