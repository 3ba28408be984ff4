import type { Finding } from '../findings';
import type { ParsedYaml } from '../yaml/parse';

export const YAML_SYNTAX_RULE = 'yaml-syntax';

/** YAML syntax problems as findings under the `yaml-syntax` rule, each at the parser's exact position. */
export function yamlSyntaxFindings(parsed: ParsedYaml): Finding[] {
  return parsed.problems.map((problem) => ({
    rule: YAML_SYNTAX_RULE,
    severity: problem.severity,
    message: problem.message,
    span: problem.span,
  }));
}
