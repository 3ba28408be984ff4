import { compareFindings, type Finding } from '../findings';
import { parseYaml, type ParsedYaml } from '../yaml/parse';
import { yamlSyntaxFindings } from './yamlSyntax';

export interface FileCheck {
  readonly parsed: ParsedYaml;
  readonly findings: readonly Finding[];
}

/**
 * Checks one compose file's text on its own. The editor and the CLI both call this, so they agree.
 * Checks that need the whole family (merged dev/prod configs) run in a later pass.
 */
export function checkComposeText(text: string): FileCheck {
  const parsed = parseYaml(text);
  const findings = [...yamlSyntaxFindings(parsed)].sort(compareFindings);
  return { parsed, findings };
}
