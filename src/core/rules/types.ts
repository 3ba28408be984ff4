import type { ProjectEnv } from '../compose/envFile';
import type { CNode, Origin } from '../compose/model';
import type { EffectiveConfig, FamilySources } from '../compose/project';
import type { Fix, Severity } from '../findings';
import type { Message } from '../message';
import type { Span } from '../text/lineIndex';

/** A finding located in one of the family's files (`file` indexes `FamilySources.files`). */
export interface LocatedFinding {
  readonly file: number;
  readonly rule: string;
  readonly message: Message;
  readonly span: Span;
  readonly fixes?: readonly Fix[];
}

/** What a rule sees when it checks one effective config (dev, prod or another env). */
export interface ConfigContext {
  readonly family: FamilySources;
  readonly config: EffectiveConfig;
  readonly env: ProjectEnv;
  /** Paths that exist, relative to the family's folder with '/' separators; undefined when not known (skip disk checks). */
  readonly existingPaths?: ReadonlySet<string>;
  /** A scalar's text after interpolation (a function property, so rules can pass it on unbound). */
  readonly str: (node: CNode | undefined) => string | undefined;
  report(at: Origin | { readonly file: number; readonly span: Span }, message: Message, fixes?: readonly Fix[]): void;
}

/** What a rule sees when it checks one file on its own (rules about the text as written). */
export interface FileContext {
  readonly family: FamilySources;
  readonly file: number;
  readonly env: ProjectEnv;
  report(span: Span, message: Message, fixes?: readonly Fix[]): void;
}

export interface RuleMeta {
  /** The id users see, configure and suppress. Fixed: docs, settings and comments name it. */
  readonly id: string;
  readonly defaultSeverity: Severity;
  /** One sentence: what the rule checks (README, hover on a suppression comment). */
  readonly summary: Message;
}

export interface ComposeRule extends RuleMeta {
  /** Configs the rule runs on; a rule that runs on several reports a finding once per place. */
  readonly roles?: readonly EffectiveConfig['role'][];
  /** The rule's findings depend on the config's role, so it runs again on a config made of the same files. */
  readonly roleSensitive?: boolean;
  checkConfig?(ctx: ConfigContext): void;
  checkFile?(ctx: FileContext): void;
}
