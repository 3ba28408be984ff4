import type { ErrorObject } from 'ajv';
import type { Finding, Fix } from '../findings';
import { msg, type Message } from '../message';
import type { YamlMap, YamlNode, YamlPair } from '../yaml/ast';
import type { Span } from '../text/lineIndex';
import type { ParsedYaml } from '../yaml/parse';
import { AliasBudgetExceeded, toValue, type PlainValue } from '../yaml/toValue';
import { closestName, describeExpectedType, describeForms, type TypeToken } from './describe';
import { validateCompose } from './validator';

export const SCHEMA_RULE = 'schema';

/** Real files stay far below this (1,000 services with a shared logging anchor build about 60,000 nodes). */
export const DEFAULT_MAX_SCHEMA_NODES = 2_000_000;

export interface SchemaCheckOptions {
  /** Bound on nodes built while resolving aliases and merges; beyond it the file is reported, not validated. */
  readonly maxNodes?: number;
}

/** One schema problem after `oneOf` noise is collapsed: an Ajv error, or "none of these types". */
type Issue =
  | { readonly kind: 'error'; readonly path: readonly string[]; readonly error: ErrorObject }
  | { readonly kind: 'forms'; readonly path: readonly string[]; readonly oneOfPath: string; readonly types: readonly TypeToken[] }
  | { readonly kind: 'ambiguous'; readonly path: readonly string[] };

/**
 * Validates a parsed compose file against the compose-spec schema and returns every error as a finding
 * (rule `schema`) on the YAML node it concerns: the key of an unknown property, the value of a wrong
 * type or enum. Aliases and `<<` merges are resolved first, as Compose does; an error inside merged or
 * aliased content lands on the alias or merge key in this file. `!reset` entries are left out (Compose
 * drops them before validating) and `!override` values are validated as written.
 */
export function schemaFindings(parsed: ParsedYaml, options: SchemaCheckOptions = {}): Finding[] {
  const root = parsed.root;
  if (!root) {
    // A file with only comments or nothing at all; Compose refuses it ("empty compose file").
    if (parsed.problems.some((problem) => problem.severity === 'error')) return [];
    return [{ rule: SCHEMA_RULE, severity: 'warning', message: msg('The file is empty: a compose file needs at least a services: mapping.'), span: { start: 0, end: 0 } }];
  }
  if (root.kind !== 'map') return [topLevelNotMapping(root)];

  let value: PlainValue;
  try {
    value = toValue(root, parsed.anchors, { maxNodes: options.maxNodes ?? DEFAULT_MAX_SCHEMA_NODES, dropReset: true, shareAliases: true });
  } catch (error) {
    if (!(error instanceof AliasBudgetExceeded)) throw error;
    const alias = firstAlias(root);
    return [
      {
        rule: SCHEMA_RULE,
        severity: 'error',
        message: msg('Aliases in this file expand to more than {0} nodes (an alias bomb?): it was not checked against the schema.', error.budget),
        span: alias ? alias.span : { start: root.span.start, end: root.span.start },
      },
    ];
  }

  const errors = validateCompose(value);
  if (errors.length === 0) return [];
  return collapse(errors).map((issue) => toFinding(issue, parsed));
}

function topLevelNotMapping(root: YamlNode): Finding {
  const message =
    root.kind === 'seq'
      ? msg('The top level of a compose file must be a mapping (services:, networks:, volumes: …), not a list.')
      : msg('The top level of a compose file must be a mapping (services:, networks:, volumes: …), not a single value.');
  // The whole list would underline the file; its first entry says enough.
  const end = root.kind === 'seq' && root.items[0] ? root.items[0].span.end : root.span.end;
  return { rule: SCHEMA_RULE, severity: 'error', message, span: { start: root.span.start, end } };
}

function firstAlias(node: YamlNode | null): YamlNode | undefined {
  if (!node) return undefined;
  switch (node.kind) {
    case 'alias':
      return node;
    case 'scalar':
      return undefined;
    case 'seq':
      for (const item of node.items) {
        const found = firstAlias(item);
        if (found) return found;
      }
      return undefined;
    case 'map':
      for (const pair of node.items) {
        const found = firstAlias(pair.value);
        if (found) return found;
      }
      return undefined;
  }
}

// ---- collapsing oneOf/anyOf ------------------------------------------------------------------------------

function pathOf(error: ErrorObject): string[] {
  if (error.instancePath === '') return [];
  return error.instancePath
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function within(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment);
}

function typeTokens(error: ErrorObject): TypeToken[] {
  const declared = (error.params as { type?: string | string[] }).type;
  const types = Array.isArray(declared) ? declared : declared ? [declared] : [];
  const items = (error.parentSchema as { items?: { type?: unknown } } | undefined)?.items;
  return types.map((type): TypeToken => {
    switch (type) {
      case 'object':
        return 'mapping';
      case 'array':
        return items?.type === 'string' ? 'list-of-strings' : 'list';
      case 'string':
      case 'number':
      case 'integer':
      case 'boolean':
      case 'null':
        return type;
      default:
        return 'string';
    }
  });
}

/**
 * Ajv reports a failed `oneOf` as the errors of every branch followed by the `oneOf` error itself, all
 * for the same value. A person needs one of two things: when a branch accepts the value's type, that
 * branch's own errors (they say what is wrong inside it); when none does, the forms that are allowed.
 * The compose schema never puts other keywords beside a `oneOf`, so the branch errors are exactly the
 * contiguous run of errors for that value (or inside it) just before the `oneOf` error.
 */
function collapse(errors: readonly ErrorObject[]): Issue[] {
  const out: Issue[] = [];
  for (const error of errors) {
    const path = pathOf(error);
    if (error.keyword !== 'oneOf' && error.keyword !== 'anyOf') {
      // `if` only says "must match then"; the `then` errors say why.
      if (error.keyword !== 'if') out.push({ kind: 'error', path, error });
      continue;
    }
    let first = out.length;
    while (first > 0 && within(out[first - 1]!.path, path)) first--;
    const branches = out.splice(first);
    if (branches.length === 0) {
      out.push({ kind: 'ambiguous', path });
      continue;
    }
    const isTypeMismatchHere = (issue: Issue): boolean =>
      issue.kind === 'error' && issue.error.keyword === 'type' && issue.path.length === path.length;
    const specific = branches.filter((issue) => !isTypeMismatchHere(issue));
    if (specific.length > 0) {
      out.push(...specific);
      continue;
    }
    const types = branches.flatMap((issue) => (issue.kind === 'error' ? typeTokens(issue.error) : []));
    out.push({ kind: 'forms', path, oneOfPath: error.schemaPath, types });
  }
  // The same message at the same place can come from two branches; keep one.
  const seen = new Set<string>();
  return out.filter((issue) => {
    const key = `${issue.path.join('\u0000')}|${issue.kind === 'error' ? `${issue.error.keyword}|${JSON.stringify(issue.error.params)}` : issue.kind}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---- from instance paths to YAML nodes --------------------------------------------------------------------

/** The user's way to write a path: `services.web.ports[0]`, `services["my app"]`. */
export function formatPath(path: readonly (string | number)[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(segment) && !segment.includes('.')) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

interface Located {
  /** The node for the path's last segment reached in this file. */
  readonly node: YamlNode;
  /** The key of the pair holding `node`, when `node` is a mapping value. */
  readonly key?: YamlNode;
  /** The path with sequence indices as numbers, as far as it was followed. */
  readonly path: readonly (string | number)[];
  /** True when the path went into aliased or merged content: `node` is the alias or merge value here. */
  readonly indirect: boolean;
}

function isMergeKey(pair: YamlPair): boolean {
  return pair.key.kind === 'scalar' && pair.key.value === '<<' && pair.key.style === 'plain';
}

function findPair(map: YamlMap, key: string): YamlPair | undefined {
  let found: YamlPair | undefined;
  for (const pair of map.items) {
    if (pair.key.kind === 'scalar' && !isMergeKey(pair) && String(pair.key.value) === key) found = pair;
  }
  return found;
}

function resolveAlias(node: YamlNode | null, anchors: ReadonlyMap<string, YamlNode>): YamlNode | null {
  let current = node;
  for (let hops = 0; current?.kind === 'alias' && hops < 64; hops++) current = anchors.get(current.name) ?? null;
  return current;
}

/** Whether `key` comes into `map` through its `<<` merges; returns the merge value node in `map` to blame. */
function mergeSourceOf(map: YamlMap, key: string, anchors: ReadonlyMap<string, YamlNode>, depth = 0): YamlNode | undefined {
  if (depth > 16) return undefined;
  for (const pair of map.items) {
    if (!isMergeKey(pair) || !pair.value) continue;
    const sources = pair.value.kind === 'seq' ? pair.value.items : [pair.value];
    for (const source of sources) {
      const target = resolveAlias(source, anchors);
      if (target?.kind !== 'map') continue;
      if (findPair(target, key) || mergeSourceOf(target, key, anchors, depth + 1)) return source;
    }
  }
  return undefined;
}

function locate(parsed: ParsedYaml, path: readonly string[]): Located {
  let node = parsed.root!;
  let key: YamlNode | undefined;
  const followed: (string | number)[] = [];
  for (const segment of path) {
    if (node.kind === 'alias') return { node, path: followed, indirect: true };
    if (node.kind === 'map') {
      const pair = findPair(node, segment);
      if (pair) {
        followed.push(segment);
        key = pair.key;
        node = pair.value && !isEmptyAt(pair.value, pair.key) ? pair.value : pair.key;
        if (!pair.value || node === pair.key) return { node, key, path: followed, indirect: false };
        continue;
      }
      const merge = mergeSourceOf(node, segment, parsed.anchors);
      if (merge) {
        followed.push(segment);
        return { node: merge, path: followed, indirect: true };
      }
      return { node, ...(key ? { key } : {}), path: followed, indirect: false };
    }
    if (node.kind === 'seq') {
      const index = Number(segment);
      const item = Number.isInteger(index) ? node.items[index] : undefined;
      if (!item) return { node, ...(key ? { key } : {}), path: followed, indirect: false };
      followed.push(index);
      key = undefined;
      node = item;
      continue;
    }
    return { node, ...(key ? { key } : {}), path: followed, indirect: false };
  }
  return { node, ...(key ? { key } : {}), path: followed, indirect: false };
}

/** `key:` with nothing after it parses as a zero-width null: blame the key, which the user can see. */
function isEmptyAt(value: YamlNode, key: YamlNode): boolean {
  return value.span.end <= value.span.start || value.span.start < key.span.end;
}

/** The path as written, keeping numbers for list entries even where the YAML was not followed. */
function displayPath(located: Located, path: readonly string[], extra?: string): string {
  const segments: (string | number)[] = [...located.path];
  for (let i = located.path.length; i < path.length; i++) {
    const segment = path[i]!;
    segments.push(/^\d+$/.test(segment) ? Number(segment) : segment);
  }
  if (extra !== undefined) segments.push(extra);
  return formatPath(segments);
}

// ---- messages ---------------------------------------------------------------------------------------------

function toFinding(issue: Issue, parsed: ParsedYaml): Finding {
  const located = locate(parsed, issue.path);
  let span = located.node.span;
  let message: Message;
  let fixes: Fix[] | undefined;
  // The path names where the error is even when the span is on an alias or merge key that brings it in.
  const here = displayPath(located, issue.path) || '(top level)';

  if (issue.kind === 'forms') {
    message = describeForms(issue.oneOfPath, here) ?? describeExpectedType(here, issue.types);
  } else if (issue.kind === 'ambiguous') {
    message = msg('{0} matches more than one of the forms Compose allows; make it match exactly one.', here);
  } else {
    const { error } = issue;
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case 'additionalProperties':
      case 'unevaluatedProperties': {
        const { additionalProperty, unevaluatedProperty } = params as { additionalProperty?: string; unevaluatedProperty?: string };
        const name = additionalProperty ?? unevaluatedProperty ?? '';
        const keyNode = !located.indirect && located.node.kind === 'map' && located.path.length === issue.path.length ? findPair(located.node, name)?.key : undefined;
        if (keyNode) span = keyNode.span;
        const schema = error.parentSchema as { properties?: Record<string, unknown>; patternProperties?: Record<string, unknown> } | undefined;
        const known = Object.keys(schema?.properties ?? {});
        const patterns = Object.keys(schema?.patternProperties ?? {}).filter((pattern) => pattern !== '^x-');
        if (known.length === 0 && patterns.length > 0) {
          message =
            issue.path.length === 0
              ? msg('Invalid name "{0}".', name)
              : msg('Invalid name "{0}" in {1}: use only letters, digits, ".", "_" and "-".', name, here);
          break;
        }
        const suggestion = closestName(name, known);
        if (suggestion !== undefined) {
          message =
            issue.path.length === 0
              ? msg('Unknown top-level property "{0}". Did you mean "{1}"?', name, suggestion)
              : msg('Unknown property "{0}" in {1}. Did you mean "{2}"?', name, here, suggestion);
          if (keyNode && keyNode.kind === 'scalar' && keyNode.style === 'plain') {
            fixes = [{ title: msg('Rename to "{0}"', suggestion), edits: [{ span: keyNode.span, newText: suggestion }], isPreferred: true }];
          }
        } else {
          message =
            issue.path.length === 0
              ? msg('Unknown top-level property "{0}" (custom top-level properties must start with "x-").', name)
              : msg('Unknown property "{0}" in {1}.', name, here);
        }
        break;
      }
      case 'required':
        if (located.key && !located.indirect) span = located.key.span;
        message = msg('{0} is missing the required property "{1}".', here, String(params.missingProperty));
        break;
      case 'type': {
        message = describeExpectedType(here, typeTokens(error));
        break;
      }
      case 'enum':
        message = msg('{0} must be one of: {1}.', here, ((params.allowedValues as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(', '));
        break;
      case 'const':
        message = msg('{0} must be {1}.', here, JSON.stringify(params.allowedValue));
        break;
      case 'pattern':
        message = msg('{0} does not have the expected form (it must match {1}).', here, String(params.pattern));
        break;
      case 'minimum':
      case 'exclusiveMinimum':
        message = msg('{0} must be at least {1}.', here, String(params.limit));
        break;
      case 'maximum':
      case 'exclusiveMaximum':
        message = msg('{0} must be at most {1}.', here, String(params.limit));
        break;
      case 'minItems':
        message = msg('{0} must have at least {1} entries.', here, String(params.limit));
        break;
      case 'maxItems':
        message = msg('{0} must have at most {1} entries.', here, String(params.limit));
        break;
      case 'minLength':
        message = Number(params.limit) <= 1 ? msg('{0} must not be empty.', here) : msg('{0} must be at least {1} characters long.', here, String(params.limit));
        break;
      case 'uniqueItems': {
        const [first, second] = [Number(params.i), Number(params.j)].sort((a, b) => a - b);
        const duplicate = located.node.kind === 'seq' && !located.indirect ? located.node.items[second!] : undefined;
        if (duplicate) span = duplicate.span;
        message = msg('{0} lists the same entry twice (entries {1} and {2}).', here, first!, second!);
        break;
      }
      case 'false schema':
      case 'not':
        message = msg('{0} is not allowed here.', here);
        break;
      default:
        message = msg('{0}: {1}', here, error.message ?? error.keyword);
    }
  }
  return { rule: SCHEMA_RULE, severity: 'error', message, span, ...(fixes ? { fixes } : {}) };
}

/**
 * A syntax error leaves a recovered tree whose broken part would also fail the schema, often with
 * misleading messages (a tab-indented service read as a top-level key). The syntax finding already says
 * what is wrong there, so schema findings in the same block are dropped: from the last line before the
 * error indented two spaces or less (a top-level key or a service) to the next such line. The rest of
 * the file is still validated.
 */
export function withoutSyntaxNeighbours(schema: readonly Finding[], syntaxErrors: readonly Span[], text: string): Finding[] {
  if (syntaxErrors.length === 0 || schema.length === 0) return [...schema];
  const blocks = syntaxErrors.map((error) => blockAround(text, error.start));
  return schema.filter((finding) => !blocks.some((block) => finding.span.start >= block.start && finding.span.start < block.end));
}

function isBoundaryLine(text: string, lineStart: number): boolean {
  let i = lineStart;
  while (text.charCodeAt(i) === 32) i++;
  const c = text[i];
  return i - lineStart <= 2 && c !== undefined && c !== '\n' && c !== '\r' && c !== '#' && c !== '\t';
}

function blockAround(text: string, offset: number): Span {
  const errorLineStart = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  let start = 0;
  for (let lineEnd = errorLineStart - 1; lineEnd > 0; ) {
    const lineStart = text.lastIndexOf('\n', lineEnd - 1) + 1;
    if (isBoundaryLine(text, lineStart)) {
      start = lineStart;
      break;
    }
    lineEnd = lineStart - 1;
  }
  let end = text.length + 1;
  for (let next = text.indexOf('\n', offset); next >= 0; next = text.indexOf('\n', next + 1)) {
    if (isBoundaryLine(text, next + 1)) {
      end = next + 1;
      break;
    }
  }
  return { start, end };
}
