import type { TextEdit } from '../findings';
import type { Message } from '../message';

/** Language of the generated project's docs and comments (not of the editor). */
export type Lang = 'en' | 'es';

/** A text in both languages the scaffolder writes. Generated content is chosen by the project's language. */
export interface Localized {
  readonly en: string;
  readonly es: string;
}

/** Picks the text for a language. */
export function pick(text: Localized, lang: Lang): string {
  return text[lang];
}

/** A variable the compose files use, as `.env.example` lists it. Secrets get a placeholder, never a value. */
export interface EnvVariable {
  readonly name: string;
  readonly example: string;
  readonly secret?: boolean;
  readonly comment?: Localized;
}

export interface Healthcheck {
  /** Exec form (`["CMD", ...]`) or shell form (`["CMD-SHELL", "..."]`). */
  readonly test: readonly string[];
  readonly interval: string;
  readonly timeout: string;
  readonly retries: number;
  readonly startPeriod: string;
}

export interface ResourceSet {
  readonly memory: string;
  readonly cpus: string;
}

export interface Resources {
  readonly limits: ResourceSet;
  readonly reservations: ResourceSet;
}

/** A file the scaffolder writes, relative to the project root with '/' separators. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
  /** Scripts: made executable after they are written. */
  readonly executable?: boolean;
}

/** Another service this one depends on, as the catalogue entry sees it when it renders. */
export interface Dependency {
  readonly name: string;
  /** Catalogue id of the dependency when it came from the catalogue (unknown for a user's own service). */
  readonly entryId?: string;
  readonly envPrefix: string;
  readonly containerPort?: number;
  /** False when the existing service has no healthcheck: then `service_started` is the only condition that can hold. */
  readonly healthy: boolean;
  /** Path of a Prometheus-format metrics endpoint, when the service serves one. */
  readonly metricsPath?: string;
}

/** What a catalogue entry knows when it renders one service of a project. */
export interface ServiceContext {
  /** The service's name in the project (a preset may name a `fastapi` entry `commentbot-core`). */
  readonly name: string;
  readonly project: string;
  readonly lang: Lang;
  /** `UPPER_SNAKE` of the name: the prefix of the service's variables (`API_DB_PASSWORD`). */
  readonly envPrefix: string;
  /** Host port chosen for the service (the entry's default unless another service already has it). */
  readonly hostPort: number;
  /** Host port for a debugger, when the entry asks for one. */
  readonly debugPort?: number;
  readonly dependsOn: readonly Dependency[];
  /** Every other service of the project (a Prometheus entry scrapes those with metrics). */
  readonly peers: readonly Dependency[];
  /** Preset-specific options (CommentBot's shared folders, the test image...). */
  readonly options: Readonly<Record<string, string>>;
}

/** One service, rendered: what goes into the three compose files and the files next to them. */
export interface ServiceSpec {
  /** Pinned image (for built services, the tag compose gives the built image). */
  readonly image: string;
  readonly build?: { readonly context: string; readonly dockerfile: string };
  readonly command?: readonly string[];
  /** `KEY` -> value; values may use `${VAR}` listed in `variables`. */
  readonly environment: readonly (readonly [string, string])[];
  readonly variables: readonly EnvVariable[];
  /** Base-file volumes: configs `:ro`, data under `./bd/`. */
  readonly volumes: readonly string[];
  readonly containerPort: number;
  /** `edge`: published in the base file (gateways, UIs); `dev`: published on 127.0.0.1 in the override only. */
  readonly publish: 'edge' | 'dev';
  readonly healthcheck: Healthcheck;
  readonly resources: Resources;
  /** Production: limits (defaults to `resources`) and replicas (stateless services only). */
  readonly prod?: { readonly resources?: Resources; readonly replicas?: number };
  /** `./bd/<name>-data` is created (kept by `.gitkeep`) when true. */
  readonly stateful: boolean;
  /** Development extras for the override file. */
  readonly dev?: {
    readonly volumes?: readonly string[];
    readonly ports?: readonly string[];
    readonly environment?: readonly (readonly [string, string])[];
    readonly command?: readonly string[];
  };
  /** HTTP health and metrics paths, when the service serves them: a monitor container then polls them. */
  readonly healthPath?: string;
  readonly metricsPath?: string;
  readonly pullPolicy?: 'never';
  /** Files under build/<name>/ and data/<name>/ (Dockerfile, init scripts, code, configs). */
  readonly files: readonly GeneratedFile[];
  /** Extra folders the service uses (kept by `.gitkeep`), e.g. `data/audio-cache`. */
  readonly folders?: readonly string[];
}

/** One catalogue service: one file under catalogue/, the one place to add a service. */
export interface CatalogueEntry {
  readonly id: string;
  readonly title: Localized;
  readonly description: Localized;
  readonly kind: 'image' | 'built';
  readonly defaultPort: number;
  readonly defaultDebugPort?: number;
  /** Image repository without tag (`postgres`): recognises the entry behind a service already in a project. */
  readonly imageRepo?: string;
  /** The port the service listens on inside its container. */
  readonly containerPort: number;
  readonly metricsPath?: string;
  /** Catalogue ids this service usually depends on; wired when they are in the project. */
  readonly suggestedDependsOn?: readonly string[];
  /** Not offered in the editor's pickers (test-only entries). */
  readonly hidden?: boolean;
  /** Environment another service gets when it depends on this one (e.g. `DATABASE_URL`). */
  connection?(self: Dependency): readonly (readonly [string, string])[];
  render(ctx: ServiceContext): ServiceSpec;
}

/** A service of a project to be generated: which catalogue entry, under which name, after which services. */
export interface ServiceChoice {
  readonly name: string;
  readonly entryId: string;
  readonly dependsOn?: readonly string[];
  readonly options?: Readonly<Record<string, string>>;
}

export interface NewProjectInput {
  /** Project name: lowercase-hyphen. */
  readonly name: string;
  readonly lang: Lang;
  /** A preset id, or undefined for a free choice of services. */
  readonly preset?: string;
  /** Extra catalogue ids (or the whole choice when there is no preset). */
  readonly services?: readonly string[];
  /** Options for every service of a catalogue entry, by entry id (the test image of `busybox-test`...). */
  readonly entryOptions?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface AddServiceInput {
  /** Catalogue id; a name not in the catalogue gets the generic built service under that name. */
  readonly entryId: string;
  /** Service name in the project (defaults to the entry id). */
  readonly name: string;
  readonly dependsOn?: readonly string[];
  readonly lang?: Lang;
}

/** What the adapter read from the target folder: every path that exists, with the text of those it read. */
export interface ExistingFiles {
  /** Relative path -> text, for existing files the plan may create or edit. */
  readonly texts: ReadonlyMap<string, string>;
  /** Every existing relative path the adapter knows of (files and folders), including those in `texts`. */
  readonly paths: ReadonlySet<string>;
}

export interface PlannedEdit {
  readonly path: string;
  readonly edits: readonly TextEdit[];
  /** Why the file changes, for the preview. */
  readonly reason: Message;
}

/** An existing file whose content would differ. Left alone unless the user chooses to overwrite it. */
export interface PlanConflict {
  readonly path: string;
  readonly current: string;
  readonly proposed: string;
  readonly executable?: boolean;
}

/** Everything a scaffolding command would do, as data: the adapters show it, then apply it. */
export interface ScaffoldPlan {
  readonly creates: readonly GeneratedFile[];
  readonly edits: readonly PlannedEdit[];
  readonly conflicts: readonly PlanConflict[];
  /** Files that already hold exactly what would be written. */
  readonly unchanged: readonly string[];
  /** Notes for the user (a dependency wired with `service_started` because it has no healthcheck...). */
  readonly notes: readonly Message[];
  /** Reasons the plan cannot be applied at all (an unparseable compose file...). Nothing is written when set. */
  readonly errors: readonly Message[];
}
