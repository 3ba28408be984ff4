// The cost of the architecture's rules on top of the per-file check (parse + schema), in process, on the
// generated architecture-style files of bench/checkGenerator.ts. Run: node scripts/build-tests.mjs && node out/bench/rules.bench.js
import { checkComposeText } from '../src/core/validation/checkFile';
import { checkProject } from '../src/core/validation/checkProject';
import { generateArchitectureCompose } from './checkGenerator';

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(runs: number, work: () => unknown): number {
  work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

for (const services of [50, 200, 1000]) {
  const text = generateArchitectureCompose(services);
  const override = 'services:\n' + Array.from({ length: services }, (_, i) => `  service-${i}:\n    environment:\n      DEBUG: "1"\n`).join('');
  const runs = services >= 1000 ? 5 : 11;
  const fileOnly = time(runs, () => checkComposeText(text));
  const family = time(runs, () => checkProject({ files: [{ path: 'docker-compose.yml', text }, { path: 'docker-compose.override.yml', text: override }], envExampleText: '' }));
  const single = time(runs, () => checkProject({ files: [{ path: 'docker-compose.yml', text }] }));
  const findings = [...checkProject({ files: [{ path: 'docker-compose.yml', text }] }).files.values()].flat().length;
  console.log(
    `${services} services (${text.split('\n').length} lines): per-file check ${fileOnly.toFixed(1)} ms; base alone with the 19 rules ${single.toFixed(1)} ms; ` +
      `family check (base + override, syntax + schema + dev/prod merge + 19 rules) ${family.toFixed(1)} ms; findings ${findings}`,
  );
}
