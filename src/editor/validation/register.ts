import * as vscode from 'vscode';
import type { ComposeWorkspace } from '../composeWorkspace';
import type { BlueprintContext } from '../context';
import { ComposeCodeActions } from './codeActions';
import { ComposeDiagnostics } from './diagnostics';
import { registerEffectiveConfig } from './effectiveConfig';
import { registerRuleDocs } from './ruleDocs';
import { VariableHover } from './variableHover';

/** Compose files (any name Compose accepts) and `.env` files, which carry `env-undefined` findings. */
export const VALIDATION_SELECTOR: vscode.DocumentSelector = [
  { language: 'dockercompose' },
  { pattern: '**/{compose,docker-compose}{,.*}.{yml,yaml}' },
  { pattern: '**/.env' },
];
const COMPOSE_ONLY: vscode.DocumentSelector = [{ language: 'dockercompose' }, { pattern: '**/{compose,docker-compose}{,.*}.{yml,yaml}' }];

/**
 * Compose validation in the editor: diagnostics for every compose file, quick fixes and fix-all, the
 * rule-doc command behind each diagnostic's code link, `${VAR}` hovers and the effective-config document.
 */
export function registerComposeValidation(ctx: BlueprintContext, workspace: ComposeWorkspace): ComposeDiagnostics {
  registerRuleDocs(ctx);
  const diagnostics = ctx.own(new ComposeDiagnostics(ctx, workspace));
  ctx.own(vscode.languages.registerCodeActionsProvider(VALIDATION_SELECTOR, new ComposeCodeActions(diagnostics.store), ComposeCodeActions.metadata));
  ctx.own(vscode.languages.registerHoverProvider(COMPOSE_ONLY, new VariableHover()));
  const effective = registerEffectiveConfig(ctx, workspace);
  ctx.own(vscode.workspace.onDidChangeTextDocument((event) => {
    const name = event.document.uri.path.slice(event.document.uri.path.lastIndexOf('/') + 1);
    if (name === '.env' || name === '.env.example') effective.refreshAll();
  }));
  return diagnostics;
}
