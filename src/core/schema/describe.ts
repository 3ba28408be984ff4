import { msg, type Message } from '../message';

/**
 * Words for what a value must be. Each combination is its own template so a translation can phrase the
 * whole sentence; a combination the schema does not use today falls back to JSON Schema's type names.
 */
export type TypeToken = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'mapping' | 'list' | 'list-of-strings';

/** Normalises a set of expected types: `integer` folds into `number`, `null` is dropped when anything else is allowed. */
export function normaliseTypes(tokens: Iterable<TypeToken>): TypeToken[] {
  const set = new Set(tokens);
  if (set.has('number')) set.delete('integer');
  if (set.has('list')) set.delete('list-of-strings');
  if (set.size > 1) set.delete('null');
  return [...set].sort();
}

/** "`path` must be …" for a value of the wrong type. `path` is the property path as the user writes it. */
export function describeExpectedType(path: string, tokens: Iterable<TypeToken>): Message {
  const types = normaliseTypes(tokens);
  switch (types.join('|')) {
    case 'string':
      return msg('{0} must be a string.', path);
    case 'number':
      return msg('{0} must be a number.', path);
    case 'integer':
      return msg('{0} must be a whole number.', path);
    case 'boolean':
      return msg('{0} must be true or false.', path);
    case 'null':
      return msg('{0} must be empty.', path);
    case 'mapping':
      return msg('{0} must be a mapping (key: value entries).', path);
    case 'list':
      return msg('{0} must be a list.', path);
    case 'list-of-strings':
      return msg('{0} must be a list of strings.', path);
    case 'number|string':
      return msg('{0} must be a number or a string.', path);
    case 'integer|string':
      return msg('{0} must be a whole number or a string.', path);
    case 'boolean|string':
      return msg('{0} must be true, false or a string.', path);
    case 'mapping|string':
      return msg('{0} must be a string or a mapping.', path);
    case 'list-of-strings|string':
      return msg('{0} must be a string or a list of strings.', path);
    case 'list|string':
      return msg('{0} must be a string or a list.', path);
    case 'list|mapping':
    case 'list-of-strings|mapping':
      return msg('{0} must be a list or a mapping.', path);
    case 'boolean|mapping|string':
      return msg('{0} must be true, false, a string or a mapping.', path);
    case 'boolean|number|string':
    case 'boolean|integer|string':
      return msg('{0} must be a number, a string, true or false.', path);
    case 'mapping|number|string':
    case 'integer|mapping|string':
      return msg('{0} must be a number, a string or a mapping.', path);
    case 'boolean|list|number|string':
    case 'boolean|list-of-strings|number|string':
      return msg('{0} must be a string, a number, true, false or a list.', path);
    default:
      return msg('{0} has the wrong type: expected {1}.', path, types.join(' or '));
  }
}

/**
 * The one message a person needs where the schema offers several forms (`oneOf`) and the value matches
 * none of them by type. Keyed by the end of the `oneOf`'s schema path.
 */
const formHints: readonly [suffix: string, describe: (path: string) => Message][] = [
  ['/properties/ports/items/oneOf', (path) => msg('{0} must be a port number, a string such as "8080:80" or "127.0.0.1:8080:80/udp", or a mapping with target, published and protocol.', path)],
  ['/properties/volumes/items/oneOf', (path) => msg('{0} must be a string such as "./data:/data:ro" or a mapping with type, source and target.', path)],
  ['/properties/depends_on/oneOf', (path) => msg('{0} must be a list of service names or a mapping from service names to options such as "condition: service_healthy".', path)],
  ['/list_or_dict/oneOf', (path) => msg('{0} must be a mapping of names to values or a list of "NAME=value" strings.', path)],
  ['/properties/build/oneOf', (path) => msg('{0} must be a build context path or a mapping with context, dockerfile and other build options.', path)],
  ['/properties/networks/oneOf', (path) => msg('{0} must be a list of network names or a mapping from network names to their options.', path)],
  ['/command/oneOf', (path) => msg('{0} must be a command string or a list of strings (exec form), such as ["npm", "start"].', path)],
  ['/healthcheck/properties/test/oneOf', (path) => msg('{0} must be a string or a list of strings such as ["CMD", "curl", "-f", "http://localhost/"].', path)],
  ['/service_config_or_secret/items/oneOf', (path) => msg('{0} must be a name or a mapping with source, target and mode.', path)],
  ['/properties/extends/oneOf', (path) => msg('{0} must be a service name or a mapping with service and file.', path)],
];

/** A hand-written description for a known `oneOf`, or undefined. */
export function describeForms(oneOfSchemaPath: string, path: string): Message | undefined {
  for (const [suffix, describe] of formHints) if (oneOfSchemaPath.endsWith(suffix)) return describe(path);
  return undefined;
}

/** Levenshtein distance, capped: enough to suggest "did you mean" for a mistyped property. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > cap) return cap + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/** The closest known name within a small distance, for "did you mean". */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  for (const candidate of known) {
    const distance = candidate.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, candidate, bestDistance);
    if (distance <= bestDistance && (best === undefined || distance < bestDistance)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
