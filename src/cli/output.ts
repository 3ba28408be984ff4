import path from 'node:path';
import { formatMessage, type MessageBundle } from '../core/message';
import type { Finding, Severity } from '../core/findings';
import { ruleMeta } from '../core/rules/registry';
import { LineIndex } from '../core/text/lineIndex';

/** One finding as the CLI reports it: 1-based lines and columns. */
export interface ReportedFinding {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
}

export function toReported(file: string, text: string, findings: readonly Finding[], bundle?: MessageBundle): ReportedFinding[] {
  const index = new LineIndex(text);
  return findings.map((finding) => {
    const start = index.positionAt(finding.span.start);
    const end = index.positionAt(finding.span.end);
    return {
      file,
      line: start.line + 1,
      column: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
      rule: finding.rule,
      severity: finding.severity,
      message: formatMessage(finding.message, bundle),
    };
  });
}

/** ESLint's "stylish" layout: a header per file, then `line:col  severity  message  rule`. */
export function formatStylish(findings: readonly ReportedFinding[], cwd: string): string {
  const lines: string[] = [];
  const byFile = new Map<string, ReportedFinding[]>();
  for (const finding of findings) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
  for (const [file, list] of byFile) {
    lines.push(path.relative(cwd, file) || file);
    for (const f of list) lines.push(`  ${`${f.line}:${f.column}`.padEnd(8)} ${f.severity.padEnd(7)} ${f.message}  ${f.rule}`);
    lines.push('');
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  lines.push(findings.length === 0 ? 'No problems found.' : `${findings.length} problems (${errors} errors, ${warnings} warnings)`);
  return lines.join('\n') + '\n';
}

const SARIF_LEVEL: Readonly<Record<Severity, string>> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/**
 * SARIF 2.1.0 for code-scanning uploads (GitHub, GitLab): one run, the rules that fired with their summaries,
 * one result per finding with a 1-based region; file URIs relative to the working folder.
 */
export function formatSarif(findings: readonly ReportedFinding[], cwd: string): unknown {
  const ruleIds = [...new Set(findings.map((f) => f.rule))].sort();
  const uri = (file: string) => (path.relative(cwd, file) || file).split(path.sep).join('/');
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'compose-blueprint',
            informationUri: 'https://github.com/compose-blueprint/compose-blueprint',
            rules: ruleIds.map((id) => {
              const meta = ruleMeta(id);
              return {
                id,
                ...(meta ? { shortDescription: { text: formatMessage(meta.summary) }, defaultConfiguration: { level: SARIF_LEVEL[meta.defaultSeverity] } } : {}),
                helpUri: `https://github.com/compose-blueprint/compose-blueprint/blob/main/docs/rules/${id}.md`,
              };
            }),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIds.indexOf(f.rule),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: uri(f.file) },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
}
