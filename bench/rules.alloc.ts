// Bytes allocated by `checkPrepared` (the architecture's rules, dedupe, suppressions, levels) per run, by
// function, read with V8's sampling heap profiler. Allocation does not depend on the machine's load, unlike
// CPU time, and garbage is paid twice (allocating it, collecting it).
// Run: node scripts/build-tests.mjs && node out/bench/rules.alloc.js [--services 1000] [--runs 5] [--top 30] [--swarm]
// (`--swarm`: with composeBlueprint.swarm.checks `on`, the Swarm rules and their fixes too).
import { Session } from 'node:inspector/promises';
import { generateArchitectureCompose } from './checkGenerator';
import { checkPrepared, type CheckOptions, prepareProject } from '../src/core/validation/checkProject';

interface SamplingNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly selfSize: number;
  readonly children: readonly SamplingNode[];
}

function argument(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

async function main(): Promise<void> {
  const services = argument('--services', 1000);
  const runs = argument('--runs', 5);
  const top = argument('--top', 30);
  const text = generateArchitectureCompose(services, { logging: 'inline' });
  const fresh = () => prepareProject({ files: [{ path: 'docker-compose.yml', text }] }, 'all');
  const options: CheckOptions = { configs: 'all', existingPaths: new Set<string>(), ...(process.argv.includes('--swarm') ? { swarm: 'on' as const } : {}) };
  for (let i = 0; i < 5; i++) checkPrepared(fresh(), options); // warm: optimized code allocates less than the interpreter
  // A fresh project per run, prepared before sampling starts: what the rules remember per tree is paid in every run, as in real use.
  const projects = Array.from({ length: runs }, fresh);

  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  for (const prepared of projects) checkPrepared(prepared, options);
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: SamplingNode } };
  session.disconnect();

  const byFunction = new Map<string, number>();
  let total = 0;
  // Builtins (`next`, `push`, `split`...) are named with the function that called them: `next < checkConfig:123`.
  const stack: { node: SamplingNode; caller: string }[] = [{ node: profile.head, caller: '' }];
  while (stack.length > 0) {
    const { node, caller } = stack.pop()!;
    const frame = node.callFrame;
    const place = frame.url ? `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/')}:${frame.lineNumber + 1}` : '';
    if (node.selfSize > 0) {
      const key = place || `${frame.functionName || '(anonymous)'}${caller ? ` < ${caller}` : ''}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
      total += node.selfSize;
    }
    for (const child of node.children) stack.push({ node: child, caller: place || caller });
  }
  const kb = (bytes: number) => `${(bytes / runs / 1024).toFixed(1).padStart(8)} KB`;
  console.log(`checkPrepared at ${services} services (inline variant${options.swarm ? ', swarm checks on' : ''}): ${(total / runs / 1024 / 1024).toFixed(2)} MB allocated per run (sampled every 256 bytes, ${runs} runs)`);
  for (const [name, bytes] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${kb(bytes)}  ${name}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
