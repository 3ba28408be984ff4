import v8 from 'node:v8';

/**
 * Turns V8's optimizing compiler (TurboFan) off while a lint's input is small, and on again once the compose
 * text checked so far passes `thresholdChars`.
 *
 * Why: a CLI lint is a short process. TurboFan starts optimizing the parser and the schema validator a few
 * milliseconds in, on a background thread whose CPU time counts, and the run is over before the optimized
 * code pays for itself. Measured whole-process on generated files of the architecture (bench/README.md, "The
 * CLI's code cache"): without it a lint of 50 services costs about 35 ms less CPU (of about 85 ms above
 * Node's own start), one of 200 services about 70 ms less; at 1,000 services (1 MB of YAML) it is even, and a
 * bigger input gains from TurboFan, hence the threshold. Sparkplug, V8's fast non-optimizing compiler,
 * stays on. Nothing a lint reports can depend on it: only how fast the same JavaScript runs.
 *
 * The flags are restored (TurboFan on) before the lint returns: V8 stamps a code cache with a hash of its
 * flags, and the production loader (src/cliLoader.ts) writes its cache at exit under the flags it started
 * with. A process started with flags about V8's compilers (`node --no-opt ...`, `NODE_OPTIONS`) is left as
 * it is.
 */
export class OptimizerBudget {
  private off = false;
  private seen = 0;

  constructor(
    private readonly thresholdChars: number,
    private readonly setFlags: (flags: string) => void = (flags) => v8.setFlagsFromString(flags),
  ) {}

  /** Before the first file is checked: TurboFan off, unless the process was given compiler flags. */
  start(execArgv: readonly string[] = process.execArgv, nodeOptions: string | undefined = process.env.NODE_OPTIONS): void {
    if (this.off || this.seen > this.thresholdChars || setsCompilerFlags([...execArgv, ...(nodeOptions ?? '').split(/\s+/)])) return;
    this.setFlags('--no-turbofan');
    this.off = true;
  }

  /** Before checking `chars` more characters of compose text: TurboFan on again once the total passes the threshold. */
  add(chars: number): void {
    this.seen += chars;
    if (this.off && this.seen > this.thresholdChars) this.finish();
  }

  /** TurboFan on again (V8's default), if this turned it off. */
  finish(): void {
    if (!this.off) return;
    this.off = false;
    this.setFlags('--turbofan');
  }

  /** Whether TurboFan is off because of this budget. */
  get turbofanOff(): boolean {
    return this.off;
  }
}

/** Flags that choose V8's compilers or tiers: with any of them, the user decides and the budget stays out. */
export function setsCompilerFlags(args: readonly string[]): boolean {
  return args.some((arg) => /^--(?:no-?)?(?:turbofan|opt|jitless|max-opt|sparkplug|always-sparkplug|maglev|interrupt-budget|always-turbofan|always-opt|lite-mode)(?:[=_-]|$)/.test(arg.replace(/_/g, '-')));
}

/** 1 MB of compose text: about 1,000 services in the architecture's style, where TurboFan starts to pay. */
export const LINT_TURBOFAN_THRESHOLD_CHARS = 1_000_000;
