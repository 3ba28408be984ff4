import { msg, type Message } from '../message';

const LOWERCASE_HYPHEN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const MAX_NAME_LENGTH = 63;

function commonProblem(value: string, what: 'service' | 'project'): Message | undefined {
  const name = value.trim();
  if (name === '') return what === 'service' ? msg('Enter a service name.') : msg('Enter a project name.');
  if (name.includes('/') || name.includes('\\')) return msg('A name cannot contain a path separator.');
  if (name.includes('..')) return msg('A name cannot contain "..".');
  if (name.length > MAX_NAME_LENGTH) return msg('Use at most {0} characters.', MAX_NAME_LENGTH);
  if (!LOWERCASE_HYPHEN.test(name)) {
    return msg('Use lowercase letters, digits and single hyphens, starting with a letter (for example "{0}").', suggestName(name) || 'my-service');
  }
  return undefined;
}

/**
 * Checks a new service name for an input box: lowercase-hyphen, no path separator, no "..", no clash with
 * a service already in the project. Returns the problem as a message, or undefined when the name is good.
 * Never throws.
 */
export function validateServiceName(value: string, existing: Iterable<string> = []): Message | undefined {
  const problem = commonProblem(value, 'service');
  if (problem) return problem;
  const name = value.trim();
  for (const other of existing) if (other === name) return msg('The project already has a service named "{0}".', name);
  return undefined;
}

/** Checks a project name (also the folder name the New Project command proposes). Never throws. */
export function validateProjectName(value: string): Message | undefined {
  return commonProblem(value, 'project');
}

/** Turns any text into a lowercase-hyphen name (`My API_v2` -> `my-api-v2`), or '' when nothing is left. */
export function suggestName(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, MAX_NAME_LENGTH)
    .replace(/-+$/, '');
}

/** `commentbot-core` -> `COMMENTBOT_CORE`: the prefix of a service's variables. */
export function envPrefix(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}
