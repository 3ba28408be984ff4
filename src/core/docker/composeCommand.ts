/**
 * Compose command lines for the services view's actions, as argument arrays (never shell strings): the
 * installed Compose (`docker compose` v2 or `docker-compose` v1) with the family's files for an environment.
 */

export type ComposeTool = { readonly kind: 'v2'; readonly docker: string; readonly version: string } | { readonly kind: 'v1'; readonly path: string; readonly version: string };

/** Reads `docker compose version` / `docker-compose version --short` output: the version, or undefined. */
export function parseComposeVersion(output: string): string | undefined {
  return /v?(\d+\.\d+\.\d+[\w.+-]*)/.exec(output)?.[1];
}

export type ComposeEnvironment = 'development' | 'production';

export interface ComposeFiles {
  readonly base: string;
  readonly override?: string;
  readonly prod?: string;
}

/** Development: base + override (what `docker compose up` reads by itself); production: base + prod. */
export function filesFor(files: ComposeFiles, environment: ComposeEnvironment): string[] {
  const second = environment === 'development' ? files.override : files.prod;
  return second ? [files.base, second] : [files.base];
}

export type ComposeAction = 'up' | 'down' | 'restart' | 'logs' | 'stop' | 'start';

export interface ComposeInvocation {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * The command for an action on a project (or some of its services). The project name is passed with `-p`
 * so Compose v1, which ignores a top-level `name:`, acts on the same project the view shows.
 */
export function composeInvocation(tool: ComposeTool, project: string, files: readonly string[], action: ComposeAction, services: readonly string[] = []): ComposeInvocation {
  const common = ['-p', project, ...files.flatMap((file) => ['-f', file])];
  const actionArgs: string[] = (() => {
    switch (action) {
      case 'up':
        return ['up', '-d'];
      case 'down':
        return ['down'];
      case 'logs':
        return ['logs', '-f', '--tail', '200'];
      default:
        return [action];
    }
  })();
  const args = [...common, ...actionArgs, ...(action === 'down' ? [] : services)];
  return tool.kind === 'v2' ? { command: tool.docker, args: ['compose', ...args] } : { command: tool.path, args };
}

/** Quotes an argument array for display in a terminal title or log line (not for execution). */
export function displayCommand(invocation: ComposeInvocation): string {
  return [invocation.command, ...invocation.args].map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}
