import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { runLint } from '../../../src/cli/lint';
import { OptimizerBudget, setsCompilerFlags } from '../../../src/cli/optimizer';

function recording(threshold: number) {
  const flags: string[] = [];
  return { budget: new OptimizerBudget(threshold, (f) => flags.push(f)), flags };
}

test('optimizer budget: TurboFan off for a small input, on again past the threshold and at the end', () => {
  const cases: { name: string; steps: (['start'] | ['add', number] | ['finish'])[]; flags: string[]; offAtEnd: boolean }[] = [
    { name: 'small input', steps: [['start'], ['add', 500], ['finish']], flags: ['--no-turbofan', '--turbofan'], offAtEnd: false },
    { name: 'still small before finish', steps: [['start'], ['add', 400], ['add', 600]], flags: ['--no-turbofan'], offAtEnd: true },
    { name: 'passes the threshold', steps: [['start'], ['add', 600], ['add', 600], ['finish']], flags: ['--no-turbofan', '--turbofan'], offAtEnd: false },
    { name: 'one big file', steps: [['start'], ['add', 5000], ['add', 10], ['finish']], flags: ['--no-turbofan', '--turbofan'], offAtEnd: false },
    { name: 'finish without start', steps: [['add', 10], ['finish']], flags: [], offAtEnd: false },
    { name: 'start twice', steps: [['start'], ['start'], ['finish'], ['finish']], flags: ['--no-turbofan', '--turbofan'], offAtEnd: false },
  ];
  for (const c of cases) {
    const { budget, flags } = recording(1000);
    for (const step of c.steps) {
      if (step[0] === 'start') budget.start([], undefined);
      else if (step[0] === 'add') budget.add(step[1]);
      else budget.finish();
    }
    assert.deepEqual(flags, c.flags, c.name);
    assert.equal(budget.turbofanOff, c.offAtEnd, c.name);
  }
});

test('optimizer budget: a process given compiler flags is left alone', () => {
  const cases: [string, string[], string | undefined, boolean][] = [
    ['no flags', [], undefined, false],
    ['the benchmark probe', ['--require', '/tmp/probe.cjs'], undefined, false],
    ['memory flags', ['--max-old-space-size=4096'], '--max-semi-space-size=16', false],
    ['--no-opt', ['--no-opt'], undefined, true],
    ['--jitless in NODE_OPTIONS', [], '--enable-source-maps --jitless', true],
    ['--max-opt', ['--max-opt=1'], undefined, true],
    ['underscores', ['--interrupt_budget=1000'], undefined, true],
    ['--no-turbofan', [], '--no-turbofan', true],
    ['--always-sparkplug', ['--always-sparkplug'], undefined, true],
    ['--optimize-for-size is not a tier flag', ['--optimize-for-size'], undefined, false],
  ];
  for (const [name, execArgv, nodeOptions, expected] of cases) {
    assert.equal(setsCompilerFlags([...execArgv, ...(nodeOptions ?? '').split(/\s+/)]), expected, name);
    const { budget, flags } = recording(1000);
    budget.start(execArgv, nodeOptions);
    budget.finish();
    assert.deepEqual(flags, expected ? [] : ['--no-turbofan', '--turbofan'], name);
  }
});

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-optimizer-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

test('lint: the budget counts the compose text checked and is restored before the lint returns, also on usage errors and I/O errors', () => {
  const dir = path.join(root, 'project');
  fs.mkdirSync(dir, { recursive: true });
  const text = 'services:\n  web:\n    image: nginx:1.27\n    unknown_key: 1\n';
  fs.writeFileSync(path.join(dir, 'docker-compose.yml'), text);
  const cases: [string, string[], number, string[]][] = [
    ['a small file', ['docker-compose.yml', '--format', 'json'], 1, ['--no-turbofan', '--turbofan']],
    ['a missing file', ['nope.yml'], 2, ['--no-turbofan', '--turbofan']],
    ['a usage error never starts it', ['--format', 'xml'], 2, []],
  ];
  for (const [name, args, code, expected] of cases) {
    const flags: string[] = [];
    const seen: number[] = [];
    const budget = new OptimizerBudget(10, (f) => flags.push(f));
    const add = budget.add.bind(budget);
    budget.add = (chars: number) => {
      seen.push(chars);
      add(chars);
    };
    const result = runLint(args, { cwd: dir, out: () => undefined, err: () => undefined, optimizer: budget });
    assert.equal(result, code, name);
    assert.equal(budget.turbofanOff, false, name);
    // With 10 characters of threshold, TurboFan comes back on when the file is counted, before it is checked.
    assert.deepEqual(flags, expected, name);
    assert.deepEqual(seen, name === 'a small file' ? [text.length] : [], name);
  }
});
