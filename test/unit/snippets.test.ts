import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { checkDockerfileText } from '../../src/core/dockerfile/check';
import type { ComposeBuildUse } from '../../src/core/dockerfile/composeUses';
import { formatMessage } from '../../src/core/message';
import { checkProject } from '../../src/core/validation/checkProject';

const root = path.resolve(__dirname, '../../..');

// ---------------------------------------------------------------------------------------------------------
// TextMate snippet expansion with default values, as VS Code inserts a snippet when the user only presses Tab.
// ---------------------------------------------------------------------------------------------------------

type FormatPart = string | { group: number; modifier?: string; ifText?: string; elseText?: string };
interface Transform {
  readonly regex: string;
  readonly format: FormatPart[];
  readonly flags: string;
}
type SnippetNode =
  | { kind: 'text'; value: string }
  | { kind: 'tabstop'; index: number; children?: SnippetNode[]; choices?: string[]; transform?: Transform }
  | { kind: 'variable'; name: string; children?: SnippetNode[]; transform?: Transform };

class SnippetParser {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): SnippetNode[] {
    const nodes = this.sequence(false);
    assert.equal(this.i, this.s.length, `unparsed snippet text at ${this.i}: ${this.s.slice(this.i, this.i + 20)}`);
    return nodes;
  }

  /** Text and placeholders until the end, or until an unescaped `}` when inside a placeholder. */
  private sequence(inPlaceholder: boolean): SnippetNode[] {
    const nodes: SnippetNode[] = [];
    let text = '';
    const flush = () => {
      if (text) nodes.push({ kind: 'text', value: text });
      text = '';
    };
    while (this.i < this.s.length) {
      const c = this.s[this.i]!;
      if (c === '\\' && '$}\\'.includes(this.s[this.i + 1] ?? '')) {
        text += this.s[this.i + 1];
        this.i += 2;
      } else if (c === '}' && inPlaceholder) {
        break;
      } else if (c === '$') {
        const node = this.dollar();
        if (node) {
          flush();
          nodes.push(node);
        } else {
          text += '$';
          this.i++;
        }
      } else {
        text += c;
        this.i++;
      }
    }
    flush();
    return nodes;
  }

  private dollar(): SnippetNode | undefined {
    const rest = this.s.slice(this.i);
    const simple = /^\$(\d+|[_a-zA-Z][_a-zA-Z0-9]*)/.exec(rest);
    if (simple) {
      this.i += simple[0].length;
      return /^\d/.test(simple[1]!) ? { kind: 'tabstop', index: Number(simple[1]) } : { kind: 'variable', name: simple[1]! };
    }
    const braced = /^\$\{(\d+|[_a-zA-Z][_a-zA-Z0-9]*)/.exec(rest);
    if (!braced) return undefined;
    const start = this.i;
    this.i += braced[0].length;
    const id = braced[1]!;
    const isTabstop = /^\d/.test(id);
    const base = isTabstop ? { kind: 'tabstop' as const, index: Number(id) } : { kind: 'variable' as const, name: id };
    const next = this.s[this.i];
    if (next === '}') {
      this.i++;
      return base;
    }
    if (next === ':') {
      this.i++;
      const children = this.sequence(true);
      if (this.s[this.i] !== '}') return this.fail(start);
      this.i++;
      return { ...base, children };
    }
    if (next === '|' && isTabstop) {
      this.i++;
      const choices: string[] = [];
      let current = '';
      while (this.i < this.s.length && !(this.s[this.i] === '|' && this.s[this.i + 1] === '}')) {
        const c = this.s[this.i]!;
        if (c === '\\' && ',|\\$}'.includes(this.s[this.i + 1] ?? '')) {
          current += this.s[this.i + 1];
          this.i += 2;
        } else if (c === ',') {
          choices.push(current);
          current = '';
          this.i++;
        } else {
          current += c;
          this.i++;
        }
      }
      choices.push(current);
      this.i += 2;
      return { ...base, kind: 'tabstop', index: Number(id), choices };
    }
    if (next === '/') {
      this.i++;
      const regex = this.until('/', true);
      const format = this.formatUntilSlash();
      const flags = this.until('}', false);
      return { ...base, transform: { regex, format, flags } };
    }
    return this.fail(start);
  }

  private fail(start: number): undefined {
    this.i = start;
    return undefined;
  }

  /** Raw text until an unescaped `end`; `\/` becomes `/` in a regex, other escapes stay for the RegExp. */
  private until(end: string, regex: boolean): string {
    let out = '';
    while (this.i < this.s.length && this.s[this.i] !== end) {
      if (this.s[this.i] === '\\' && this.s[this.i + 1] === end) {
        out += end;
        this.i += 2;
      } else if (this.s[this.i] === '\\' && regex) {
        out += this.s.slice(this.i, this.i + 2);
        this.i += 2;
      } else out += this.s[this.i++];
    }
    this.i++;
    return out;
  }

  private formatUntilSlash(): FormatPart[] {
    const parts: FormatPart[] = [];
    while (this.i < this.s.length && this.s[this.i] !== '/') {
      const rest = this.s.slice(this.i);
      const group = /^\$(\d+)|^\$\{(\d+)\}/.exec(rest);
      const complex = /^\$\{(\d+):(\/(upcase|downcase|capitalize|camelcase|pascalcase)|\+([^}]*)|\?([^:}]*):([^}]*)|-?([^}]*))\}/.exec(rest);
      if (complex) {
        const n = Number(complex[1]);
        if (complex[3]) parts.push({ group: n, modifier: complex[3] });
        else if (complex[4] !== undefined) parts.push({ group: n, ifText: complex[4] });
        else if (complex[5] !== undefined) parts.push({ group: n, ifText: complex[5], elseText: complex[6] ?? '' });
        else parts.push({ group: n, elseText: complex[7] ?? '' });
        this.i += complex[0].length;
      } else if (group) {
        parts.push({ group: Number(group[1] ?? group[2]) });
        this.i += group[0].length;
      } else if (this.s[this.i] === '\\') {
        parts.push(this.s[this.i + 1] ?? '');
        this.i += 2;
      } else parts.push(this.s[this.i++]!);
    }
    this.i++;
    return parts;
  }
}

function applyTransform(value: string, transform: Transform): string {
  const regex = new RegExp(transform.regex, transform.flags.replace(/[^gimsuy]/g, ''));
  return value.replace(regex, (...args: unknown[]) => {
    const groups = args.slice(0, -2).map((g): string => (typeof g === 'string' ? g : ''));
    return transform.format
      .map((part) => {
        if (typeof part === 'string') return part;
        const g = groups[part.group] ?? '';
        if (part.modifier === 'upcase') return g.toUpperCase();
        if (part.modifier === 'downcase') return g.toLowerCase();
        if (part.modifier === 'capitalize') return g.charAt(0).toUpperCase() + g.slice(1);
        if (part.ifText !== undefined) return g ? part.ifText : (part.elseText ?? '');
        if (part.elseText !== undefined) return g || part.elseText;
        return g;
      })
      .join('');
  });
}

/** Expands a snippet body with every placeholder at its default (the first choice, the placeholder text). */
export function expandSnippet(body: string, variables: Readonly<Record<string, string>>): string {
  const nodes = new SnippetParser(body).parse();
  const values = new Map<number, string>();
  const render = (list: readonly SnippetNode[]): string =>
    list
      .map((node) => {
        if (node.kind === 'text') return node.value;
        if (node.kind === 'variable') {
          const known = variables[node.name];
          const value = known ?? (node.children ? render(node.children) : node.name);
          return node.transform && known !== undefined ? applyTransform(value, node.transform) : value;
        }
        if (!values.has(node.index)) {
          if (node.choices) values.set(node.index, node.choices[0] ?? '');
          else if (node.children) values.set(node.index, render(node.children));
        }
        const value = values.get(node.index) ?? '';
        return node.transform ? applyTransform(value, node.transform) : value;
      })
      .join('');
  // The first pass fixes every placeholder's value; mirrors before their placeholder read it in the second.
  render(nodes);
  return render(nodes);
}

test('snippet expansion: placeholders, mirrors, choices, nesting, variables, transforms, escapes', () => {
  const vars = { TM_FILENAME: 'Dockerfile', TM_DIRECTORY: '/p/build/my-api' };
  const cases: [string, string][] = [
    ['a ${1:web} $1 ${1}', 'a web web web'],
    ['$1 then ${1:late}', 'late then late'],
    ['${1|1G,512M|}', '1G'],
    ['${2:x ${1:inner} y} $1', 'x inner y inner'],
    ['$TM_FILENAME ${TM_FILENAME} ${UNKNOWN_VAR:fallback} $UNKNOWN', 'Dockerfile Dockerfile fallback UNKNOWN'],
    ['${TM_DIRECTORY/^.*[\\\\\\/]//}', 'my-api'],
    ['${1:my-api} ${1/([A-Za-z0-9]+)|([^A-Za-z0-9]+)/${1:/upcase}${2:+_}/g}', 'my-api MY_API'],
    ['\\$HOME \\} \\\\ $ alone $0', '$HOME } \\ $ alone '],
    ['${1|a\\,b,c|}', 'a,b'],
  ];
  for (const [body, expected] of cases) assert.equal(expandSnippet(body, vars), expected, body);
});

// ---------------------------------------------------------------------------------------------------------
// Every contributed snippet, expanded and checked.
// ---------------------------------------------------------------------------------------------------------

interface SnippetDefinition {
  readonly prefix: string;
  readonly description: string;
  readonly body: string[];
}

interface Manifest {
  contributes: { snippets: { language: string; path: string }[] };
}

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
const snippetFiles = fs.readdirSync(path.join(root, 'snippets')).filter((f) => f.endsWith('.code-snippets'));
const load = (file: string) => JSON.parse(fs.readFileSync(path.join(root, 'snippets', file), 'utf8')) as Record<string, SnippetDefinition>;

test('every snippet file is contributed, for the right languages', () => {
  const contributed = manifest.contributes.snippets;
  assert.deepEqual([...new Set(contributed.map((s) => s.path.replace(/^\.\/snippets\//, '')))].sort(), [...snippetFiles].sort());
  const languagesOf = (file: string) => contributed.filter((s) => s.path.endsWith(file)).map((s) => s.language).sort();
  assert.deepEqual(languagesOf('compose.code-snippets'), ['dockercompose']);
  assert.deepEqual(languagesOf('dockerfile.code-snippets'), ['dockerfile']);
  assert.deepEqual(languagesOf('shell.code-snippets'), ['shellscript']);
  assert.deepEqual(languagesOf('env.code-snippets'), ['properties', 'shellscript']); // dotenv: src/editor/completion/envSnippets.ts
  const prefixes = snippetFiles.flatMap((file) => Object.values(load(file)).map((s) => s.prefix));
  assert.equal(new Set(prefixes).size, prefixes.length, 'prefixes are unique');
  for (const file of snippetFiles) {
    for (const [name, snippet] of Object.entries(load(file))) {
      assert.match(snippet.prefix, /^bp-[a-z-]+$/, name);
      assert.ok(snippet.description.length > 10, name);
      assert.ok(Array.isArray(snippet.body) && snippet.body.length > 0, name);
    }
  }
});

const editorVariables = (filePath: string): Record<string, string> => ({
  TM_FILENAME: path.posix.basename(filePath),
  TM_FILENAME_BASE: path.posix.basename(filePath).replace(/\.[^.]*$/, ''),
  TM_DIRECTORY: path.posix.dirname(filePath),
  TM_FILEPATH: filePath,
  TM_SELECTED_TEXT: '',
  TM_CURRENT_LINE: '',
  TM_CURRENT_WORD: '',
  TM_LINE_INDEX: '0',
  TM_LINE_NUMBER: '1',
  WORKSPACE_NAME: 'shop',
});

const indent = (text: string, spaces: number) =>
  text
    .split('\n')
    .map((line) => (line.trim() === '' ? '' : ' '.repeat(spaces) + line))
    .join('\n');

/** The full pattern, block by block, for host services the fragments are put into. */
const SERVICE_BLOCKS: Record<string, string> = {
  image: 'image: nginx:1.27-alpine',
  volumes: 'volumes:\n  - ./data/host/config:/etc/nginx/conf.d:ro\n  - ./bd/host-data:/var/lib/host',
  networks: 'networks:\n  - app-network',
  healthcheck: 'healthcheck:\n  test: ["CMD-SHELL", "wget -q --spider http://localhost/ || exit 1"]\n  interval: 30s\n  timeout: 10s\n  retries: 5',
  restart: 'restart: unless-stopped',
  logging: 'logging:\n  driver: json-file\n  options:\n    max-size: "10m"\n    max-file: "3"',
  deploy: 'deploy:\n  resources:\n    limits:\n      memory: 256M\n      cpus: "0.5"\n    reservations:\n      memory: 128M\n      cpus: "0.25"',
};

function service(name: string, blocks: Record<string, string>, extra = ''): string {
  return `  ${name}:\n` + indent([...Object.values(blocks), extra].filter((b) => b !== '').join('\n'), 4);
}

const DB = service('db', {
  ...SERVICE_BLOCKS,
  image: 'image: redis:7.4-alpine',
  volumes: 'volumes:\n  - ./bd/db-data:/data',
  healthcheck: 'healthcheck:\n  test: ["CMD", "redis-cli", "ping"]\n  interval: 10s\n  timeout: 5s\n  retries: 5',
});
const API = service('api', { ...SERVICE_BLOCKS, healthcheck: SERVICE_BLOCKS.healthcheck!.replace('http://localhost/', 'http://localhost:8000/health') });
const NETWORKS = 'networks:\n  app-network:\n    driver: bridge';

/** Where each compose snippet goes in a minimal valid project, by prefix. */
const COMPOSE_PLACEMENT: Record<string, (expanded: string) => string> = {
  'bp-service-build': (s) => `services:\n${DB}\n${indent(s, 2)}\n${NETWORKS}\n`,
  'bp-service-image': (s) => `services:\n${DB}\n${indent(s, 2)}\n${NETWORKS}\n`,
  'bp-monitor': (s) => `services:\n${API}\n${indent(s, 2)}\n${NETWORKS}\n`,
  'bp-networks': (s) => `services:\n${DB}\n${s}\n`,
};
for (const key of ['healthcheck', 'deploy', 'logging', 'volumes']) {
  const host = (s: string) => {
    const blocks = { ...SERVICE_BLOCKS };
    delete blocks[key];
    return `services:\n${DB}\n${service('host', blocks, s)}\n${NETWORKS}\n`;
  };
  const prefixes: Record<string, string[]> = {
    healthcheck: ['bp-healthcheck-curl', 'bp-healthcheck-wget', 'bp-healthcheck-postgres', 'bp-healthcheck-redis', 'bp-healthcheck-mongo'],
    deploy: ['bp-resources'],
    logging: ['bp-logging'],
    volumes: ['bp-volumes'],
  };
  for (const prefix of prefixes[key]!) COMPOSE_PLACEMENT[prefix] = host;
}

/** Syntax, schema and every architecture rule on the merged dev and prod configs, as the editor and CLI run them. */
function checkCompose(text: string) {
  const file = '/project/docker-compose.yml';
  return { findings: checkProject({ files: [{ path: file, text }], envExampleText: '' }).files.get(file) ?? [] };
}

const describe = (text: string, findings: readonly { rule: string; message: Parameters<typeof formatMessage>[0]; span: { start: number } }[]) =>
  findings.map((f) => `${f.rule} at ${text.slice(0, f.span.start).split('\n').length}: ${formatMessage(f.message)}`).join('\n') + '\n---\n' + text;

test('the harness itself is clean (so a finding below is the snippet\'s)', () => {
  const text = `services:\n${DB}\n${API}\n${NETWORKS}\n`;
  const { findings } = checkCompose(text);
  assert.deepEqual(findings, [], describe(text, findings));
});

for (const [name, snippet] of Object.entries(load('compose.code-snippets'))) {
  test(`compose snippet ${snippet.prefix} (${name}) expands to a file with no finding`, () => {
    const place = COMPOSE_PLACEMENT[snippet.prefix];
    assert.ok(place, `no placement for ${snippet.prefix}: add one to COMPOSE_PLACEMENT`);
    const expanded = expandSnippet(snippet.body.join('\n'), editorVariables('/project/docker-compose.yml'));
    assert.doesNotMatch(expanded, /\$\{?\d/, 'a tabstop was left unexpanded');
    const text = place(expanded.replace(/\n+$/, ''));
    const { findings } = checkCompose(text);
    assert.deepEqual(findings, [], describe(text, findings));
    assert.ok(text.includes(expanded.split('\n')[0]!), 'the snippet is in the checked text');
  });
}

/** The compose side the Dockerfile snippets are built for: the seed's healthcheck tool and port. */
const DOCKERFILE_USES: Record<string, ComposeBuildUse[]> = {
  'bp-dockerfile': [{ service: 'api', composePath: '/project/docker-compose.yml', ports: [{ from: 8000, to: 8000, protocol: 'tcp' }], healthcheckTools: ['curl'] }],
  'bp-dockerfile-python': [{ service: 'api', composePath: '/project/docker-compose.yml', ports: [{ from: 8000, to: 8000, protocol: 'tcp' }], healthcheckTools: ['curl'] }],
  'bp-dockerfile-node': [{ service: 'web', composePath: '/project/docker-compose.yml', ports: [{ from: 3000, to: 3000, protocol: 'tcp' }], healthcheckTools: ['wget'] }],
};

for (const [name, snippet] of Object.entries(load('dockerfile.code-snippets'))) {
  test(`Dockerfile snippet ${snippet.prefix} (${name}) expands to a Dockerfile with no finding`, () => {
    const uses = DOCKERFILE_USES[snippet.prefix];
    assert.ok(uses, `no compose use for ${snippet.prefix}: add one to DOCKERFILE_USES`);
    const text = expandSnippet(snippet.body.join('\n'), editorVariables('/project/build/api/Dockerfile'));
    const { findings, parsed } = checkDockerfileText(text, { composeUses: uses });
    assert.deepEqual(findings, [], describe(text, findings));
    assert.ok(parsed.stages.length >= 1);
  });
}

const shellcheck = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
const hasShellcheck = shellcheck.status === 0;

function checkShell(text: string, shell: 'bash' | 'sh', exclude: string[] = []): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-snippet-'));
  try {
    const file = path.join(dir, 'snippet.sh');
    fs.writeFileSync(file, text);
    const syntax = spawnSync(shell === 'sh' ? 'sh' : 'bash', ['-n', file], { encoding: 'utf8' });
    assert.equal(syntax.status, 0, `${shell} -n: ${syntax.stderr}\n---\n${text}`);
    if (hasShellcheck) {
      const lint = spawnSync('shellcheck', ['--shell', shell, '--severity', 'style', ...(exclude.length > 0 ? ['--exclude', exclude.join(',')] : []), file], { encoding: 'utf8' });
      assert.equal(lint.status, 0, `shellcheck:\n${lint.stdout}\n---\n${text}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

for (const [name, snippet] of Object.entries(load('shell.code-snippets'))) {
  test(`shell snippet ${snippet.prefix} (${name}) passes ${hasShellcheck ? 'bash -n and shellcheck' : 'bash -n (shellcheck not installed)'}`, () => {
    const text = expandSnippet(snippet.body.join('\n'), editorVariables('/project/data/scripts/script.sh'));
    const shebang = /^#!\S*\/(\w+)/.exec(text)?.[1];
    checkShell(text, shebang === 'sh' ? 'sh' : 'bash');
  });
}

for (const [name, snippet] of Object.entries(load('env.code-snippets'))) {
  test(`.env snippet ${snippet.prefix} (${name}) gives valid variable lines`, () => {
    const text = expandSnippet(snippet.body.join('\n'), editorVariables('/project/.env.example'));
    const lines = text.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
    assert.ok(lines.length >= 2);
    for (const line of lines) assert.match(line, /^[A-Z_][A-Z0-9_]*=\S*$/, line);
    assert.ok(lines.every((line) => line.startsWith('API_')), text);
    // An env file only assigns: "assigned but unused" (SC2034) is its purpose.
    checkShell(text, 'sh', ['SC2034']);
  });
}
