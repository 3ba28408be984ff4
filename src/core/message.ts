/**
 * A user-visible sentence kept as an English template with `{0}`-style placeholders plus its arguments.
 * The core never formats for the user: the editor passes the template to `vscode.l10n.t` and the CLI to
 * `formatMessage` with the bundle of its language, so one catalogue (`l10n/`) serves both.
 */
export interface Message {
  readonly template: string;
  readonly args: readonly (string | number)[];
}

/** Builds a message. Call it with a string literal: `npm run l10n` collects the literals for translation. */
export function msg(template: string, ...args: (string | number)[]): Message {
  return { template, args };
}

/** Translation bundle in the format of `vscode.l10n`: English template -> translated template. */
export type MessageBundle = Readonly<Record<string, string>>;

/** Formats a message with an optional translation bundle; unknown placeholders are left as written. */
export function formatMessage(message: Message, bundle?: MessageBundle): string {
  const template = bundle?.[message.template] ?? message.template;
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = message.args[Number(index)];
    return value === undefined ? whole : String(value);
  });
}
