// The cost of the architecture's rules, in process, on the generated architecture-style files of
// bench/checkGenerator.ts (inline logging, as bench:check's "full check").
// Run: node scripts/build-tests.mjs && node out/bench/rules.bench.js [--sizes 50,200,1000] [--runs N] [--per-rule] [--family]
//
// 1. `checkPrepared` alone (the rule loop, dedupe, suppressions, levels), CPU time (user + system,
//    `process.cpuUsage`) per run, median of `--runs` (default 21; 15 at 1,000 services), with `prepareProject`
//    (parse, schema, merged configs) timed the same way as the baseline of the same run. Each run checks a
//    freshly prepared project (prepared outside the timing), as the editor and the CLI do: facts the rules
//    remember per config tree must pay their way within one check, not across runs on the same tree.
// 2. With `--per-rule`: each rule alone at the largest size (every other rule `off`), to see where the time goes.
// 3. With `--family`: the older end-to-end figures (per-file check, base alone, base + override) of checkProject.
import { generateArchitectureCompose } from './checkGenerator';
import { checkComposeText } from '../src/core/validation/checkFile';
import { checkPrepared, checkProject, type CheckOptions, prepareProject } from '../src/core/validation/checkProject';
import { COMPOSE_RULES } from '../src/core/rules/registry';

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** CPU milliseconds (all threads, so garbage collection on helper threads counts) of one call. */
function cpuOnce(work: () => unknown): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

function cpuMedian(runs: number, work: () => unknown): number {
  for (let i = 0; i < 3; i++) work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(cpuOnce(work));
  return median(samples);
}

/** Like cpuMedian, with an untimed setup before each run (a fresh input). */
function cpuMedianWithSetup<T>(runs: number, setup: () => T, work: (input: T) => unknown): number {
  for (let i = 0; i < 3; i++) work(setup());
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const input = setup();
    samples.push(cpuOnce(() => work(input)));
  }
  return median(samples);
}

function wallMedian(runs: number, work: () => unknown): number {
  work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const sizes = (argument('--sizes') ?? '50,200,1000').split(',').map(Number);
const runsArgument = argument('--runs');
// What bench:check's full check passes: every config, and the disk probe's answer (nothing exists in its temp folder).
const options: CheckOptions = { configs: 'all', existingPaths: new Set<string>() };

console.log(`checkPrepared alone, CPU ms (user + system), median; inline variant; node ${process.version}`);
console.log('services  lines  runs  prepareProject  checkPrepared  checkPrepared/prepare  findings  swarm on  findings');
for (const services of sizes) {
  const text = generateArchitectureCompose(services, { logging: 'inline' });
  const runs = runsArgument ? Number(runsArgument) : services >= 1000 ? 15 : 21;
  const files = [{ path: 'docker-compose.yml', text }];
  const prepare = cpuMedian(runs, () => prepareProject({ files }, 'all'));
  const rules = cpuMedianWithSetup(runs, () => prepareProject({ files }, 'all'), (prepared) => checkPrepared(prepared, options));
  const findings = [...checkPrepared(prepareProject({ files }, 'all'), options).files.values()].flat().length;
  // A project deploying to Swarm (`composeBlueprint.swarm.checks: on`): eight more rules, most with a fix per service.
  const swarmOptions: CheckOptions = { ...options, swarm: 'on' };
  const swarm = cpuMedianWithSetup(runs, () => prepareProject({ files }, 'all'), (prepared) => checkPrepared(prepared, swarmOptions));
  const swarmFindings = [...checkPrepared(prepareProject({ files }, 'all'), swarmOptions).files.values()].flat().length;
  console.log(
    `${String(services).padStart(8)}  ${String(text.split('\n').length).padStart(5)}  ${String(runs).padStart(4)}  ${prepare.toFixed(2).padStart(14)}  ${rules.toFixed(2).padStart(13)}  ${(rules / prepare).toFixed(2).padStart(20)}x  ${String(findings).padStart(8)}  ${swarm.toFixed(2).padStart(8)}  ${String(swarmFindings).padStart(8)}`,
  );
}

if (process.argv.includes('--per-rule')) {
  const services = Math.max(...sizes);
  const text = generateArchitectureCompose(services, { logging: 'inline' });
  const fresh = () => prepareProject({ files: [{ path: 'docker-compose.yml', text }] }, 'all');
  const runs = runsArgument ? Number(runsArgument) : 15;
  const allOff = Object.fromEntries(COMPOSE_RULES.map((rule) => [rule.id, 'off' as const]));
  // Swarm rules run only on a config with Swarm intent: `on` makes them run, so they are measured too.
  const none = cpuMedianWithSetup(runs, fresh, (prepared) => checkPrepared(prepared, { ...options, rules: allOff, swarm: 'on' }));
  console.log(`\nEach rule alone at ${services} services (swarm checks on), CPU ms median of ${runs}, minus the run with every rule off (${none.toFixed(2)} ms):`);
  const rows = COMPOSE_RULES.map((rule) => {
    const only = { ...allOff, [rule.id]: rule.defaultSeverity };
    return [rule.id, cpuMedianWithSetup(runs, fresh, (prepared) => checkPrepared(prepared, { ...options, rules: only, swarm: 'on' })) - none] as const;
  });
  for (const [id, ms] of [...rows].sort((a, b) => b[1] - a[1])) console.log(`  ${id.padEnd(30)} ${ms.toFixed(2).padStart(7)}`);
}

if (process.argv.includes('--family')) {
  console.log('\nEnd to end (wall ms, median): per-file check, base alone with the rules, base + override');
  for (const services of sizes) {
    const text = generateArchitectureCompose(services);
    const override = 'services:\n' + Array.from({ length: services }, (_, i) => `  service-${i}:\n    environment:\n      DEBUG: "1"\n`).join('');
    const runs = services >= 1000 ? 5 : 11;
    const fileOnly = wallMedian(runs, () => checkComposeText(text));
    const family = wallMedian(runs, () => checkProject({ files: [{ path: 'docker-compose.yml', text }, { path: 'docker-compose.override.yml', text: override }], envExampleText: '' }));
    const single = wallMedian(runs, () => checkProject({ files: [{ path: 'docker-compose.yml', text }] }));
    console.log(`  ${services} services: per-file check ${fileOnly.toFixed(1)} ms; base alone with the rules ${single.toFixed(1)} ms; base + override ${family.toFixed(1)} ms`);
  }
}
