// Bundles the extension and the CLI with esbuild.
//   node scripts/build.mjs               development: source maps
//   node scripts/build.mjs --production  minified, no source maps (what the .vsix ships)
//   node scripts/build.mjs --watch
//   node scripts/build.mjs --production --cli-out <file>   only the CLI, to <file> (the benchmark's copy)
//   --no-generate                        skip scripts/generate (a test building the CLI must not rewrite sources)
import * as esbuild from 'esbuild';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const cliOutIndex = process.argv.indexOf('--cli-out');
const cliOut = cliOutIndex > 0 ? path.resolve(process.argv[cliOutIndex + 1] ?? '') : undefined;

// Build-time steps that generate sources (for example the precompiled compose schema validator) live in
// scripts/generate/*.mjs; each exports `generate(root)` and is run before bundling.
const generators = !process.argv.includes('--no-generate') && fs.existsSync(path.join(root, 'scripts/generate'))
  ? fs.readdirSync(path.join(root, 'scripts/generate')).filter((f) => f.endsWith('.mjs')).sort()
  : [];
for (const file of generators) {
  const mod = await import(path.join(root, 'scripts/generate', file));
  await mod.generate(root);
}

// dockerode's BuildKit support (gRPC and protobuf, about a quarter of the bundle) serves only image builds
// through the API, which we never make; it is swapped for stubs that fail loudly if that ever changes.
const dockerodeWithoutBuildKit = {
  name: 'dockerode-without-buildkit',
  setup(build) {
    build.onResolve({ filter: /^\.\/(session|buildkit)$/ }, (args) =>
      /[\\/]dockerode[\\/]lib$/.test(args.resolveDir) ? { path: path.join(root, 'scripts/stubs', `dockerode-${args.path.slice(2)}.cjs`) } : undefined,
    );
  },
};

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  // ssh2 (pulled in by dockerode) loads two optional native parts inside try/catch; they are not bundled,
  // and without them ssh2 falls back to pure JavaScript.
  external: ['vscode', 'cpu-features', '*.node'],
  metafile: true,
  plugins: [dockerodeWithoutBuildKit],
};

const cliFile = cliOut ?? path.join(root, 'dist/cli.js');
const entries = [
  ...(cliOut
    ? []
    : [
        {
          entryPoints: [path.join(root, 'src/extension.ts')],
          outfile: path.join(root, 'dist/extension.js'),
          // The first statement of the bundle: activation time is measured from here, so it includes loading the bundle.
          banner: { js: 'globalThis.__composeBlueprintLoadStart = performance.now();' },
        },
      ]),
  { entryPoints: [path.join(root, 'src/cli.ts')], outfile: cliFile, banner: { js: '#!/usr/bin/env node' } },
];

/**
 * The production CLI is the bundle wrapped in src/cliLoader.ts, which compiles it with a V8 code cache kept
 * in the user's cache folder (Node 20 has no module compile cache). Still one file: the bundle is a string in it.
 */
async function wrapCliWithCodeCache(file) {
  const bundle = fs.readFileSync(file, 'utf8').replace(/^#!.*\n/, '');
  const hash = crypto.createHash('sha256').update(bundle).digest('hex').slice(0, 16);
  await esbuild.build({
    ...common,
    metafile: false,
    stdin: {
      contents: `import { startCli } from './cliLoader';\nstartCli(${JSON.stringify(bundle)}, ${JSON.stringify(hash)}, require, module, __filename);\n`,
      resolveDir: path.join(root, 'src'),
      sourcefile: 'cli-loader-entry.ts',
      loader: 'ts',
    },
    outfile: file,
    banner: { js: '#!/usr/bin/env node' },
  });
}

if (watch) {
  for (const entry of entries) {
    const ctx = await esbuild.context({ ...common, ...entry });
    await ctx.watch();
  }
  console.log('[build] watching');
} else {
  for (const entry of entries) {
    const result = await esbuild.build({ ...common, ...entry });
    const bytes = fs.statSync(entry.outfile).size;
    console.log(`[build] ${path.relative(root, entry.outfile)} ${(bytes / 1024).toFixed(0)} KiB${production ? ' (production)' : ''}`);
    if (result.metafile) fs.writeFileSync(entry.outfile + '.meta.json', JSON.stringify(result.metafile));
    if (production && entry.outfile === cliFile) await wrapCliWithCodeCache(cliFile);
  }
  fs.chmodSync(cliFile, 0o755);
}
