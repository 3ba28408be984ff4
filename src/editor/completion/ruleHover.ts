import * as vscode from 'vscode';
import { suppressedRuleAt } from '../../core/completion/yamlPath';
import { DOCKERFILE_RULES } from '../../core/dockerfile/rules';
import { ruleMeta } from '../../core/rules/registry';
import type { Severity } from '../../core/findings';
import type { Message } from '../../core/message';
import { LineIndex } from '../../core/text/lineIndex';
import { localize } from '../context';
import { escapeMarkdown } from './composeCompletionProvider';

/** What a hover needs to know about a rule id. */
export interface RuleInfo {
  readonly defaultSeverity: Severity;
  readonly summary: Message;
}

export type RuleLookup = (id: string) => RuleInfo | undefined;

const dockerfileRules = new Map<string, RuleInfo>(DOCKERFILE_RULES.map((rule) => [rule.id, rule]));

/** Looks a rule up among the Dockerfile rules, then in `others` (by default the compose rules' registry). */
export function ruleLookup(others: RuleLookup = ruleMeta): RuleLookup {
  return (id) => dockerfileRules.get(id) ?? others(id);
}

/** The most a hover shows of a rule's page, so it stays a hover. */
const MAX_DOC_CHARS = 2500;

/**
 * Hover on a rule id in a suppression comment (`# blueprint-disable-next-line from-unpinned`): the rule's
 * page from docs/rules (shipped with the extension), or its one-line summary when the page cannot be read.
 */
export class SuppressionRuleHover implements vscode.HoverProvider {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly lookup: RuleLookup,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const text = document.getText();
    const index = new LineIndex(text);
    const found = suppressedRuleAt(text, index.offsetAt(position));
    if (!found) return undefined;
    const start = index.positionAt(found.span.start);
    const end = index.positionAt(found.span.end);
    const range = new vscode.Range(start.line, start.character, end.line, end.character);
    const info = this.lookup(found.rule);
    const markdown = new vscode.MarkdownString();
    if (!info) {
      markdown.appendMarkdown(escapeMarkdown(vscode.l10n.t('Unknown rule id {0}: this comment suppresses nothing.', found.rule)));
      return new vscode.Hover(markdown, range);
    }
    const docUri = vscode.Uri.joinPath(this.extensionUri, 'docs', 'rules', `${found.rule}.md`);
    let page: string | undefined;
    try {
      page = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(docUri));
    } catch {
      page = undefined;
    }
    if (page) {
      markdown.appendMarkdown(page.length > MAX_DOC_CHARS ? `${page.slice(0, MAX_DOC_CHARS)}\n\n…` : page);
    } else {
      markdown.appendMarkdown(`**${found.rule}** (${info.defaultSeverity})\n\n`);
      markdown.appendMarkdown(escapeMarkdown(localize(info.summary)));
    }
    return new vscode.Hover(markdown, range);
  }
}
