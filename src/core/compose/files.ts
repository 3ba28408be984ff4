/**
 * Compose file names and how they group into a family: a base file with its override, production and
 * other environment siblings in one folder. Paths here are plain strings with '/' separators.
 */

/** Base file names Compose looks for, in its own order of preference. */
export const BASE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'] as const;

const COMPOSE_NAME = /^(?:docker-)?compose(?:\.([A-Za-z0-9_-]+))?\.ya?ml$/;

export type ComposeFileRole = 'base' | 'override' | 'prod' | 'env';

export interface ComposeFileName {
  readonly role: ComposeFileRole;
  /** For `docker-compose.<env>.yml`: the env name (`prod` for production, `staging`, ...). */
  readonly env?: string;
}

/** Classifies a file name (no folder) as a compose file, or returns undefined. */
export function classifyComposeFileName(fileName: string): ComposeFileName | undefined {
  const match = COMPOSE_NAME.exec(fileName);
  if (!match) return undefined;
  const env = match[1];
  if (env === undefined) return { role: 'base' };
  if (env === 'override') return { role: 'override' };
  if (env === 'prod' || env === 'production') return { role: 'prod', env };
  return { role: 'env', env };
}

export function isComposeFileName(fileName: string): boolean {
  return classifyComposeFileName(fileName) !== undefined;
}

export interface ComposeFamily {
  /** Folder that holds the family, '/'-separated, no trailing slash. */
  readonly folder: string;
  readonly base: string;
  readonly override?: string;
  readonly prod?: string;
  /** Other environments: env name -> path. */
  readonly envs: Readonly<Record<string, string>>;
}

function splitPath(path: string): { folder: string; name: string } {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? { folder: '', name: path } : { folder: path.slice(0, slash), name: path.slice(slash + 1) };
}

/**
 * Groups compose file paths into families, one per folder that has a base file. Siblings without a base
 * file in their folder are returned in `orphans` (they are still validated alone).
 */
export function groupComposeFamilies(paths: readonly string[]): { families: ComposeFamily[]; orphans: string[] } {
  const byFolder = new Map<string, { name: string; path: string }[]>();
  for (const path of paths) {
    const { folder, name } = splitPath(path);
    if (!isComposeFileName(name)) continue;
    const list = byFolder.get(folder) ?? [];
    list.push({ name, path });
    byFolder.set(folder, list);
  }
  const families: ComposeFamily[] = [];
  const orphans: string[] = [];
  for (const [folder, files] of [...byFolder].sort(([a], [b]) => a.localeCompare(b))) {
    const base = BASE_FILE_NAMES.map((name) => files.find((f) => f.name === name)).find((f) => f !== undefined);
    if (!base) {
      orphans.push(...files.map((f) => f.path));
      continue;
    }
    // docker-compose.* siblings go with a docker-compose.* base, compose.* with compose.*.
    const prefix = base.name.startsWith('docker-') ? 'docker-compose.' : 'compose.';
    let override: string | undefined;
    let prod: string | undefined;
    const envs: Record<string, string> = {};
    for (const file of files) {
      if (file === base) continue;
      const kind = classifyComposeFileName(file.name);
      if (!kind || kind.role === 'base' || !file.name.startsWith(prefix)) {
        orphans.push(file.path);
        continue;
      }
      if (kind.role === 'override') override ??= file.path;
      else if (kind.role === 'prod') prod ??= file.path;
      else if (kind.env) envs[kind.env] = file.path;
    }
    families.push({ folder, base: base.path, ...(override ? { override } : {}), ...(prod ? { prod } : {}), envs });
  }
  return { families, orphans: orphans.sort() };
}

/**
 * The project name Compose itself would use: the top-level `name:` if set, else the folder's base name,
 * lowercased with every character outside [a-z0-9_-] removed and leading non-alphanumerics dropped
 * (compose-go `loader.NormalizeProjectName`).
 */
export function composeProjectName(folder: string, declaredName?: string): string {
  const source = declaredName && declaredName.trim() !== '' ? declaredName : splitPath(folder).name || folder;
  return normalizeProjectName(source);
}

export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[^a-z0-9]+/, '');
}
