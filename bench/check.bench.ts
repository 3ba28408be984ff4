/**
 * Speed of the compose check against its baselines, measured in the same run (see bench/README.md).
 *   npm run bench:check            (bundles the benchmark, then runs it; it builds its own production CLI)
 *   node out/bench/check.bench.js [--rounds N] [--sizes 50,200,1000] [--no-install] [--cli <file>] [--compare-cli <file>]
 *
 * Every contender gets the same generated text. Whole process: our production CLI (`lint <file> --format
 * json`: syntax, schema, the architecture's rules on the merged dev and prod configs, positions) with its code
 * cache warm and without it, dclint 3, a bare js-yaml load, and `node -e 0`. In process: our full check (what
 * the CLI and the editor run on a folder), our per-file check (syntax + schema), our parser alone, js-yaml
 * `load`, `yaml`'s CST Parser and parseDocument. Also the time to load the precompiled validator.
 * dclint and js-yaml are benchmark-only tools installed into a temp folder with `npm install --prefix`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Parser, parseDocument } from 'yaml';
import { LineIndex } from '../src/core/text/lineIndex';
import { checkComposeText } from '../src/core/validation/checkFile';
import { checkPrepared, prepareProject, probePaths } from '../src/core/validation/checkProject';
import { fastParseYaml } from '../src/core/yaml/fastParse';
import { generateArchitectureCompose, type LoggingStyle } from './checkGenerator';

const root = path.resolve(__dirname, '../..');
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const rounds = Number(option('--rounds') ?? 5);
const sizes = (option('--sizes') ?? '50,200,1000').split(',').map(Number);
const tools = path.join(os.tmpdir(), 'compose-blueprint-bench');
const codeCache = path.join(tools, 'code-cache');
// Another CLI build (an earlier commit's, say) timed in the same rounds as ours, with its own warm code cache.
const compareCli = option('--compare-cli') ? path.resolve(option('--compare-cli')!) : undefined;
const compareCache = path.join(tools, 'code-cache-compare');

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

/** The CLI as the package ships it: the production build (minified, wrapped in the code-cache loader). */
function buildProductionCli(): string {
  const given = option('--cli');
  if (given) return path.resolve(given);
  const cli = path.join(tools, 'cli', 'cli.js');
  const result = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--production', '--cli-out', cli], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building the production CLI failed:\n${result.stdout}${result.stderr}`);
  return cli;
}

interface ProcessRun {
  readonly wall: number;
  readonly cpu: number;
  readonly stdout: string;
}

/**
 * A whole process's wall time and CPU time (user + system, read by a --require probe at exit), in ms.
 * CPU time is the fairer figure on a busy machine, where wall time also counts waiting for a core.
 */
function runProcess(command: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): ProcessRun {
  const cpuFile = path.join(tools, `cpu-${process.pid}.txt`);
  fs.rmSync(cpuFile, { force: true });
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--require', cpuProbe, ...command], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, ...env, BENCH_CPU_FILE: cpuFile },
  });
  const wall = performance.now() - started;
  if (result.error) throw result.error;
  const cpu = fs.existsSync(cpuFile) ? Number(fs.readFileSync(cpuFile, 'utf8').trim()) : Number.NaN;
  return { wall, cpu, stdout: result.stdout };
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

/** Positions of every finding, as the CLI and the editor need them. */
function positions(text: string, findings: Iterable<{ span: { start: number; end: number } }>): number {
  const index = new LineIndex(text);
  let sum = 0;
  for (const finding of findings) sum += index.positionAt(finding.span.start).line + index.positionAt(finding.span.end).line;
  return sum;
}

/** Syntax and schema of one file, with positions: what the old figure called "ours check". */
function fileCheck(text: string): number {
  return positions(text, checkComposeText(text, { maxLength: Number.POSITIVE_INFINITY }).findings);
}

/**
 * The full check the CLI and the editor run on a folder: syntax and schema, the dev and prod configs merged,
 * the architecture's rules on them, suppressions and levels, positions. Only the file system is left out:
 * `existingPaths` (what `build-missing` asks the disk) is computed once, outside the timing.
 */
function fullCheck(text: string, existingPaths: ReadonlySet<string>): number {
  const file = 'docker-compose.yml';
  const prepared = prepareProject({ files: [{ path: file, text }] }, 'all');
  const result = checkPrepared(prepared, { configs: 'all', existingPaths });
  return positions(text, result.files.get(file) ?? []);
}

/** How many findings of each rule a report holds: dclint's JSON or ours. */
function ruleCounts(json: string, pick: (parsed: unknown) => { rule: string }[]): string {
  try {
    const counts = new Map<string, number>();
    for (const { rule } of pick(JSON.parse(json))) counts.set(rule, (counts.get(rule) ?? 0) + 1);
    return [...counts].map(([rule, count]) => `${rule} ${count}`).join(', ') || 'none';
  } catch {
    return `unreadable output (${JSON.stringify(json.slice(0, 80))})`;
  }
}
/** dclint's findings; a refusal (`unknown-error`, `invalid-yaml`, `invalid-schema`) is named with its message. */
const dclintMessages = (parsed: unknown) =>
  (parsed as { messages: { rule: string; message: string }[] }[])
    .flatMap((file) => file.messages)
    .map((message) => (/^(unknown-error|invalid-yaml|invalid-schema)$/.test(message.rule) ? { rule: `${message.rule} "${message.message}"` } : message));
const ourFindings = (parsed: unknown) => parsed as { rule: string }[];

function main(): void {
  const { dclint, jsYaml } = installTools();
  const cli = buildProductionCli();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jsyaml = jsYaml ? (require(jsYaml) as { load(text: string): unknown }) : undefined;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'blueprint-bench-files-'));
  fs.mkdirSync(tools, { recursive: true });
  fs.writeFileSync(
    cpuProbe,
    "process.on('exit', () => { const u = process.cpuUsage(); require('fs').writeFileSync(process.env.BENCH_CPU_FILE, String((u.user + u.system) / 1000)); });\n",
  );
  const uptime = spawnSync('uptime', { encoding: 'utf8' }).stdout?.trim() ?? '';
  console.log(`node ${process.version}, ${os.cpus().length} CPU(s), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; medians of ${rounds} rounds`);
  console.log(`uptime: ${uptime}`);
  console.log(`our CLI: ${path.relative(root, cli)} (${(fs.statSync(cli).size / 1024).toFixed(0)} KiB, production build), code cache in ${codeCache}`);
  if (compareCli) console.log(`compared CLI ("other CLI" column): ${compareCli}, code cache in ${compareCache}`);
  console.log('');

  // Loading the precompiled validators, in fresh processes: CPU time, and wall time (which also counts waiting
  // for a core). A valid file loads only the validity check; an invalid one loads the full validator too.
  const generated = path.join(root, 'src/core/schema/generated');
  const loads: [string, string[]][] = [
    ['validity check (a valid file)', ['composeCheck.js']],
    ['full validator', ['composeValidator.js']],
    ['both (an invalid file)', ['composeCheck.js', 'composeValidator.js']],
  ];
  const loadFigures: string[] = [];
  let worstLoad = 0;
  for (const [what, files] of loads) {
    const requires = files.map((file) => `require(${JSON.stringify(path.join(generated, file))});`).join('');
    const loadCpu: number[] = [];
    const loadWall: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const probe = spawnSync(
        process.execPath,
        ['-e', `const c=process.cpuUsage();const t=process.hrtime.bigint();${requires}const u=process.cpuUsage(c);console.log((u.user+u.system)/1000, Number(process.hrtime.bigint()-t)/1e6)`],
        { encoding: 'utf8' },
      );
      const [cpu, wall] = probe.stdout.trim().split(' ').map(Number);
      loadCpu.push(cpu!);
      loadWall.push(wall!);
    }
    worstLoad = Math.max(worstLoad, median(loadCpu));
    loadFigures.push(`${what} ${median(loadCpu).toFixed(1)} ms CPU, ${median(loadWall).toFixed(1)} ms wall`);
  }
  console.log(`validator load (require of the precompiled modules, fresh process): ${loadFigures.join('; ')} (target ≤ 50 ms) ${worstLoad <= 50 ? 'OK' : 'MISSED'}\n`);

  const rows: string[][] = [];
  const anchorRows: string[][] = [];
  const summary: string[] = [];
  const outputs: string[] = [];
  const m = (list: number[] | undefined): number => (list && list.length ? median(list) : Number.NaN);
  const f = (value: number): string => (Number.isNaN(value) ? 'n/a' : value.toFixed(1));
  try {
    for (const services of sizes) {
      const dir = path.join(work, `s${services}`);
      fs.mkdirSync(dir);
      const texts = {} as Record<LoggingStyle, { text: string; file: string }>;
      for (const logging of ['inline', 'anchor'] as const) {
        const text = generateArchitectureCompose(services, { logging });
        const sub = path.join(dir, logging);
        fs.mkdirSync(sub);
        const file = path.join(sub, 'docker-compose.yml');
        fs.writeFileSync(file, text);
        texts[logging] = { text, file };
      }
      // Whole process, on the inline text: the one every contender checks in full (see checkGenerator.ts).
      const { text, file } = texts.inline;
      const lines = text.split('\n').length;
      const lint = [cli, 'lint', file, '--format', 'json'];
      const cacheEnv = { COMPOSE_BLUEPRINT_CACHE_DIR: codeCache };

      // What each tool reports, once: proof that dclint checked the file in full and did not stop early.
      if (dclint) {
        // To a file: dclint ends with process.exit, which cuts its output to a pipe at 128 KiB.
        const report = (target: string) => {
          const out = path.join(dir, 'dclint-report.json');
          runProcess([dclint, target, '-f', 'json', '-o', out], dir);
          return ruleCounts(fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '', dclintMessages);
        };
        outputs.push(`${services} services, dclint 3 on the inline file: ${report(file)}`);
        outputs.push(`${services} services, dclint 3 on the anchor file (not timed): ${report(texts.anchor.file)}`);
      }
      fs.rmSync(codeCache, { recursive: true, force: true });
      outputs.push(`${services} services, ours: ${ruleCounts(runProcess(lint, dir, cacheEnv).stdout, ourFindings)}`);
      const compareLint = compareCli ? [compareCli, ...lint.slice(1)] : undefined;
      const compareEnv = { COMPOSE_BLUEPRINT_CACHE_DIR: compareCache };
      if (compareLint) {
        // Its cache written by a run on the same file, as ours.
        fs.rmSync(compareCache, { recursive: true, force: true });
        outputs.push(`${services} services, other CLI: ${ruleCounts(runProcess(compareLint, dir, compareEnv).stdout, ourFindings)}`);
      }

      const whole: Record<string, ProcessRun[]> = { ours: [], oursCold: [], other: [], dclint: [], jsyaml: [], node: [] };
      for (let round = 0; round < rounds; round++) {
        whole.node!.push(runProcess(['-e', '0'], dir));
        // First run after an install or upgrade: no code cache yet (this run writes it).
        fs.rmSync(codeCache, { recursive: true, force: true });
        whole.oursCold!.push(runProcess(lint, dir, cacheEnv));
        // Every later run: the code cache is warm.
        whole.ours!.push(runProcess(lint, dir, cacheEnv));
        if (compareLint) whole.other!.push(runProcess(compareLint, dir, compareEnv));
        if (jsYaml) whole.jsyaml!.push(runProcess(['-e', `require(${JSON.stringify(jsYaml)}).load(require('fs').readFileSync(${JSON.stringify(file)},'utf8'))`], dir));
        if (dclint) whole.dclint!.push(runProcess([dclint, file, '-f', 'json'], dir));
      }
      const wall = (name: string): number[] => whole[name]!.map((run) => run.wall);
      const cpu = (name: string): number[] => whole[name]!.map((run) => run.cpu);

      const repeat = services >= 1000 ? 5 : 15;
      const inProcess: Record<string, number[]> = {};
      const add = (name: string, value: number) => (inProcess[name] ??= []).push(value);
      const existing = (source: string) => {
        const prepared = prepareProject({ files: [{ path: 'docker-compose.yml', text: source }] }, 'all');
        return new Set(probePaths(prepared).filter((relative) => fs.existsSync(path.join(dir, relative))));
      };
      const existingInline = existing(text);
      const existingAnchor = existing(texts.anchor.text);
      // Warm up every contender to a steady state first: the editor checks on every keystroke, so the
      // in-process figures are about code V8 has optimized and a heap whose young generation has grown
      // (the cold case is the whole-process columns). Three runs each were too few at 50 services, where a
      // run is a few milliseconds: the same build gave 1.5x to 4x from one process to the next.
      const warmUp = (work: () => unknown) => {
        const started = process.cpuUsage();
        for (let runs = 0; runs < 200; runs++) {
          work();
          const used = process.cpuUsage(started);
          if (runs >= 2 && (used.user + used.system) / 1000 > 400) break;
        }
      };
      warmUp(() => fullCheck(text, existingInline));
      warmUp(() => fullCheck(texts.anchor.text, existingAnchor));
      warmUp(() => fileCheck(text));
      warmUp(() => fileCheck(texts.anchor.text));
      warmUp(() => fastParseYaml(text));
      if (jsyaml) {
        warmUp(() => jsyaml.load(text));
        warmUp(() => jsyaml.load(texts.anchor.text));
      }
      // A contender pays for the garbage the one before it left (a collection falls in its runs), so the
      // order changes every round, and `yaml`'s parsers, which leave ten times more garbage than anything
      // else and are no target's baseline, are timed after the others.
      const contenders: [string, () => unknown][] = [
        ['full', () => fullCheck(text, existingInline)],
        ['file', () => fileCheck(text)],
        ['fast', () => fastParseYaml(text)],
        ...(jsyaml ? ([['jsyaml', () => jsyaml.load(text)]] as [string, () => unknown][]) : []),
        ['fullAnchor', () => fullCheck(texts.anchor.text, existingAnchor)],
        ['fileAnchor', () => fileCheck(texts.anchor.text)],
        ...(jsyaml ? ([['jsyamlAnchor', () => jsyaml.load(texts.anchor.text)]] as [string, () => unknown][]) : []),
      ];
      for (let round = 0; round < rounds; round++) {
        const shift = round % contenders.length;
        const order = [...contenders.slice(shift), ...contenders.slice(0, shift)];
        if (round % 2 === 1) order.reverse();
        for (const [name, work] of order) add(name, timeInProcess(work, repeat));
      }
      for (let round = 0; round < rounds; round++) {
        add('document', timeInProcess(() => parseDocument(text), Math.max(2, Math.floor(repeat / 3))));
        add('cst', timeInProcess(() => [...new Parser().parse(text)].length, Math.max(2, Math.floor(repeat / 3))));
      }
      const both = (name: string): string => `${f(m(cpu(name)))} / ${f(m(wall(name)))}`;
      rows.push([
        String(services),
        String(lines),
        both('ours'),
        both('oursCold'),
        ...(compareCli ? [both('other')] : []),
        both('dclint'),
        both('jsyaml'),
        both('node'),
        f(m(inProcess.full)),
        f(m(inProcess.file)),
        f(m(inProcess.fast)),
        f(m(inProcess.jsyaml)),
        f(m(inProcess.cst)),
        f(m(inProcess.document)),
      ]);
      anchorRows.push([
        String(services),
        String(texts.anchor.text.split('\n').length),
        f(m(inProcess.fullAnchor)),
        f(m(inProcess.fileAnchor)),
        f(m(inProcess.jsyamlAnchor)),
        `${(m(inProcess.fullAnchor) / m(inProcess.jsyamlAnchor)).toFixed(2)}x`,
        `${(m(inProcess.fileAnchor) / m(inProcess.jsyamlAnchor)).toFixed(2)}x`,
      ]);
      const wholeRatio = m(cpu('dclint')) / m(cpu('ours'));
      const coldRatio = m(cpu('dclint')) / m(cpu('oursCold'));
      const wallRatio = m(wall('dclint')) / m(wall('ours'));
      const fullRatio = m(inProcess.full) / m(inProcess.jsyaml);
      const fileRatio = m(inProcess.file) / m(inProcess.jsyaml);
      const share = (name: string): string => `${(m(cpu(name)) - m(cpu('node'))).toFixed(1)} ms`;
      summary.push(
        `${services} services: CPU above node -e 0: ours ${share('ours')}, ours 1st run ${share('oursCold')}${compareCli ? `, other CLI ${share('other')}` : ''}`,
      );
      summary.push(
        `${services} services: (a) whole process dclint/ours = ${wholeRatio.toFixed(1)}x CPU (${wallRatio.toFixed(1)}x wall; ${coldRatio.toFixed(1)}x on a first run without code cache) ` +
          `(target ≥ 10x) ${wholeRatio >= 10 ? 'OK' : 'MISSED'}; ` +
          `(b) in process full check / js-yaml load = ${fullRatio.toFixed(2)}x (target ≤ 2x) ${fullRatio <= 2 ? 'OK' : 'MISSED'}, ` +
          `syntax + schema only ${fileRatio.toFixed(2)}x; yaml parseDocument / js-yaml = ${(m(inProcess.document) / m(inProcess.jsyaml)).toFixed(1)}x`,
      );
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }

  const table = (header: string[], body: string[][]) => {
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
    const line = (cells: readonly string[]): string => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
    console.log(line(header));
    for (const row of body) console.log(line(row));
  };
  console.log('What each tool reported (rule: count):');
  for (const text of outputs) console.log(`  ${text}`);
  console.log('');
  console.log('ms, medians. Inline logging (the same text for every contender). Whole process (CPU / wall): ours CLI (code cache warm),');
  console.log('ours first run (no code cache), dclint 3, js-yaml proc, node -e 0. In process (CPU): full check, syntax + schema, the rest bare parsers.');
  table(['services', 'lines', 'ours CLI', 'ours 1st run', ...(compareCli ? ['other CLI'] : []), 'dclint 3', 'js-yaml proc', 'node -e 0', 'full check', 'syn+schema', 'fast parse', 'js-yaml', 'yaml CST', 'yaml Doc'], rows);
  console.log('');
  console.log('In process (CPU, ms), anchor variant (logging through one anchor used by every service):');
  table(['services', 'lines', 'full check', 'syn+schema', 'js-yaml', 'full/js-yaml', 'syn+schema/js-yaml'], anchorRows);
  console.log('');
  for (const text of summary) console.log(text);
  console.log(`\nuptime at the end: ${spawnSync('uptime', { encoding: 'utf8' }).stdout?.trim() ?? ''}`);
}

main();
