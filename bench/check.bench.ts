/**
 * Speed of the compose check against its baselines, measured in the same run (see bench/README.md).
 *   npm run bench:check            (builds dist/ and out/, then runs this)
 *   node out/bench/check.bench.js [--rounds N] [--sizes 50,200,1000] [--no-install]
 *
 * Whole process: our CLI (`node dist/cli.js lint <file> --format json`), dclint 3, a bare js-yaml load, and
 * `node -e 0`. In process: our full check (parse + schema + positions) against a bare js-yaml `load`,
 * `yaml`'s parseDocument and `yaml`'s CST Parser. Also the time to load the precompiled validator.
 * dclint and js-yaml are benchmark-only tools installed into a temp folder with `npm install --prefix`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Parser, parseDocument } from 'yaml';
import { LineIndex } from '../src/core/text/lineIndex';
import { checkComposeText } from '../src/core/validation/checkFile';
import { fastParseYaml } from '../src/core/yaml/fastParse';
import { generateArchitectureCompose } from './checkGenerator';

const root = path.resolve(__dirname, '../..');
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const rounds = Number(option('--rounds') ?? 5);
const sizes = (option('--sizes') ?? '50,200,1000').split(',').map(Number);
const tools = path.join(os.tmpdir(), 'compose-blueprint-bench');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function installTools(): { dclint?: string; jsYaml?: string } {
  const dclint = path.join(tools, 'node_modules/dclint/bin/dclint.cjs');
  const jsYaml = path.join(tools, 'node_modules/js-yaml');
  if (!(fs.existsSync(dclint) && fs.existsSync(jsYaml)) && !args.includes('--no-install')) {
    console.log(`installing dclint@3 and js-yaml@4 into ${tools} (benchmark only) …`);
    fs.mkdirSync(tools, { recursive: true });
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(npm, ['install', '--prefix', tools, '--no-audit', '--no-fund', '--silent', 'dclint@3', 'js-yaml@4'], { encoding: 'utf8' });
    if (result.status !== 0) console.log(`  install failed (${result.status}): ${result.stderr.trim().split('\n').pop() ?? ''}`);
  }
  return { ...(fs.existsSync(dclint) ? { dclint } : {}), ...(fs.existsSync(jsYaml) ? { jsYaml } : {}) };
}

/**
 * A whole process's wall time and CPU time (user + system, read by a --require probe at exit), in ms.
 * CPU time is the fairer figure on a busy machine, where wall time also counts waiting for a core.
 */
function runProcess(command: readonly string[], cwd: string): { wall: number; cpu: number } {
  const cpuFile = path.join(tools, `cpu-${process.pid}.txt`);
  fs.rmSync(cpuFile, { force: true });
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--require', cpuProbe, ...command], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, BENCH_CPU_FILE: cpuFile },
  });
  const wall = performance.now() - started;
  if (result.error) throw result.error;
  const cpu = fs.existsSync(cpuFile) ? Number(fs.readFileSync(cpuFile, 'utf8').trim()) : Number.NaN;
  return { wall, cpu };
}

const cpuProbe = path.join(tools, 'cpu-probe.cjs');

/** Median in-process CPU time of `work`, in ms per run. */
function timeInProcess(work: () => unknown, repeat: number): number {
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const started = process.cpuUsage();
    work();
    const used = process.cpuUsage(started);
    times.push((used.user + used.system) / 1000);
  }
  return median(times);
}

function fullCheck(text: string): number {
  const { findings } = checkComposeText(text, { maxLength: Number.POSITIVE_INFINITY });
  const index = new LineIndex(text);
  let sum = 0;
  for (const finding of findings) sum += index.positionAt(finding.span.start).line + index.positionAt(finding.span.end).line;
  return sum;
}

function main(): void {
  const cli = path.join(root, 'dist/cli.js');
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build');
  const { dclint, jsYaml } = installTools();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jsyaml = jsYaml ? (require(jsYaml) as { load(text: string): unknown }) : undefined;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-bench-files-'));
  fs.mkdirSync(tools, { recursive: true });
  fs.writeFileSync(
    cpuProbe,
    "process.on('exit', () => { const u = process.cpuUsage(); require('fs').writeFileSync(process.env.BENCH_CPU_FILE, String((u.user + u.system) / 1000)); });\n",
  );
  console.log(`node ${process.version}, ${os.cpus().length} CPU(s), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; medians of ${rounds} rounds\n`);

  // Loading the precompiled validator, in fresh processes: CPU time, and wall time (which also counts waiting for a core).
  const validatorPath = path.join(root, 'src/core/schema/generated/composeValidator.js');
  const loadCpu: number[] = [];
  const loadWall: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const probe = spawnSync(
      process.execPath,
      ['-e', `const c=process.cpuUsage();const t=process.hrtime.bigint();require(${JSON.stringify(validatorPath)});const u=process.cpuUsage(c);console.log((u.user+u.system)/1000, Number(process.hrtime.bigint()-t)/1e6)`],
      { encoding: 'utf8' },
    );
    const [cpu, wall] = probe.stdout.trim().split(' ').map(Number);
    loadCpu.push(cpu!);
    loadWall.push(wall!);
  }
  const validatorLoad = median(loadCpu);
  console.log(
    `validator load (require of the precompiled module, fresh process): ${validatorLoad.toFixed(1)} ms CPU, ${median(loadWall).toFixed(1)} ms wall ` +
      `(target ≤ 50 ms) ${validatorLoad <= 50 ? 'OK' : 'MISSED'}\n`,
  );

  const rows: string[][] = [];
  const summary: string[] = [];
  try {
    for (const services of sizes) {
      const text = generateArchitectureCompose(services);
      const dir = path.join(work, `s${services}`);
      fs.mkdirSync(dir);
      const file = path.join(dir, 'docker-compose.yml');
      fs.writeFileSync(file, text);
      const lines = text.split('\n').length;

      const whole: Record<string, { wall: number; cpu: number }[]> = { ours: [], dclint: [], jsyaml: [], node: [] };
      for (let round = 0; round < rounds; round++) {
        whole.node!.push(runProcess(['-e', '0'], dir));
        whole.ours!.push(runProcess([cli, 'lint', file, '--format', 'json'], dir));
        if (jsYaml) whole.jsyaml!.push(runProcess(['-e', `require(${JSON.stringify(jsYaml)}).load(require('fs').readFileSync(${JSON.stringify(file)},'utf8'))`], dir));
        if (dclint) whole.dclint!.push(runProcess([dclint, file, '-f', 'json'], dir));
      }
      const wall = (name: string): number[] => whole[name]!.map((run) => run.wall);
      const cpu = (name: string): number[] => whole[name]!.map((run) => run.cpu);

      const repeat = services >= 1000 ? 5 : 15;
      const inProcess: Record<string, number[]> = { ours: [], fast: [], jsyaml: [], document: [], cst: [] };
      for (let i = 0; i < 3; i++) {
        fullCheck(text);
        jsyaml?.load(text);
      }
      for (let round = 0; round < rounds; round++) {
        inProcess.ours!.push(timeInProcess(() => fullCheck(text), repeat));
        inProcess.fast!.push(timeInProcess(() => fastParseYaml(text), repeat));
        if (jsyaml) inProcess.jsyaml!.push(timeInProcess(() => jsyaml.load(text), repeat));
        inProcess.document!.push(timeInProcess(() => parseDocument(text), Math.max(2, Math.floor(repeat / 3))));
        inProcess.cst!.push(timeInProcess(() => [...new Parser().parse(text)].length, Math.max(2, Math.floor(repeat / 3))));
      }
      const m = (list: number[] | undefined): number => (list && list.length ? median(list) : Number.NaN);
      const f = (value: number): string => (Number.isNaN(value) ? 'n/a' : value.toFixed(1));
      const both = (name: string): string => `${f(m(cpu(name)))} / ${f(m(wall(name)))}`;
      rows.push([
        String(services),
        String(lines),
        both('ours'),
        both('dclint'),
        both('jsyaml'),
        both('node'),
        f(m(inProcess.ours)),
        f(m(inProcess.fast)),
        f(m(inProcess.jsyaml)),
        f(m(inProcess.cst)),
        f(m(inProcess.document)),
      ]);
      const wholeRatio = m(cpu('dclint')) / m(cpu('ours'));
      const wallRatio = m(wall('dclint')) / m(wall('ours'));
      const workRatio = (m(cpu('dclint')) - m(cpu('node'))) / (m(cpu('ours')) - m(cpu('node')));
      const inRatio = m(inProcess.ours) / m(inProcess.jsyaml);
      summary.push(
        `${services} services: whole process dclint/ours = ${wholeRatio.toFixed(1)}x CPU, ${wallRatio.toFixed(1)}x wall, ${workRatio.toFixed(1)}x CPU beyond node's own start (target ≥ 10x) ${wholeRatio >= 10 ? 'OK' : 'MISSED'}; ` +
          `in process ours/js-yaml = ${inRatio.toFixed(2)}x (target ≤ 2x) ${inRatio <= 2 ? 'OK' : 'MISSED'}; ` +
          `yaml parseDocument/js-yaml = ${(m(inProcess.document) / m(inProcess.jsyaml)).toFixed(1)}x`,
      );
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }

  const header = ['services', 'lines', 'ours CLI', 'dclint 3', 'js-yaml proc', 'node -e 0', 'ours check', 'fast parse', 'js-yaml load', 'yaml CST', 'yaml Document'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log('ms, medians. Whole process (CPU / wall): ours CLI, dclint 3, js-yaml proc, node -e 0. In process (CPU): the rest.');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log('');
  for (const text of summary) console.log(text);
}

main();
