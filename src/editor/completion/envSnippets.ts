import * as vscode from 'vscode';
import type { BlueprintContext } from '../context';

interface SnippetJson {
  readonly prefix: string | readonly string[];
  readonly description?: string;
  readonly body: string | readonly string[];
}

/**
 * The `.env` snippets for the `dotenv` language. VS Code 1.100 opens `.env` as `properties` (snippets are
 * contributed there), but the DotENV extension and newer editors use `dotenv`; contributing snippets to a
 * language that does not exist shows a warning, while a completion provider for it is silently idle.
 */
export function registerDotenvSnippets(ctx: BlueprintContext): void {
  let items: Promise<vscode.CompletionItem[]> | undefined;
  const load = async (): Promise<vscode.CompletionItem[]> => {
    const uri = vscode.Uri.joinPath(ctx.extension.extensionUri, 'snippets', 'env.code-snippets');
    const snippets = JSON.parse(new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri))) as Record<string, SnippetJson>;
    return Object.entries(snippets).flatMap(([name, snippet]) =>
      (typeof snippet.prefix === 'string' ? [snippet.prefix] : snippet.prefix).map((prefix) => {
        const item = new vscode.CompletionItem({ label: prefix, description: name }, vscode.CompletionItemKind.Snippet);
        item.insertText = new vscode.SnippetString(typeof snippet.body === 'string' ? snippet.body : snippet.body.join('\n'));
        if (snippet.description) item.documentation = snippet.description;
        return item;
      }),
    );
  };
  ctx.own(
    vscode.languages.registerCompletionItemProvider({ language: 'dotenv' }, {
      provideCompletionItems: async () => {
        items ??= load().catch((error: unknown) => {
          ctx.log.warn(`cannot read the .env snippets: ${error instanceof Error ? error.message : String(error)}`);
          items = undefined;
          return [];
        });
        return items;
      },
    }),
  );
}
