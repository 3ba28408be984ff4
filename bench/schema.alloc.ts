// The schema step (`schemaFindings`: the parse tree to plain data with `toValue`, then the compose schema) on
// valid generated files: bytes allocated per run (V8's sampling heap profiler, which the machine's load does not
// change) and CPU time per run (interleaved rounds, medians), each against its baseline in the same run:
// - baseline: `toValue`, then Ajv's standalone code as Ajv writes it (all errors, verbose, before the
//   generator's rewrites; generated into a temp folder at start): what `schemaFindings` ran before its
//   validators were rewritten. (The old, costlier toValue is no longer kept: its figures are in commit 676a556,
//   and test/unit/schema/toValue.golden.json records what toValue must give.)
// - now: `schemaFindings` itself (`toValue`, then composeCheck.js, and the rewritten full validator,
//   composeValidator.js, only when the check fails).
// The parts are timed too, on the same plain data: `toValue`; validation (`validateCompose`) against
// Ajv's code; the rewritten full validator and the check alone. And validation of an invalid file (two
// errors, in the first and the last service), where the check fails and the full validator runs.
// Run: npm run bench:schema -- [options], or node scripts/build-tests.mjs && node out/bench/schema.alloc.js [--sizes 200,1000] [--logging inline|anchor] [--runs 10] [--rounds 9] [--only <regex of contender names>]
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { schemaFindings, DEFAULT_MAX_SCHEMA_NODES } from '../src/core/schema/schemaFindings';
import { composeCheck, composeValidator, validateCompose } from '../src/core/schema/validator';
import { parseYaml } from '../src/core/yaml/parse';
import { toValue, type ToValueOptions } from '../src/core/yaml/toValue';
import { generateArchitectureCompose, type LoggingStyle } from './checkGenerator';

interface SamplingNode {
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly selfSize: number;
  readonly children: readonly SamplingNode[];
}

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1]! : fallback;
};
const sizes = option('--sizes', '200,1000').split(',').map(Number);
const logging = option('--logging', 'inline') as LoggingStyle;
const runs = Number(option('--runs', '10'));
const rounds = Number(option('--rounds', '9'));
const only = new RegExp(option('--only', '.'));

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function cpuMs(work: () => unknown): number {
  const started = process.cpuUsage();
  work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

/** Bytes allocated per run of `work` (sampled every 64 bytes, objects collected since included). */
async function bytesPerRun(work: () => unknown): Promise<number> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 64, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  for (let i = 0; i < runs; i++) work();
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: SamplingNode } };
  await session.post('HeapProfiler.disable');
  session.disconnect();
  // Only what our code (and the builtins it calls) allocated: not the inspector's own messages.
  let total = 0;
  const stack: { node: SamplingNode; ours: boolean }[] = [{ node: profile.head, ours: false }];
  while (stack.length > 0) {
    const { node, ours } = stack.pop()!;
    const url = node.callFrame.url;
    const mine = url ? !url.startsWith('node:') && !url.includes('/node_modules/') : ours;
    if (mine) total += node.selfSize;
    for (const child of node.children) stack.push({ node: child, ours: mine });
  }
  return total / runs;
}

type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };

/** Ajv's standalone code for the schema as Ajv writes it, without the generator's rewrites: the baseline. */
async function ajvAsGenerated(): Promise<Validate> {
  const root = path.resolve(__dirname, '../..');
  const generator = (await import(pathToFileURL(path.join(root, 'scripts/generate/compose-schema.mjs')).href)) as {
    standaloneSource: (root: string, schemaText: string, variant: 'full') => string;
    SCHEMA_PATH: string;
  };
  const code = generator.standaloneSource(root, fs.readFileSync(path.join(root, generator.SCHEMA_PATH), 'utf8'), 'full');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-bench-'));
  const file = path.join(folder, 'ajvValidator.js');
  // Its `require("ajv/dist/runtime/…")` resolved from the project, since the file is outside it.
  fs.writeFileSync(file, code.replace(/require\("([^"]+)"\)/g, (_, id: string) => `require(${JSON.stringify(require.resolve(id, { paths: [root] }))})`));
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as Validate;
  } finally {
    fs.rmSync(folder, { recursive: true, force: true }); // loaded: the file is no longer needed
  }
}

/** Warms `contenders` up, then records their bytes per run and their CPU per run (interleaved rounds). */
async function measure(contenders: readonly [string, () => unknown][], bytes: Map<string, number>, cpu: Map<string, number[]>): Promise<void> {
  // Warm-up to a steady state (optimized code allocates less than the interpreter and baseline code): the
  // service schema's function is large, TurboFan takes tens of milliseconds to compile it on a background
  // thread, and running another contender can change the feedback; so two passes, each up to a second.
  for (let pass = 0; pass < 2; pass++) {
    for (const [, work] of contenders) {
      let spent = 0;
      for (let i = 0; i < 500 && spent < 1000; i++) spent += cpuMs(work);
    }
  }
  for (const [name, work] of contenders) bytes.set(name, await bytesPerRun(work));
  // CPU: per round, every contender's median of `runs` runs; the order rotates every round, so a garbage
  // collection one contender starts is not always paid by the same next one.
  for (const [name] of contenders) cpu.set(name, []);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const [name, work] = contenders[(k + round) % contenders.length]!;
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push(cpuMs(work));
      cpu.get(name)!.push(median(times));
    }
  }
}

async function main(): Promise<void> {
  const ajvCode = await ajvAsGenerated();
  const full = composeValidator();
  const check = composeCheck();
  const options: ToValueOptions = { maxNodes: DEFAULT_MAX_SCHEMA_NODES, dropReset: true, shareAliases: true };
  console.log(`Schema step on valid generated files (${logging} logging), Node ${process.version}; ${runs} runs per allocation figure, ${rounds} interleaved rounds for CPU.`);
  for (const services of sizes) {
    const text = generateArchitectureCompose(services, { logging });
    const parsed = parseYaml(text);
    if (!parsed.root) throw new Error('the generated file did not parse');
    const root = parsed.root;
    const value = toValue(root, parsed.anchors, options);
    if (!full(value) || !check(value) || schemaFindings(parsed).length > 0) throw new Error('the generated file is not valid: the figures would not be about valid files');
    const invalidText = text.replace('    restart: unless-stopped', '    restart: unless-stopped\n    imagee: x').replace(/retries: 3\n(?![\s\S]*retries: 3)/, 'retries: three\n');
    const invalidParsed = parseYaml(invalidText);
    const invalid = toValue(invalidParsed.root, invalidParsed.anchors, options);
    if (ajvCode(invalid) || JSON.stringify(ajvCode.errors) !== JSON.stringify(validateCompose(invalid))) throw new Error('the invalid file is not invalid, or the errors differ');

    const all: [string, () => unknown][] = [
      ['schema step, baseline (toValue + Ajv code)', () => ajvCode(toValue(root, parsed.anchors, options))],
      ['schema step, now (schemaFindings)', () => schemaFindings(parsed)],
      ['  toValue alone', () => toValue(root, parsed.anchors, options)],
      ['validation, baseline (Ajv code)', () => ajvCode(value)],
      ['validation, now (validateCompose)', () => validateCompose(value)],
      ['  full validator alone (rewritten)', () => full(value)],
      ['  validity check alone (composeCheck)', () => check(value)],
      ['invalid file: validation, baseline (Ajv code)', () => ajvCode(invalid)],
      ['invalid file: validation, now (validateCompose)', () => validateCompose(invalid)],
    ];
    const contenders = all.filter(([name]) => only.test(name));
    // Validation of fixed data first, then what converts the tree: objects made by toValue in later runs
    // were seen to change how V8 runs the validators on the earlier `value` (more bytes, more CPU), which
    // real use never does (each check validates what its own toValue just made: the "schema step" rows).
    const bytes = new Map<string, number>();
    const cpu = new Map<string, number[]>();
    for (const group of [contenders.filter(([name]) => !/toValue|schema step/.test(name)), contenders.filter(([name]) => /toValue|schema step/.test(name))]) {
      await measure(group, bytes, cpu);
    }
    console.log(`\n${services} services, ${text.split('\n').length} lines, ${(text.length / 1024).toFixed(0)} KB of text:`);
    console.log(`  ${'contender'.padEnd(54)} ${'KB allocated'.padStart(13)} ${'CPU ms'.padStart(8)}`);
    for (const [name] of contenders) {
      console.log(`  ${name.padEnd(54)} ${(bytes.get(name)! / 1024).toFixed(1).padStart(13)} ${median(cpu.get(name)!).toFixed(2).padStart(8)}`);
    }
    const ratio = (a: string, b: string, of: Map<string, number> | Map<string, number[]>) => {
      const pick = (name: string): number => {
        const figure = of.get(name)!;
        return typeof figure === 'number' ? figure : median(figure);
      };
      return `${((1 - pick(b) / pick(a)) * 100).toFixed(0)}%`;
    };
    // Each pair whose two rows were measured (--only may leave some out).
    const gains = (
      [
        ['schema step', 'schema step, baseline (toValue + Ajv code)', 'schema step, now (schemaFindings)'],
        ['validation', 'validation, baseline (Ajv code)', 'validation, now (validateCompose)'],
        ['invalid file', 'invalid file: validation, baseline (Ajv code)', 'invalid file: validation, now (validateCompose)'],
      ] as const
    )
      .filter(([, before, now]) => bytes.has(before) && bytes.has(now))
      .map(([what, before, now]) => `${what} ${ratio(before, now, bytes)} of bytes, ${ratio(before, now, cpu)} of CPU`);
    if (gains.length > 0) console.log(`  less than the baseline: ${gains.join('; ')}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
