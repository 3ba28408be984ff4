import { compareFindings, type Finding } from '../findings';
import { schemaFindings, withoutSyntaxNeighbours } from '../schema/schemaFindings';
import { inspectInput } from '../yaml/inputGuards';
import { parseYaml, type ParsedYaml } from '../yaml/parse';
import { YAML_SYNTAX_RULE, yamlSyntaxFindings } from './yamlSyntax';

export interface FileCheck {
  readonly parsed: ParsedYaml;
  readonly findings: readonly Finding[];
}

/**
 * Checks one compose file's text on its own. The editor and the CLI both call this, so they agree.
 * Checks that need the whole family (merged dev/prod configs) run in a later pass.
 */
export function checkComposeText(text: string, options: CheckTextOptions = {}): FileCheck {
  const input = inspectInput(text, options.maxLength);
  const inputFindings: Finding[] = input.problems.map((problem) => ({ rule: YAML_SYNTAX_RULE, ...problem }));
  if (input.skip) return { parsed: { root: null, problems: [], anchors: new Map(), documentCount: 0 }, findings: inputFindings };
  const parsed = parseYaml(text);
  const syntax = yamlSyntaxFindings(parsed);
  const syntaxErrors = parsed.problems.filter((problem) => problem.severity === 'error').map((problem) => problem.span);
  const schema = options.schema === false ? [] : withoutSyntaxNeighbours(schemaFindings(parsed), syntaxErrors, text);
  const findings = [...inputFindings, ...syntax, ...schema].sort(compareFindings);
  return { parsed, findings };
}

export interface CheckTextOptions {
  /** Validate against the compose schema (default true); `composeBlueprint.validation.schema` may turn it off. */
  readonly schema?: boolean;
  /** Longer texts are not parsed; they get one notice instead (default DEFAULT_MAX_CHECK_LENGTH). */
  readonly maxLength?: number;
}
