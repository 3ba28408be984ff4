import * as vscode from 'vscode';
import { readOptional } from '../readText';
import { lookupVariable, projectEnvFrom } from '../../core/compose/envFile';
import { findVariableReferences } from '../../core/compose/interpolation';

/** Hover on `${VAR}` / `$VAR` in a compose file: the value it gets and where from (`.env`, `.env.example`, its default, or nowhere). */
export class VariableHover implements vscode.HoverProvider {
  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const line = document.lineAt(position.line).text;
    const refs = findVariableReferences(line).filter((ref) => ref.span.start <= position.character && position.character <= ref.span.end);
    // The innermost reference under the cursor (a nested default such as `${A:-${B}}`).
    const ref = refs.sort((a, b) => b.span.start - a.span.start)[0];
    if (!ref) return undefined;
    const folder = vscode.Uri.joinPath(document.uri, '..');
    const envUri = vscode.Uri.joinPath(folder, '.env');
    const exampleUri = vscode.Uri.joinPath(folder, '.env.example');
    const [envText, exampleText] = await Promise.all([readOptional(envUri), readOptional(exampleUri)]);
    const resolved = lookupVariable(projectEnvFrom(envText, exampleText), ref.name);
    const markdown = new vscode.MarkdownString();
    markdown.appendMarkdown(`**${ref.name}**\n\n`);
    const code = (value: string) => (value === '' ? vscode.l10n.t('(empty)') : `\`${value.replace(/`/g, "'")}\``);
    if (resolved) {
      const source = resolved.source === '.env' ? envUri : exampleUri;
      markdown.appendMarkdown(vscode.l10n.t('Value {0} from [{1}]({2})', code(resolved.value), resolved.source, source.toString()));
    } else if (ref.operator === ':-' || ref.operator === '-') {
      markdown.appendMarkdown(vscode.l10n.t('Not defined in .env or .env.example: the default {0} applies.', code(ref.argument ?? '')));
    } else if (ref.operator === ':?' || ref.operator === '?') {
      markdown.appendMarkdown(vscode.l10n.t('Not defined in .env or .env.example: Compose stops with "{0}".', ref.argument ?? ''));
    } else {
      markdown.appendMarkdown(vscode.l10n.t('Not defined in .env or .env.example: Compose substitutes an empty string.'));
    }
    return new vscode.Hover(markdown, new vscode.Range(position.line, ref.span.start, position.line, ref.span.end));
  }
}
