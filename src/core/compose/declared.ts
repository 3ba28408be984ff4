import type { Span } from '../text/lineIndex';
import { getValue, keyText } from '../yaml/ast';
import type { ParsedYaml } from '../yaml/parse';

export interface DeclaredService {
  readonly name: string;
  /** Index into the files given to `declaredServices` of the first file that declares the service. */
  readonly fileIndex: number;
  /** The service's key in that file. */
  readonly keySpan: Span;
}

export interface DeclaredProject {
  /** The top-level `name:` of the last file that sets one (later files win, as in Compose). */
  readonly name?: string;
  readonly services: readonly DeclaredService[];
}

/**
 * Services declared by a list of compose files applied in order (base first): the union of their
 * `services` keys, in first-declared order. Files that do not parse to a mapping contribute nothing.
 */
export function declaredServices(files: readonly ParsedYaml[]): DeclaredProject {
  let name: string | undefined;
  const services = new Map<string, DeclaredService>();
  files.forEach((file, fileIndex) => {
    const nameNode = getValue(file.root, 'name');
    if (nameNode?.kind === 'scalar' && typeof nameNode.value === 'string') name = nameNode.value;
    const servicesNode = getValue(file.root, 'services');
    if (servicesNode?.kind !== 'map') return;
    for (const pair of servicesNode.items) {
      const key = keyText(pair);
      if (key === undefined || services.has(key)) continue;
      services.set(key, { name: key, fileIndex, keySpan: pair.key.span });
    }
  });
  return { ...(name !== undefined ? { name } : {}), services: [...services.values()] };
}
