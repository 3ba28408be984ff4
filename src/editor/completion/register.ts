import * as vscode from 'vscode';
import type { BlueprintContext } from '../context';
import { COMPOSE_SELECTOR, ComposeCompletionProvider, ComposeHoverProvider } from './composeCompletionProvider';
import { registerDotenvSnippets } from './envSnippets';
import { ruleLookup, SuppressionRuleHover, type RuleLookup } from './ruleHover';

/**
 * Completion and hover in compose files: names the file declares, `${VAR}` names, schema keys and their
 * descriptions, and rule pages on suppression comments (`composeRules` resolves compose rule ids).
 */
export function registerComposeEditing(ctx: BlueprintContext, composeRules?: RuleLookup): void {
  ctx.own(vscode.languages.registerCompletionItemProvider(COMPOSE_SELECTOR, new ComposeCompletionProvider(), ...ComposeCompletionProvider.triggerCharacters));
  ctx.own(vscode.languages.registerHoverProvider(COMPOSE_SELECTOR, new ComposeHoverProvider()));
  ctx.own(vscode.languages.registerHoverProvider(COMPOSE_SELECTOR, new SuppressionRuleHover(ctx.extension.extensionUri, ruleLookup(composeRules))));
  registerDotenvSnippets(ctx);
}
