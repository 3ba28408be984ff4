import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildArchitecture, familyOf } from '../../../src/core/map/graph';
import { dependencyDepths, layoutGraph, shorten, type MapLayout } from '../../../src/core/map/layout';
import { mermaidIds, mermaidText, toMermaid } from '../../../src/core/map/mermaid';
import { escapeXml, renderSvg } from '../../../src/core/map/svg';
import { commentbot, source, syntheticProject } from './fixtures';

const graphOf = (text: string) => buildArchitecture({ project: 'p', family: familyOf([source('compose.yaml', text)]) }).dev;

// ---- a minimal XML well-formedness check (no XML parser among our dependencies) ----

/** Throws unless `xml` is one well-formed element: balanced tags, quoted unique attributes, known entities. */
function assertWellFormedXml(xml: string): { elements: { name: string; attributes: Map<string, string> }[] } {
  const elements: { name: string; attributes: Map<string, string> }[] = [];
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/gy;
  let match: RegExpExecArray | null;
  let roots = 0;
  let position = 0;
  while ((match = token.exec(xml)) !== null) {
    position = token.lastIndex;
    const [, closing, name, attributeText, selfClosing, textNode, strayLt] = match;
    if (strayLt) throw new Error(`malformed tag at ${match.index}: ${xml.slice(match.index, match.index + 40)}`);
    const entityCheck = (s: string) => {
      for (const entity of s.matchAll(/&([^;\s]*);?/g)) {
        if (!/^(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+)$/i.test(entity[1] ?? '') || !entity[0].endsWith(';')) throw new Error(`bad entity ${entity[0]}`);
      }
    };
    if (textNode !== undefined) {
      if (stack.length === 0 && textNode.trim() !== '') throw new Error('text outside the root element');
      entityCheck(textNode);
      continue;
    }
    if (closing) {
      if (stack.pop() !== name) throw new Error(`mismatched </${name}> at ${match.index}`);
      continue;
    }
    if (stack.length === 0) roots++;
    const attributes = new Map<string, string>();
    for (const attribute of (attributeText ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)) {
      if (attributes.has(attribute[1]!)) throw new Error(`duplicate attribute ${attribute[1]} on <${name}>`);
      entityCheck(attribute[2]!);
      attributes.set(attribute[1]!, attribute[2]!);
    }
    elements.push({ name: name!, attributes });
    if (!selfClosing) stack.push(name!);
  }
  if (position !== xml.length) throw new Error(`unparsed input at ${position}`);
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('> <')}>`);
  if (roots !== 1) throw new Error(`expected one root element, got ${roots}`);
  return { elements };
}

test('the XML checker itself rejects malformed documents', () => {
  for (const bad of ['<a><b></a>', '<a x="1" x="2"/>', '<a>&nope;</a>', '<a/><b/>', '<a><b/>', '<a>1 < 2</a>']) {
    assert.throws(() => assertWellFormedXml(bad), Error, bad);
  }
  assert.doesNotThrow(() => assertWellFormedXml('<a x="&amp;"><b/>t &lt; u</a>'));
});

// ---- layout ----

test('depth: 0 for services that depend on nothing; cycles are cut instead of looping', () => {
  const depths = dependencyDepths(graphOf('services:\n  a: {depends_on: [b]}\n  b: {depends_on: [c]}\n  c: {}\n  x: {depends_on: [y]}\n  y: {depends_on: [x]}\n'));
  assert.deepEqual(Object.fromEntries(depths), { a: 2, b: 1, c: 0, x: 1, y: 0 });
});

test('dependencies sit left of their dependents; network bands do not overlap', () => {
  for (const layout of [layoutGraph(commentbot().prod), layoutGraph(graphOf(syntheticProject(50)))]) {
    const box = new Map(layout.boxes.map((b) => [b.service.name, b]));
    for (const edge of layout.graph.edges) assert.ok(box.get(edge.to)!.x + box.get(edge.to)!.width <= box.get(edge.from)!.x, `${edge.from} -> ${edge.to}`);
    for (const [i, a] of layout.groups.entries()) for (const b of layout.groups.slice(i + 1)) assert.ok(a.y + a.height <= b.y, `${a.key} overlaps ${b.key}`);
    assertNoOverlap(layout);
    for (const b of layout.boxes) {
      const group = layout.groups.find((g) => g.key === b.group)!;
      assert.ok(b.y >= group.y && b.y + b.height <= group.y + group.height && b.x + b.width <= group.x + group.width, `${b.service.name} outside its band`);
    }
  }
});

function assertNoOverlap(layout: MapLayout): void {
  for (const [i, a] of layout.boxes.entries()) {
    for (const b of layout.boxes.slice(i + 1)) {
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      assert.ok(apart, `${a.service.name} overlaps ${b.service.name}`);
    }
  }
}

test('layout is deterministic: the same file gives the same picture, whatever the declaration order', () => {
  const text = syntheticProject(30);
  const reordered = syntheticProject(30, 3, true);
  assert.notEqual(reordered, text);
  const a = renderSvg(layoutGraph(graphOf(text)), { palette: 'light' });
  assert.equal(renderSvg(layoutGraph(graphOf(text)), { palette: 'light' }), a);
  assert.equal(renderSvg(layoutGraph(graphOf(reordered)), { palette: 'light' }), a);
});

test('a small edit moves little: adding one service leaves the others of other bands and columns in place', () => {
  const base = 'services:\n  api: {image: a, networks: [front], depends_on: [db]}\n  db: {image: d, networks: [back]}\n  cache: {image: c, networks: [back]}\nnetworks: {front: {}, back: {}}\n';
  const edited = base.replace('services:\n', 'services:\n  worker: {image: w, networks: [back], depends_on: [db]}\n');
  const before = new Map(layoutGraph(graphOf(base)).boxes.map((b) => [b.service.name, [b.x, b.y]]));
  const after = new Map(layoutGraph(graphOf(edited)).boxes.map((b) => [b.service.name, [b.x, b.y]]));
  for (const name of before.keys()) assert.deepEqual(after.get(name), before.get(name), `${name} moved`);
});

test('50 services stay readable: columns wrap at 8 boxes, the picture stays within a few screens', () => {
  const layout = layoutGraph(graphOf(syntheticProject(50)));
  assert.equal(layout.boxes.length, 50);
  const perColumn = new Map<string, number>();
  for (const b of layout.boxes) perColumn.set(`${b.group}@${b.x}`, (perColumn.get(`${b.group}@${b.x}`) ?? 0) + 1);
  assert.ok(Math.max(...perColumn.values()) <= 8);
  assert.ok(layout.width < 6000 && layout.height < 6000, `${layout.width}x${layout.height}`);
});

test('shorten keeps the end of long paths', () => {
  assert.equal(shorten('abc', 5), 'abc');
  assert.equal(shorten('./data/very/long/path', 8), '…ng/path');
});

// ---- SVG ----

test('SVG export is well-formed XML with one <g> per service and per edge', () => {
  const layout = layoutGraph(commentbot().dev);
  for (const palette of ['auto', 'light', 'dark', 'webview'] as const) {
    const svg = renderSvg(layout, { palette, interactive: palette === 'webview' });
    const { elements } = assertWellFormedXml(svg);
    const services = elements.filter((e) => e.name === 'g' && e.attributes.get('class')?.split(' ').includes('cb-service'));
    assert.deepEqual(services.map((e) => e.attributes.get('data-service')).sort(), ['commentbot-core', 'debug-tools', 'ollama', 'whisper-service'], palette);
    const edges = elements.filter((e) => e.name === 'g' && e.attributes.get('class')?.split(' ').includes('cb-edge'));
    assert.deepEqual(edges.map((e) => `${e.attributes.get('data-from')}->${e.attributes.get('data-to')}`), ['commentbot-core->ollama', 'commentbot-core->whisper-service']);
    assert.equal(svg.includes('<style>'), palette !== 'webview', palette);
    // Self-contained: nothing loaded from anywhere.
    assert.doesNotMatch(svg, /href="(?!#)|url\((?!#)|@import|<script/i);
  }
});

test('the webview SVG carries state, accessible labels and finding badges; exports do not', () => {
  const layout = layoutGraph(commentbot().dev);
  const status = new Map([['ollama', { state: 'running', health: 'unhealthy', text: 'running · unhealthy', label: 'ollama, running, unhealthy, 2 findings', findings: 2, severity: 'warning' }]]);
  const svg = renderSvg(layout, { palette: 'webview', interactive: true, status });
  const { elements } = assertWellFormedXml(svg);
  const ollama = elements.find((e) => e.attributes.get('data-service') === 'ollama' && e.attributes.get('class')?.includes('cb-service'))!;
  assert.equal(ollama.attributes.get('data-health'), 'unhealthy');
  assert.equal(ollama.attributes.get('aria-label'), 'ollama, running, unhealthy, 2 findings');
  assert.equal(ollama.attributes.get('tabindex'), '0');
  const badge = elements.find((e) => e.attributes.get('data-service') === 'ollama' && e.attributes.get('class') === 'cb-badge')!;
  assert.equal(badge.attributes.get('data-count'), '2');
  const exported = renderSvg(layout, { palette: 'auto' });
  assert.doesNotMatch(exported, /tabindex|cb-badge"/);
  assert.match(exported, /prefers-color-scheme: dark/);
});

test('names from the file are escaped', () => {
  assert.equal(escapeXml(`<a href="x">&'</a>`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  const layout = layoutGraph(graphOf('name: "x<y"\nservices:\n  "a&b":\n    image: "img<1>"\n'));
  assertWellFormedXml(renderSvg(layout, { palette: 'light', interactive: true }));
});

// ---- Mermaid ----

/** Checks the flowchart's shape line by line: header, balanced subgraphs, declared nodes, edges between them. */
function assertMermaidShape(text: string): { nodes: Set<string>; edges: string[] } {
  const lines = text.trimEnd().split('\n');
  assert.match(lines[0]!, /^flowchart (?:RL|LR|TB|BT|TD)$/);
  const nodes = new Set<string>();
  const edges: string[] = [];
  let depth = 0;
  for (const line of lines.slice(1)) {
    const trimmed = line.trim();
    if (trimmed.startsWith('%%')) continue;
    let m: RegExpMatchArray | null;
    if ((m = trimmed.match(/^subgraph ([A-Za-z_][\w]*)\["[^"]*"\]$/))) depth++;
    else if (trimmed === 'end') assert.ok(--depth >= 0, 'end without subgraph');
    else if ((m = trimmed.match(/^([A-Za-z_]\w*)\["([^"]*)"\]$/))) {
      assert.ok(!nodes.has(m[1]!), `node ${m[1]} declared twice`);
      assert.doesNotMatch(m[2]!.replace(/<br\/>|<\/?b>/g, ''), /[<>|]/, `raw markup in a label: ${line}`);
      nodes.add(m[1]!);
    } else if ((m = trimmed.match(/^([A-Za-z_]\w*) (-->|-\.->)\|([^|"]+)\| ([A-Za-z_]\w*)$/))) {
      assert.ok(nodes.has(m[1]!) && nodes.has(m[4]!), `edge between undeclared nodes: ${trimmed}`);
      edges.push(`${m[1]}->${m[4]}:${m[3]}`);
    } else if (/^classDef \w+ [\w-]+: [\w ]+$/.test(trimmed) || /^class [\w,]+ \w+$/.test(trimmed)) continue;
    else assert.fail(`line is not flowchart syntax: ${line}`);
    if (/^(?:graph|end)$/.test(m?.[1] ?? '')) assert.fail(`keyword used as an id: ${line}`);
  }
  assert.equal(depth, 0, 'unclosed subgraph');
  return { nodes, edges };
}

test('Mermaid: a flowchart with one node per service, subgraphs per network, labelled edges', () => {
  const { nodes, edges } = assertMermaidShape(toMermaid(commentbot().prod));
  assert.deepEqual([...nodes].sort(), ['s_backup', 's_commentbot_core', 's_ollama', 's_whisper_service']);
  assert.deepEqual(edges, ['s_backup->s_ollama:started', 's_commentbot_core->s_ollama:healthy', 's_commentbot_core->s_whisper_service:started']);
  const text = toMermaid(commentbot().prod);
  assert.match(text, /subgraph net_\d+\["network commentbot-network"\]/);
  assert.match(text, /class s_backup onlyOne/);
  assert.match(text, /×3/);
});

test('Mermaid ids are unique and never keywords; labels cannot break out of their quotes', () => {
  assert.deepEqual([...mermaidIds(['end', 'a-b', 'a_b', 'a.b']).values()], ['s_end', 's_a_b', 's_a_b_2', 's_a_b_3']);
  assert.equal(mermaidText('say "hi" <b>|x|</b> #1'), 'say #34;hi#34; #60;b#62;#124;x#124;#60;/b#62; #35;1');
  assertMermaidShape(toMermaid(graphOf('services:\n  "end":\n    image: \'a"b|c\'\n  x:\n    depends_on: {end: {condition: "we|ird"}}\n')));
  assertMermaidShape(toMermaid(graphOf(syntheticProject(50))));
  assert.equal(toMermaid(graphOf(syntheticProject(20))), toMermaid(graphOf(syntheticProject(20))));
});
