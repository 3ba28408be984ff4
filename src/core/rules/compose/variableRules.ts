import { type EnvFile, parseEnvFile, type ProjectEnv, variableSource } from '../../compose/envFile';
import { nextTopLevelReference, referenceCursor } from '../../compose/interpolation';
import type { CScalar } from '../../compose/model';
import type { Finding, Fix, TextEdit } from '../../findings';
import { msg } from '../../message';
import type { YamlNode } from '../../yaml/ast';
import type { ComposeRule, ConfigContext } from '../types';
import { removePair } from '../yamlEdit';
import { servicesOf } from './services';

export const ENV_FILE = '.env';
export const ENV_EXAMPLE_FILE = '.env.example';

/** An edit that appends a line to an env file (creating it when missing), with a line break before it if needed. */
export function appendEnvLine(file: EnvFile | undefined, line: string): TextEdit {
  const text = file?.text ?? '';
  const at = text.length;
  return { span: { start: at, end: at }, newText: (text === '' || text.endsWith('\n') ? '' : '\n') + line + '\n' };
}

/** Writes a value for a .env line, quoting only when Compose's reader would otherwise change it. */
export function envValue(value: string): string {
  if (/^[^\s#'"\\$]*$/.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** The fix that documents a variable in .env.example with an empty placeholder. */
function documentFix(name: string, env: ProjectEnv): Fix {
  return {
    title: msg('Add {0}= to .env.example', name),
    edits: [],
    otherFiles: [{ path: ENV_EXAMPLE_FILE, edits: [appendEnvLine(env.example, `${name}=`)], createIfMissing: true }],
  };
}

/**
 * Every value scalar of a tree (not keys) whose value is a string with a `$` in its source, in document order,
 * without recursion. A subtree whose source holds no `$` is skipped whole (found with one `indexOf` per run of
 * nodes: the walk goes in document order), so a large file costs about the nodes that hold variables.
 */
export function scalarsWithDollar(root: YamlNode | null, text: string): (YamlNode & { kind: 'scalar'; value: string })[] {
  const found: (YamlNode & { kind: 'scalar'; value: string })[] = [];
  let searchedFrom = 0;
  let nextDollar = text.indexOf('$');
  if (nextDollar < 0) return found;
  const stack: (YamlNode | null)[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) continue;
    const { start, end } = node.span;
    if (start < searchedFrom || (nextDollar >= 0 && nextDollar < start)) {
      searchedFrom = start;
      nextDollar = text.indexOf('$', start);
    }
    if (nextDollar < 0 || nextDollar >= end) continue; // no `$` in this node's source
    if (node.kind === 'scalar') {
      if (typeof node.value === 'string' && node.value.includes('$')) found.push(node as YamlNode & { kind: 'scalar'; value: string });
    } else if (node.kind === 'seq') for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i] ?? null);
    else if (node.kind === 'map') for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]?.value ?? null);
  }
  return found;
}


const envUndefined: ComposeRule = {
  id: 'env-undefined',
  defaultSeverity: 'warning',
  summary: msg('Every ${VAR} without a default is defined in .env.example (and .env); .env has no key that .env.example lacks.'),
  checkFile(ctx) {
    const source = ctx.family.files[ctx.file];
    if (!source) return;
    const text = source.text;
    const ref = referenceCursor();
    const scalars = scalarsWithDollar(source.parsed.root, text);
    for (let s = 0; s < scalars.length; s++) {
      const scalar = scalars[s]!;
      // Top-level references of the scalar's source: one nested in another's default is judged with it.
      // One read of the span: a parse node may make it on demand.
      const { start, end } = scalar.span;
      for (let at = start; nextTopLevelReference(text, at, end, ref); at = ref.end) {
        if (ref.operator !== undefined && ref.operator !== '?' && ref.operator !== ':?') continue;
        const name = text.slice(ref.nameStart, ref.nameEnd);
        const span = { start: ref.start, end: ref.end };
        const from = variableSource(ctx.env, name);
        if (!from) {
          const message =
            ref.operator === undefined
              ? msg('Variable {0} is not defined in .env or .env.example: Compose substitutes an empty string.', name)
              : msg('Variable {0} is required but not defined in .env or .env.example: Compose stops.', name);
          ctx.report(span, message, [documentFix(name, ctx.env)]);
        } else if (from === ENV_FILE && ctx.env.example && !ctx.env.example.values.has(name)) {
          ctx.report(span, msg('Variable {0} is set in .env but not documented in .env.example: a fresh checkout will miss it.', name), [documentFix(name, ctx.env)]);
        }
      }
    }
  },
};

/**
 * Keys of `.env` that `.env.example` does not document, as findings in `.env` (rule `env-undefined`), each with
 * a fix that adds an empty placeholder to `.env.example`. `.env.example` is what a new checkout copies.
 */
export function envFileFindings(envText: string, exampleText: string | undefined): Finding[] {
  const env = parseEnvFile(envText);
  const example = exampleText === undefined ? undefined : parseEnvFile(exampleText);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const entry of env.entries) {
    if (example?.values.has(entry.key) || seen.has(entry.key)) continue;
    seen.add(entry.key);
    findings.push({
      rule: envUndefined.id,
      severity: envUndefined.defaultSeverity,
      message: msg('{0} is set in .env but missing from .env.example: document it there with a placeholder.', entry.key),
      span: entry.keySpan,
      fixes: [documentFix(entry.key, { ...(example ? { example } : {}) })],
    });
  }
  return findings;
}

const SECRET_WORDS = new Set(['PASSWORD', 'PASSWD', 'PASS', 'PWD', 'SECRET', 'TOKEN', 'KEY', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'PRIVATEKEY', 'ACCESSKEY']);

/** True for variable names that hold secrets by convention (`DB_PASSWORD`, `JWT_SECRET`, `API_KEY`...), not `*_FILE` pointers. */
export function isSecretName(name: string): boolean {
  let known = secretNames.get(name);
  if (known === undefined) {
    if (secretNames.size > 10_000) secretNames.clear(); // a bound, not a policy: names repeat across services and files
    known = readsAsSecretName(name);
    secretNames.set(name, known);
  }
  return known;
}

/** Answers of isSecretName, by name: every service repeats the same few variables. */
const secretNames = new Map<string, boolean>();

function readsAsSecretName(name: string): boolean {
  const words = name.toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean);
  if (words[words.length - 1] === 'FILE') return false;
  return words.some((word) => SECRET_WORDS.has(word));
}

/** The span of an environment value in the source: the scalar, or the part after `=` of a list item. */
function valueEdit(text: string, value: CScalar, name: string): { span: { start: number; end: number }; newText: string } | undefined {
  const node = value.origin.node;
  if (node.kind !== 'scalar' || node.style === 'block-literal' || node.style === 'block-folded') return undefined;
  const raw = text.slice(node.span.start, node.span.end);
  const quoted = node.style === 'single' || node.style === 'double';
  if (!value.listItem) return { span: node.span, newText: quoted ? `"\${${name}}"` : `\${${name}}` };
  const equals = raw.indexOf('=');
  if (equals < 0) return undefined;
  const end = node.span.start + (quoted ? raw.lastIndexOf(raw[0] ?? '"') : raw.trimEnd().length);
  return { span: { start: node.span.start + equals + 1, end }, newText: `\${${name}}` };
}

const secretLiteral: ComposeRule = {
  id: 'secret-literal',
  defaultSeverity: 'error',
  summary: msg('Passwords, secrets, tokens and keys come from ${VAR} (.env), never as literals in a compose file.'),
  checkConfig(ctx: ConfigContext) {
    const list = servicesOf(ctx).list;
    for (let s = 0; s < list.length; s++) {
      const service = list[s]!;
      const environment = service.value.entries.get('environment')?.value;
      if (environment?.kind !== 'map') continue;
      for (const variable of environment.entries.values()) {
        const value = variable.value;
        if (value.kind !== 'scalar' || value.value === null || !isSecretName(variable.name)) continue;
        const literal = String(value.value);
        if (literal === '' || literal.includes('$')) continue;
        const file = value.origin.file;
        const source = ctx.family.files[file];
        const edit = source ? valueEdit(source.text, value, variable.name) : undefined;
        const otherFiles: NonNullable<Fix['otherFiles']>[number][] = [];
        if (!ctx.env.example?.values.has(variable.name)) otherFiles.push({ path: ENV_EXAMPLE_FILE, edits: [appendEnvLine(ctx.env.example, `${variable.name}=`)], createIfMissing: true });
        if (!ctx.env.env?.values.has(variable.name)) otherFiles.push({ path: ENV_FILE, edits: [appendEnvLine(ctx.env.env, `${variable.name}=${envValue(literal)}`)], createIfMissing: true });
        const fixes: Fix[] = edit
          ? [{ title: msg('Move the value of {0} to .env and reference ${{0}}', variable.name), edits: [edit], otherFiles }]
          : [];
        const span = edit?.span ?? value.origin.node.span;
        ctx.report({ file, span }, msg('{0} of service "{1}" holds a literal secret: reference ${{0}} and keep the value in .env.', variable.name, service.name), fixes);
      }
    }
  },
};

const versionObsolete: ComposeRule = {
  id: 'version-obsolete',
  defaultSeverity: 'warning',
  summary: msg('No top-level version: Compose ignores it and warns that it is obsolete.'),
  checkFile(ctx) {
    const source = ctx.family.files[ctx.file];
    const root = source?.parsed.root;
    if (!source || root?.kind !== 'map') return;
    const pair = root.items.find((p) => p.key.kind === 'scalar' && p.key.value === 'version');
    if (!pair) return;
    ctx.report(pair.key.span, msg('The top-level version is obsolete: Compose ignores it.'), [
      { title: msg('Remove the obsolete version'), edits: [removePair(source.text, pair)], isPreferred: true },
    ]);
  },
};

export const variableRules: readonly ComposeRule[] = [envUndefined, secretLiteral, versionObsolete];
