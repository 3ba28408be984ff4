// Time to first draw of the architecture map, in process: compose text -> parse -> merged graph -> layout -> SVG
// (what the extension host does before posting the picture to the webview), for 10 and 50 services.
// Baseline measured in the same run: parsing alone, the part the checks pay anyway.
// The webview's own first paint is measured by the UI test (test/ui/scenarios/80-map.ui.ts) and logged.
import { buildArchitecture, familyOf } from '../src/core/map/graph';
import { layoutGraph } from '../src/core/map/layout';
import { toMermaid } from '../src/core/map/mermaid';
import { renderSvg } from '../src/core/map/svg';
import { parseYaml } from '../src/core/yaml/parse';
import { syntheticProject } from '../test/unit/map/fixtures';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measure(runs: number, body: () => void): { median: number; p95: number; first: number } {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    body();
    times.push(performance.now() - start);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { median: median(times), p95: sorted[Math.floor(sorted.length * 0.95)]!, first: times[0]! };
}

const runs = Number(process.env.BENCH_RUNS ?? 200);
console.log(`architecture map: time to first draw (in-process), ${runs} runs each, Node ${process.version}`);
console.log('services | parse only (baseline) | graph+layout+SVG from text | of which graph | layout | SVG | Mermaid | SVG size');
for (const count of [10, 50]) {
  const text = syntheticProject(count, 3);
  const parseOnly = measure(runs, () => parseYaml(text));
  const full = measure(runs, () => {
    const family = familyOf([{ path: 'compose.yaml', text, parsed: parseYaml(text) }]);
    const graph = buildArchitecture({ project: 'bench', family }).dev;
    renderSvg(layoutGraph(graph), { palette: 'webview', interactive: true });
  });
  const family = familyOf([{ path: 'compose.yaml', text, parsed: parseYaml(text) }]);
  const graphOnly = measure(runs, () => buildArchitecture({ project: 'bench', family }));
  const graph = buildArchitecture({ project: 'bench', family }).dev;
  const layoutOnly = measure(runs, () => layoutGraph(graph));
  const layout = layoutGraph(graph);
  const svgOnly = measure(runs, () => renderSvg(layout, { palette: 'webview', interactive: true }));
  const mermaid = measure(runs, () => toMermaid(graph));
  const size = renderSvg(layout, { palette: 'webview', interactive: true }).length;
  const f = (m: { median: number; p95: number }) => `${m.median.toFixed(2)} ms (p95 ${m.p95.toFixed(2)})`;
  console.log(`${String(count).padStart(8)} | ${f(parseOnly)} | ${f(full)} (first run ${full.first.toFixed(1)} ms) | ${f(graphOnly)} | ${f(layoutOnly)} | ${f(svgOnly)} | ${f(mermaid)} | ${(size / 1024).toFixed(1)} KiB`);
}
