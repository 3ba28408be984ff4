/** A JSON Schema node, as far as descriptions and navigation need it. */
interface SchemaNode {
  readonly $ref?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly patternProperties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly items?: SchemaNode;
  readonly oneOf?: readonly SchemaNode[];
  readonly anyOf?: readonly SchemaNode[];
  readonly allOf?: readonly SchemaNode[];
  readonly enum?: readonly unknown[];
  readonly type?: string | readonly string[];
}

const asNode = (value: unknown): SchemaNode | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value) : undefined);

function resolveRef(root: SchemaNode, node: SchemaNode): SchemaNode {
  let current = node;
  for (let guard = 0; guard < 10 && current.$ref?.startsWith('#/'); guard++) {
    let target: unknown = root;
    for (const part of current.$ref.slice(2).split('/')) target = asNode(target)?.[part as keyof SchemaNode];
    const resolved = asNode(target);
    if (!resolved) break;
    current = resolved;
  }
  return current;
}

/** The alternatives a node stands for: itself and its oneOf/anyOf/allOf branches, refs resolved. */
function alternatives(root: SchemaNode, node: SchemaNode): SchemaNode[] {
  const resolved = resolveRef(root, node);
  const branches = [...(resolved.oneOf ?? []), ...(resolved.anyOf ?? []), ...(resolved.allOf ?? [])];
  return [resolved, ...branches.flatMap((branch) => alternatives(root, branch))];
}

function child(root: SchemaNode, node: SchemaNode, segment: string): SchemaNode | undefined {
  for (const alt of alternatives(root, node)) {
    if (segment === '*') {
      if (alt.items) return alt.items;
      continue;
    }
    const property = alt.properties?.[segment];
    if (property) return property;
    for (const [pattern, value] of Object.entries(alt.patternProperties ?? {})) {
      try {
        if (new RegExp(pattern, 'u').test(segment)) return value;
      } catch {
        // A pattern this engine cannot compile: try the others.
      }
    }
    const additional = asNode(alt.additionalProperties);
    if (additional) return additional;
  }
  return undefined;
}

/** The schema node at a YAML path (`['services', 'web', 'healthcheck']`; `*` steps into list items). */
function nodeAt(schema: unknown, path: readonly string[]): SchemaNode | undefined {
  const root = asNode(schema);
  if (!root) return undefined;
  let node: SchemaNode | undefined = root;
  for (const segment of path) {
    node = node ? child(root, node, segment) : undefined;
    if (!node) return undefined;
  }
  return node;
}

/**
 * The description the Compose schema gives the property at `path`: the property's own description, else the
 * description of what it refers to. Undefined when the path is not in the schema.
 */
export function schemaDescription(schema: unknown, path: readonly string[]): string | undefined {
  const root = asNode(schema);
  const node = nodeAt(schema, path);
  if (!root || !node) return undefined;
  if (node.description) return node.description;
  return alternatives(root, node).find((alt) => alt.description)?.description;
}

/** Property names (with descriptions) a mapping at `path` accepts, for key completion. */
export function schemaProperties(schema: unknown, path: readonly string[]): { name: string; description?: string }[] {
  const root = asNode(schema);
  const node = nodeAt(schema, path);
  if (!root || !node) return [];
  const seen = new Map<string, string | undefined>();
  for (const alt of alternatives(root, node)) {
    for (const [name, value] of Object.entries(alt.properties ?? {})) {
      if (!seen.has(name)) seen.set(name, value.description ?? alternatives(root, value).find((a) => a.description)?.description);
    }
  }
  return [...seen].map(([name, description]) => (description !== undefined ? { name, description } : { name }));
}

/** Enum values the schema allows at `path` (`condition` -> service_started, service_healthy, ...). */
export function schemaEnum(schema: unknown, path: readonly string[]): string[] {
  const root = asNode(schema);
  const node = nodeAt(schema, path);
  if (!root || !node) return [];
  return [...new Set(alternatives(root, node).flatMap((alt) => (alt.enum ?? []).filter((v): v is string => typeof v === 'string')))];
}
