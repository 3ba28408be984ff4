// Time to first draw of the architecture map, in process: compose text -> parse -> merged graph -> layout -> SVG
// (what the extension host does before it posts the picture to the webview), for 10 and 50 services.
// Baseline in the same run: parsing alone, which the checks pay anyway. Cold = the first run in a fresh
// process (what the first map of a session pays), warm = the median of later runs.
// The webview's own first paint is measured in the real editor by test/ui/scenarios/80-map.ui.ts.
import { buildArchitecture, familyOf } from '../src/core/map/graph';
import { layoutGraph } from '../src/core/map/layout';
import { toMermaid } from '../src/core/map/mermaid';
import { renderSvg } from '../src/core/map/svg';
import { parseYaml } from '../src/core/yaml/parse';
import { syntheticProject } from '../test/unit/map/fixtures';

const runs = Number(process.env.BENCH_RUNS ?? 300);
const stages = ['parse', 'graph', 'layout', 'svg', 'total', 'mermaid'] as const;
type Stage = (typeof stages)[number];

function once(text: string): Record<Stage, number> & { bytes: number } {
  let mark = performance.now();
  const lap = () => {
    const now = performance.now();
    const elapsed = now - mark;
    mark = now;
    return elapsed;
  };
  const start = mark;
  const parsed = parseYaml(text);
  const parse = lap();
  const graph = buildArchitecture({ project: 'bench', family: familyOf([{ path: 'compose.yaml', text, parsed }]) }).dev;
  const graphMs = lap();
  const layout = layoutGraph(graph);
  const layoutMs = lap();
  const svg = renderSvg(layout, { palette: 'webview', interactive: true });
  const svgMs = lap();
  const total = performance.now() - start;
  toMermaid(graph);
  return { parse, graph: graphMs, layout: layoutMs, svg: svgMs, total, mermaid: lap(), bytes: svg.length };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)]!;

console.log(`architecture map: time to first draw in the extension host (parse + graph + layout + SVG), ${runs} runs, Node ${process.version}`);
for (const count of [10, 50]) {
  const text = syntheticProject(count, 3);
  const cold = once(text);
  const samples = Array.from({ length: runs }, () => once(text));
  const column = (stage: Stage) => samples.map((s) => s[stage]);
  console.log(`\n${count} services (${(text.length / 1024).toFixed(1)} KiB of YAML, SVG ${(cold.bytes / 1024).toFixed(1)} KiB)`);
  console.log(`  cold first draw: ${cold.total.toFixed(2)} ms`);
  for (const stage of stages) {
    const label = stage === 'parse' ? 'parse (baseline)' : stage === 'total' ? 'TOTAL to SVG' : stage === 'mermaid' ? 'Mermaid export' : stage;
    console.log(`  ${label.padEnd(18)} median ${median(column(stage)).toFixed(3)} ms   p95 ${p95(column(stage)).toFixed(3)} ms`);
  }
}
