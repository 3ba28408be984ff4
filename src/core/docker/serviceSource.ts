import type { Span } from '../text/lineIndex';
import { getValue, keyText } from '../yaml/ast';
import type { ParsedYaml } from '../yaml/parse';

export interface ServiceBuild {
  /** The build context as written (relative to the project folder unless absolute). */
  readonly context: string;
  /** The Dockerfile as written, relative to the context unless absolute. */
  readonly dockerfile: string;
  /** Index of the file whose `build` decided it (later files win, as in Compose). */
  readonly fileIndex: number;
}

export interface ServiceSource {
  readonly name: string;
  /** First file (in the given order) that declares the service, and its key there: "open definition". */
  readonly fileIndex: number;
  readonly keySpan: Span;
  readonly build?: ServiceBuild;
}

/**
 * Where each service is declared and what it builds from, over files applied in order (base first).
 * `build: ./dir` is a context; `build: {context, dockerfile}` defaults to `.` and `Dockerfile`.
 * Values that are not plain strings (interpolation aside) are taken as written.
 */
export function serviceSources(files: readonly ParsedYaml[]): Map<string, ServiceSource> {
  const sources = new Map<string, ServiceSource>();
  files.forEach((file, fileIndex) => {
    const services = getValue(file.root, 'services');
    if (services?.kind !== 'map') return;
    for (const pair of services.items) {
      const name = keyText(pair);
      if (name === undefined) continue;
      const known = sources.get(name);
      const build = readBuild(pair.value, fileIndex) ?? known?.build;
      sources.set(name, {
        name,
        fileIndex: known?.fileIndex ?? fileIndex,
        keySpan: known?.keySpan ?? pair.key.span,
        ...(build ? { build } : {}),
      });
    }
  });
  return sources;
}

function readBuild(service: ParsedYaml['root'], fileIndex: number): ServiceBuild | undefined {
  const build = getValue(service, 'build');
  if (!build) return undefined;
  if (build.kind === 'scalar' && typeof build.value === 'string' && build.value.trim() !== '') {
    return { context: build.value, dockerfile: 'Dockerfile', fileIndex };
  }
  if (build.kind !== 'map') return undefined;
  const context = getValue(build, 'context');
  const dockerfile = getValue(build, 'dockerfile');
  return {
    context: context?.kind === 'scalar' && typeof context.value === 'string' && context.value !== '' ? context.value : '.',
    dockerfile: dockerfile?.kind === 'scalar' && typeof dockerfile.value === 'string' && dockerfile.value !== '' ? dockerfile.value : 'Dockerfile',
    fileIndex,
  };
}

/** Joins a build context and Dockerfile into one '/'-separated path relative to the project folder (or absolute). */
export function dockerfilePath(build: ServiceBuild): string {
  const dockerfile = build.dockerfile.replace(/\\/g, '/');
  if (dockerfile.startsWith('/') || /^[A-Za-z]:\//.test(dockerfile)) return dockerfile;
  const context = build.context.replace(/\\/g, '/').replace(/\/+$/, '');
  const joined = context === '' || context === '.' ? dockerfile : `${context}/${dockerfile}`;
  return joined.replace(/^\.\//, '').replace(/\/\.\//g, '/');
}
