import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { openProcessTerminal, runningPrograms, type ProcessPty } from '../../../src/editor/processTerminal';
import { waitFor } from './helpers';

// The terminal every Docker and Compose action runs in, in the real editor: the program runs from an argument
// array, its terminal stays open after it ends (a terminal running the program directly closes at its exit,
// taking a failed command's output with it), any key then closes it, and closing it stops a running program.

/** Runs a Node script (the extension host's own runtime) in a process terminal. */
function node(name: string, script: string, env?: Record<string, string | null>): { terminal: vscode.Terminal; pty: ProcessPty } {
  const terminal = openProcessTerminal({ name, command: process.execPath, args: ['-e', script], env: { ELECTRON_RUN_AS_NODE: '1', ...env } });
  return { terminal, pty: (terminal.creationOptions as vscode.ExtensionTerminalOptions).pty as unknown as ProcessPty };
}

const isOpen = (terminal: vscode.Terminal) => vscode.window.terminals.includes(terminal) && terminal.exitStatus === undefined;

function closing(terminal: vscode.Terminal): Promise<void> {
  return new Promise((resolve) => {
    const subscription = vscode.window.onDidCloseTerminal((closed) => {
      if (closed !== terminal) return;
      subscription.dispose();
      resolve();
    });
  });
}

suite('Process terminals: Docker and Compose actions keep their output', function () {
  this.timeout(60_000);

  test('a program that fails: its exit code, and the terminal stays open until a key is pressed', async () => {
    const { terminal, pty } = node('bp-test: fails', "console.log('out'); console.error('err'); process.exit(3)");
    assert.equal(await pty.exited, 3);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.ok(isOpen(terminal), 'the terminal is still open after the program ended');
    const closed = closing(terminal);
    terminal.sendText('x', false);
    await closed;
    assert.ok(!vscode.window.terminals.includes(terminal), 'a key closed it');
  });

  test('variables are set and removed for the program only', async () => {
    process.env.BP_TEST_REMOVED = 'present';
    try {
      const script = "process.exit(process.env.BP_TEST_SET === 'yes' && process.env.BP_TEST_REMOVED === undefined ? 0 : 9)";
      const { terminal, pty } = node('bp-test: env', script, { BP_TEST_SET: 'yes', BP_TEST_REMOVED: null });
      assert.equal(await pty.exited, 0);
      assert.equal(process.env.BP_TEST_REMOVED, 'present', 'the extension host keeps its own environment');
      terminal.dispose();
    } finally {
      delete process.env.BP_TEST_REMOVED;
    }
  });

  test('a program that cannot be started: the terminal says so and stays open', async () => {
    const terminal = openProcessTerminal({ name: 'bp-test: missing', command: path.join(os.tmpdir(), 'compose-blueprint-no-such-program'), args: [] });
    const pty = (terminal.creationOptions as vscode.ExtensionTerminalOptions).pty as unknown as ProcessPty;
    assert.equal(await pty.exited, undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(isOpen(terminal));
    terminal.dispose();
  });

  /** Starts a program that runs until stopped; returns its terminal and a probe of whether it still runs. */
  async function longRunning(name: string): Promise<{ terminal: vscode.Terminal; pty: ProcessPty; alive: () => boolean }> {
    const pidFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bp-pty-')), 'pid');
    const { terminal, pty } = node(name, `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000)`);
    const pid = Number(await waitFor(() => (fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8') : ''), (text) => text !== '', 'the program started'));
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    assert.ok(alive());
    return { terminal, pty, alive };
  }

  test('closing the terminal stops the program still running', async () => {
    const { terminal, pty, alive } = await longRunning('bp-test: runs');
    terminal.dispose();
    assert.equal(await pty.exited, undefined);
    await waitFor(() => alive(), (running) => !running, 'the program stopped with its terminal', 10_000);
  });

  test('when the extension stops, the programs still running stop with it', async () => {
    const { terminal, alive } = await longRunning('bp-test: outlives');
    const { alive: alsoAlive, terminal: other } = await longRunning('bp-test: outlives too');
    runningPrograms.dispose();
    await waitFor(() => alive() || alsoAlive(), (running) => !running, 'both programs stopped', 10_000);
    terminal.dispose();
    other.dispose();
  });
});
