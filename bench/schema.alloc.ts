// The schema step (`schemaFindings`: the parse tree to plain data with `toValue`, then the compose schema) on
// valid generated files: bytes allocated per run (V8's sampling heap profiler, which the machine's load does not
// change) and CPU time per run (interleaved rounds, medians), each against its baseline in the same run:
// - baseline: `toValue` as it was (bench/schemaToValueReference.ts) and Ajv's standalone validator alone
//   (composeValidator.js, all errors, verbose), which is what `schemaFindings` ran before the validity check;
// - now: `schemaFindings` itself (`toValue`, then composeCheck.js, and the full validator only when the check fails).
// The parts are timed too: each `toValue`, the full validator and the check on the same plain data.
// Run: node scripts/build-tests.mjs && node out/bench/schema.alloc.js [--sizes 200,1000] [--logging inline|anchor] [--runs 10] [--rounds 9]
import { Session } from 'node:inspector/promises';
import { schemaFindings, DEFAULT_MAX_SCHEMA_NODES } from '../src/core/schema/schemaFindings';
import { composeCheck, composeValidator } from '../src/core/schema/validator';
import { parseYaml } from '../src/core/yaml/parse';
import { toValue, type ToValueOptions } from '../src/core/yaml/toValue';
import { generateArchitectureCompose, type LoggingStyle } from './checkGenerator';
import { toValueReference } from './schemaToValueReference';

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

async function main(): Promise<void> {
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
    if (JSON.stringify(toValueReference(root, parsed.anchors, options)) !== JSON.stringify(value)) throw new Error('toValue and its reference differ');

    const contenders: [string, () => unknown][] = [
      ['schema step, baseline (old toValue + full validator)', () => full(toValueReference(root, parsed.anchors, options))],
      ['schema step, now (schemaFindings)', () => schemaFindings(parsed)],
      ['toValue, baseline', () => toValueReference(root, parsed.anchors, options)],
      ['toValue, now', () => toValue(root, parsed.anchors, options)],
      ['full validator alone (allErrors, verbose)', () => full(value)],
      ['validity check alone (composeCheck)', () => check(value)],
    ];
    // Warm-up to a steady state (optimized code allocates less than the interpreter), as bench:check does.
    for (const [, work] of contenders) {
      let spent = 0;
      for (let i = 0; i < 200 && spent < 400; i++) spent += cpuMs(work);
    }
    const bytes = new Map<string, number>();
    for (const [name, work] of contenders) bytes.set(name, await bytesPerRun(work));
    // CPU: per round, every contender's median of `runs` runs; the order rotates every round, so a garbage
    // collection one contender starts is not always paid by the same next one.
    const cpu = new Map<string, number[]>(contenders.map(([name]) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < contenders.length; k++) {
        const [name, work] = contenders[(k + round) % contenders.length]!;
        const times: number[] = [];
        for (let i = 0; i < runs; i++) times.push(cpuMs(work));
        cpu.get(name)!.push(median(times));
      }
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
    const [stepBefore, stepNow, toValueBefore, toValueNow, fullAlone, checkAlone] = contenders.map(([name]) => name) as [string, string, string, string, string, string];
    console.log(
      `  less: schema step ${ratio(stepBefore, stepNow, bytes)} of bytes, ${ratio(stepBefore, stepNow, cpu)} of CPU; toValue ${ratio(toValueBefore, toValueNow, bytes)} bytes, ${ratio(toValueBefore, toValueNow, cpu)} CPU; check against full validator ${ratio(fullAlone, checkAlone, bytes)} bytes, ${ratio(fullAlone, checkAlone, cpu)} CPU`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
