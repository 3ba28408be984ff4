import fs from 'node:fs';
import path from 'node:path';
import { declaredServices } from '../core/compose/declared';
import { BASE_FILE_NAMES, classifyComposeFileName, composeProjectName } from '../core/compose/files';
import type { SourceFile } from '../core/compose/model';
import { buildArchitecture, familyOf } from '../core/map/graph';
import { layoutGraph } from '../core/map/layout';
import { toMermaid } from '../core/map/mermaid';
import { renderSvg } from '../core/map/svg';
import { parseYaml } from '../core/yaml/parse';
import { readText } from '../host/files';
import type { CliIo } from './main';

export const MAP_USAGE = `Usage: compose-blueprint map [dir] [--format mermaid|svg] [--env dev|prod] [--palette auto|light|dark] [--out <file>] [--force]

Prints the architecture map of the compose project in <dir> (default: the current folder): the merged
development (base + override, the default) or production (base + prod) configuration, as a Mermaid
flowchart (the default; paste it into a README's \`\`\`mermaid block) or a self-contained SVG.
--out writes a file instead; an existing file is only replaced with --force.
Exit status: 0 written, 1 no compose project in <dir>, 2 usage or I/O error.`;

interface MapOptions {
  dir: string;
  format: 'mermaid' | 'svg';
  view: 'dev' | 'prod';
  palette: 'auto' | 'light' | 'dark';
  out?: string;
  force: boolean;
}

function parse(args: readonly string[], io: CliIo): MapOptions | number {
  const options: MapOptions = { dir: '.', format: 'mermaid', view: 'dev', palette: 'auto', force: false };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = () => (eq > 0 ? arg.slice(eq + 1) : args[++i]);
    const choose = <T extends string>(allowed: readonly T[]): T | undefined => {
      const v = value();
      return allowed.find((a) => a === v);
    };
    if (name === '--help' || name === '-h') {
      io.out(MAP_USAGE + '\n');
      return 0;
    } else if (name === '--format') {
      const v = choose(['mermaid', 'svg'] as const);
      if (!v) return usage(io, '--format is mermaid or svg');
      options.format = v;
    } else if (name === '--env') {
      const v = choose(['dev', 'prod'] as const);
      if (!v) return usage(io, '--env is dev or prod');
      options.view = v;
    } else if (name === '--palette') {
      const v = choose(['auto', 'light', 'dark'] as const);
      if (!v) return usage(io, '--palette is auto, light or dark');
      options.palette = v;
    } else if (name === '--out') {
      const v = value();
      if (!v) return usage(io, '--out needs a file');
      options.out = v;
    } else if (name === '--force') options.force = true;
    else if (arg.startsWith('-')) return usage(io, `unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length > 1) return usage(io, 'one folder at most');
  options.dir = positional[0] ?? '.';
  return options;
}

function usage(io: CliIo, problem: string): number {
  io.err(`compose-blueprint map: ${problem}\n\n${MAP_USAGE}\n`);
  return 2;
}

/** `compose-blueprint map`: the architecture map of one folder's compose family, as Mermaid or SVG. */
export function runMap(args: readonly string[], io: CliIo): number {
  const options = parse(args, io);
  if (typeof options === 'number') return options;
  const dir = path.resolve(io.cwd, options.dir);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    io.err(`compose-blueprint map: cannot read ${dir}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const base = BASE_FILE_NAMES.find((name) => names.includes(name));
  if (!base) {
    io.err(`compose-blueprint map: no ${BASE_FILE_NAMES.join(', ')} in ${dir}\n`);
    return 1;
  }
  // Siblings of the base file's spelling only (docker-compose.* with docker-compose.yml), as Compose pairs them.
  const prefix = base.startsWith('docker-') ? 'docker-compose.' : 'compose.';
  const sibling = (role: 'override' | 'prod') => names.filter((n) => n.startsWith(prefix) && classifyComposeFileName(n)?.role === role).sort()[0];
  const files: SourceFile[] = [];
  const roles: { override?: number; prod?: number } = {};
  for (const [name, role] of [[base, undefined], [sibling('override'), 'override'], [sibling('prod'), 'prod']] as const) {
    if (!name) continue;
    const read = readText(path.join(dir, name));
    if (!read.ok) {
      io.err(`compose-blueprint map: ${read.error}\n`);
      return 2;
    }
    if (role) roles[role] = files.length;
    files.push({ path: name, text: read.text, parsed: parseYaml(read.text) });
  }
  const devParsed = [files[0]!, ...(roles.override !== undefined ? [files[roles.override]!] : [])].map((f) => f.parsed);
  const project = composeProjectName(path.basename(dir), declaredServices(devParsed).name);
  const graph = buildArchitecture({ project, family: familyOf(files, roles) })[options.view];
  const text = options.format === 'mermaid' ? toMermaid(graph) : `<?xml version="1.0" encoding="UTF-8"?>\n${renderSvg(layoutGraph(graph), { palette: options.palette })}\n`;
  if (!options.out) {
    io.out(text);
    return 0;
  }
  const target = path.resolve(io.cwd, options.out);
  if (fs.existsSync(target) && !options.force) {
    io.err(`compose-blueprint map: ${target} exists; --force replaces it\n`);
    return 2;
  }
  try {
    fs.writeFileSync(target, text);
  } catch (error) {
    io.err(`compose-blueprint map: cannot write ${target}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  io.out(`Wrote ${options.format === 'mermaid' ? 'the Mermaid flowchart' : 'the SVG'} of ${project} (${options.view}, ${graph.services.length} services) to ${target}\n`);
  return 0;
}
