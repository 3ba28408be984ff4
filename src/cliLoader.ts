import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/**
 * The production CLI starts through this loader: it compiles the CLI bundle with a V8 code cache kept in the
 * user's cache folder, so a run does not compile the 0.7 MB bundle again (nor, once warmed, the functions the
 * previous run compiled lazily, most of them the precompiled schema validator). Node 20 has no
 * module.enableCompileCache; this is the same idea with vm.Script's cachedData.
 *
 * It can only make a start slower by a few milliseconds, never wrong: V8 checks that a cache matches the
 * source, the V8 version and its flags, and compiles from source when it does not; every cache read and
 * write is best effort. COMPOSE_BLUEPRINT_CODE_CACHE=0 turns it off; COMPOSE_BLUEPRINT_CACHE_DIR moves it.
 */
export interface CodeCacheLoad {
  /** The compiled program: call it like a CommonJS module wrapper. */
  readonly run: (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  /** 'hit' when V8 took the cache, 'miss' when there was none, 'rejected' when V8 refused it, 'off' when disabled. */
  readonly cache: 'hit' | 'miss' | 'rejected' | 'off';
  /** Writes the cache (with what has been compiled so far) when this run had none usable; never throws. */
  persist(): void;
}

export interface CodeCacheOptions {
  /** The CommonJS source of the bundle. */
  readonly source: string;
  /**
   * A hash of `source`, computed at build time: a new build never reads an old build's cache. This matters:
   * V8 checks a cache against the source's length only, so another build of the same length would pass.
   */
  readonly sourceHash: string;
  /** The name stack traces show. */
  readonly filename: string;
  /** Which kind of run this is ('lint' or 'other'): each keeps its own cache, warmed by the functions it uses. */
  readonly flavour: string;
  /** The folder for cache files, or undefined for none. */
  readonly cacheDir: string | undefined;
}

/** Where the CLI keeps its code cache: the platform's user cache folder, unless the environment says otherwise. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  if (env.COMPOSE_BLUEPRINT_CODE_CACHE === '0') return undefined;
  if (env.COMPOSE_BLUEPRINT_CACHE_DIR) return env.COMPOSE_BLUEPRINT_CACHE_DIR;
  let home: string;
  try {
    home = os.homedir();
  } catch {
    return undefined;
  }
  let base: string | undefined;
  if (platform === 'win32') base = env.LOCALAPPDATA ?? (home ? path.join(home, 'AppData', 'Local') : undefined);
  else if (platform === 'darwin') base = home ? path.join(home, 'Library', 'Caches') : undefined;
  else base = env.XDG_CACHE_HOME ?? (home ? path.join(home, '.cache') : undefined);
  return base ? path.join(base, 'compose-blueprint', 'cli-code-cache') : undefined;
}

/** The cache file for one build, Node version, architecture and flavour. */
export function cacheFileName(sourceHash: string, flavour: string): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_');
  return `cli-${safe(sourceHash)}-${safe(process.version)}-${safe(process.arch)}-${safe(flavour)}.bin`;
}

/** Compiles the bundle, with the cached code when there is a usable cache. Never throws for cache reasons. */
export function compileWithCodeCache(options: CodeCacheOptions): CodeCacheLoad {
  const file = options.cacheDir ? path.join(options.cacheDir, cacheFileName(options.sourceHash, options.flavour)) : undefined;
  let cachedData: Buffer | undefined;
  if (file) {
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      cachedData = undefined; // no cache yet, or unreadable: compile from source
    }
  }
  const script = new vm.Script(Module.wrap(options.source), { filename: options.filename, ...(cachedData ? { cachedData } : {}) });
  const cache = !file ? 'off' : !cachedData ? 'miss' : script.cachedDataRejected === true ? 'rejected' : 'hit';
  let persisted = false;
  return {
    run: script.runInThisContext() as CodeCacheLoad['run'],
    cache,
    persist() {
      if (!file || !options.cacheDir || cache === 'hit' || persisted) return;
      persisted = true;
      try {
        const data = script.createCachedData();
        fs.mkdirSync(options.cacheDir, { recursive: true });
        // Write aside and rename: a concurrent run reads the old file or the new one, never half of one.
        const temporary = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, data);
        fs.renameSync(temporary, file);
        removeStaleCaches(options.cacheDir, options.sourceHash);
      } catch {
        // An unwritable cache folder only means the next run compiles again.
      }
    },
  };
}

/** Caches of other builds would never be read again. */
function removeStaleCaches(dir: string, sourceHash: string): void {
  for (const name of fs.readdirSync(dir)) {
    if (name.startsWith('cli-') && !name.startsWith(`cli-${sourceHash}-`) && (name.endsWith('.bin') || name.endsWith('.tmp'))) {
      try {
        fs.rmSync(path.join(dir, name), { force: true });
      } catch {
        // another run may be removing it too
      }
    }
  }
}

/**
 * Runs the CLI bundle `source` as the module `module` (the production dist/cli.js calls this with its own
 * module, require and file name, so the bundle runs exactly as if it were that file).
 */
export function startCli(source: string, sourceHash: string, require: NodeJS.Require, module: NodeJS.Module, filename: string): void {
  const load = compileWithCodeCache({
    source,
    sourceHash,
    filename,
    flavour: process.argv[2] === 'lint' ? 'lint' : 'other',
    cacheDir: defaultCacheDir(),
  });
  // At exit the script has compiled what this run used: the cache then saves those compilations too.
  if (load.cache !== 'hit' && load.cache !== 'off') process.once('exit', () => persistPrepared(load, module.exports));
  load.run(module.exports, require, module, filename, path.dirname(filename));
}

/**
 * Writes the cache after the program's `prepareCodeCache` export (when it has one) has compiled what this
 * run did not use but a later one may: only the run that writes the cache pays for it. Its errors are ignored.
 */
export function persistPrepared(load: CodeCacheLoad, programExports: unknown): void {
  try {
    const prepare = (programExports as { prepareCodeCache?: unknown } | null | undefined)?.prepareCodeCache;
    if (typeof prepare === 'function') (prepare as () => unknown)();
  } catch {
    // The cache then holds what this run compiled, as without the export.
  }
  load.persist();
}
