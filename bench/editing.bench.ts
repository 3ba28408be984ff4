// Per-keystroke cost of the Dockerfile checks, compose completion and hover, in process.
//   npm run build-tests && node out/bench/editing.bench.js      (BENCH_RUNS=200 by default)
// Baselines measured in the same run: parsing alone (parseDockerfile; parseYaml for compose, what a
// parser-based completion would pay per request; ours reads indentation instead, so it also works on text
// that does not parse yet, at about the same cost).
import { composeCompletions } from '../src/core/completion/composeCompletion';
import { schemaDescription } from '../src/core/completion/schemaPath';
import { yamlKeyAt } from '../src/core/completion/yamlPath';
import { checkDockerfileText } from '../src/core/dockerfile/check';
import { parseDockerfile } from '../src/core/dockerfile/parse';
import { parseYaml } from '../src/core/yaml/parse';
import schema from '../schemas/compose-spec.json';

function measure(runs: number, body: () => unknown): { median: number; p95: number } {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    body();
    times.push(performance.now() - start);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, p95: sorted[Math.floor(sorted.length * 0.95)]! };
}

const ms = (value: number) => value.toFixed(3).padStart(8);

/** A multi-stage Dockerfile of about `lines` lines: apt installs, copies, heredocs, continuations. */
function dockerfile(stages: number): string {
  const parts: string[] = ['# syntax=docker/dockerfile:1', 'ARG PY=3.12'];
  for (let s = 0; s < stages; s++) {
    parts.push(`FROM python:\${PY}-slim AS stage${s}`, 'WORKDIR /app', 'RUN apt-get update \\', '    && apt-get install -y --no-install-recommends curl gcc \\', '    && rm -rf /var/lib/apt/lists/*');
    parts.push('COPY requirements.txt .', 'RUN pip install --no-cache-dir -r requirements.txt', 'RUN <<EOF', 'set -e', 'echo building', 'EOF', 'COPY . .', 'ENV A=1 B=2', 'EXPOSE 8000');
  }
  parts.push('USER 10001', 'CMD ["python", "main.py"]');
  return parts.join('\n') + '\n';
}

function compose(services: number): string {
  const lines = ['services:'];
  for (let i = 0; i < services; i++) {
    lines.push(`  svc-${i}:`, `    image: nginx:1.27-alpine`, '    networks:', '      - app-network', '    depends_on:', `      - svc-${(i + 1) % services}`, '    healthcheck:', '      test: ["CMD", "true"]', '    restart: unless-stopped');
  }
  lines.push('networks:', '  app-network:', '    driver: bridge', '');
  return lines.join('\n');
}

const runs = Number(process.env.BENCH_RUNS ?? 200);
console.log(`editing aids: per-keystroke work in process, ${runs} runs each, Node ${process.version}`);
console.log('Dockerfile lines | parse only (baseline) ms median/p95 | full check (parse + 13 rules + suppressions) ms median/p95');
for (const stages of [1, 10, 50]) {
  const text = dockerfile(stages);
  const uses = [{ service: 'api', composePath: '/p/docker-compose.yml', ports: [{ from: 8000, to: 8000, protocol: 'tcp' as const }], healthcheckTools: ['curl'] }];
  const parse = measure(runs, () => parseDockerfile(text));
  const check = measure(runs, () => checkDockerfileText(text, { composeUses: uses }));
  console.log(`${String(text.split('\n').length).padStart(16)} | ${ms(parse.median)} / ${ms(parse.p95)} | ${ms(check.median)} / ${ms(check.p95)}`);
}
console.log('compose services | parseYaml (baseline) ms median/p95 | depends_on completion ms median/p95 | key hover ms median/p95');
for (const services of [10, 100, 500]) {
  const text = compose(services);
  const offset = text.indexOf('      - svc-1\n') + '      - svc-'.length;
  const hoverAt = text.lastIndexOf('healthcheck:') + 3;
  const parse = measure(runs, () => parseYaml(text));
  const complete = measure(runs, () => composeCompletions({ text, offset, schema }));
  const hover = measure(runs, () => {
    const key = yamlKeyAt(text, hoverAt);
    return key && schemaDescription(schema, key.path);
  });
  const count = composeCompletions({ text, offset, schema }).length;
  if (count !== services - 1) throw new Error(`expected ${services - 1} completions, got ${count}`);
  console.log(`${String(services).padStart(16)} | ${ms(parse.median)} / ${ms(parse.p95)} | ${ms(complete.median)} / ${ms(complete.p95)} | ${ms(hover.median)} / ${ms(hover.p95)}`);
}
