import * as vscode from 'vscode';
import composeSchema from '../../../schemas/compose-spec.json';
import { composeCompletions, parseEnvNames, type CompletionKind, type EnvVariable } from '../../core/completion/composeCompletion';
import { schemaDescription } from '../../core/completion/schemaPath';
import { yamlKeyAt } from '../../core/completion/yamlPath';
import { LineIndex } from '../../core/text/lineIndex';
import { COMPOSE_GLOB } from '../composeWorkspace';

/** Compose files: the `dockercompose` language and any YAML file named as Compose names them. */
export const COMPOSE_SELECTOR: vscode.DocumentSelector = [{ language: 'dockercompose' }, { language: 'yaml', pattern: COMPOSE_GLOB }];

const kinds: Record<CompletionKind, vscode.CompletionItemKind> = {
  service: vscode.CompletionItemKind.Module,
  network: vscode.CompletionItemKind.Interface,
  volume: vscode.CompletionItemKind.Folder,
  variable: vscode.CompletionItemKind.Variable,
  property: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.EnumMember,
};

const toRange = (index: LineIndex, span: { start: number; end: number }): vscode.Range => {
  const start = index.positionAt(span.start);
  const end = index.positionAt(span.end);
  return new vscode.Range(start.line, start.character, end.line, end.character);
};

/** Reads `.env.example` then `.env` next to a compose file: unsaved editor text first, else the disk. */
async function folderVariables(document: vscode.TextDocument): Promise<EnvVariable[]> {
  if (document.uri.scheme === 'untitled') return [];
  const folder = vscode.Uri.joinPath(document.uri, '..');
  const variables: EnvVariable[] = [];
  for (const name of ['.env.example', '.env']) {
    const uri = vscode.Uri.joinPath(folder, name);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    try {
      const text = open ? open.getText() : new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
      variables.push(...parseEnvNames(text, name));
    } catch {
      // No such file: nothing to offer from it.
    }
  }
  return variables;
}

/** Completion in compose files: service, network and volume names, `${VAR}` names, schema keys and values. */
export class ComposeCompletionProvider implements vscode.CompletionItemProvider {
  static readonly triggerCharacters = ['$', '{'];

  async provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
    const text = document.getText();
    const index = new LineIndex(text);
    const offset = index.offsetAt(position);
    const lineBefore = document.lineAt(position.line).text.slice(0, position.character);
    const variables = /\$\{?[A-Za-z0-9_]*$/.test(lineBefore) ? await folderVariables(document) : [];
    return composeCompletions({ text, offset, variables, schema: composeSchema }).map((entry) => {
      const item = new vscode.CompletionItem(entry.label, kinds[entry.kind]);
      item.range = toRange(index, entry.replace);
      if (entry.insertText !== undefined) item.insertText = entry.insertText;
      if (entry.detail !== undefined) item.detail = entry.detail;
      if (entry.documentation !== undefined) item.documentation = new vscode.MarkdownString(entry.documentation);
      // Names the file declares come before schema keys.
      item.sortText = (entry.kind === 'property' || entry.kind === 'value' ? '1' : '0') + entry.label;
      return item;
    });
  }
}

/** Escapes Markdown punctuation so a schema description shows as written (appendText would also turn spaces into &nbsp;). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!<>|~-]/g, '\\$&');
}

/** Hover on a compose key: the Compose specification's description of that property. */
export class ComposeHoverProvider implements vscode.HoverProvider {
  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const text = document.getText();
    const index = new LineIndex(text);
    const key = yamlKeyAt(text, index.offsetAt(position));
    if (!key) return undefined;
    const description = schemaDescription(composeSchema, key.path);
    if (!description) return undefined;
    const markdown = new vscode.MarkdownString();
    markdown.appendMarkdown(`**${key.path[key.path.length - 1] ?? ''}** · \`${key.path.join('.').replace(/\.\*/g, '[]')}\`\n\n`);
    markdown.appendMarkdown(escapeMarkdown(description));
    return new vscode.Hover(markdown, toRange(index, key.span));
  }
}
