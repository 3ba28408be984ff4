import * as vscode from 'vscode';
import { DOCKERFILE_RULES } from '../../core/dockerfile/rules';
import { registerRuleMeta } from '../../core/rules/registry';
import type { ComposeWorkspace } from '../composeWorkspace';
import type { BlueprintContext } from '../context';
import { ruleLookup, SuppressionRuleHover, type RuleLookup } from '../completion/ruleHover';
import { DOCKERFILE_SELECTOR, DockerfileDiagnostics } from './dockerfileDiagnostics';
import { DockerfileFixes } from './dockerfileFixes';

/**
 * Dockerfile checks in the editor: diagnostics, quick fixes, and the rule hover in suppression comments.
 * The first scan of build/** Dockerfiles runs in the background; compose changes recheck them.
 */
export function registerDockerfileFeatures(ctx: BlueprintContext, workspace: ComposeWorkspace, composeRules?: RuleLookup): void {
  registerRuleMeta(DOCKERFILE_RULES);
  const diagnostics = ctx.own(new DockerfileDiagnostics(ctx, workspace));
  ctx.own(vscode.languages.registerCodeActionsProvider(DOCKERFILE_SELECTOR, new DockerfileFixes(diagnostics), DockerfileFixes.metadata));
  ctx.own(vscode.languages.registerHoverProvider(DOCKERFILE_SELECTOR, new SuppressionRuleHover(ctx.extension.extensionUri, ruleLookup(composeRules))));
  ctx.background('checking Dockerfiles', diagnostics.scan());
}
