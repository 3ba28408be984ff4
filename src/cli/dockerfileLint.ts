import fs from 'node:fs';
import path from 'node:path';
import { isComposeFileName } from '../core/compose/files';
import { checkDockerfileText, isBlueprintDockerfilePath, normalizeRequiredLabels } from '../core/dockerfile/check';
import { findComposeBuildUses, type ComposeFileInput } from '../core/dockerfile/composeUses';
import { DOCKERFILE_RULES } from '../core/dockerfile/rules';
import { compareFindings } from '../core/findings';
import { registerRuleMeta } from '../core/rules/registry';
import type { RuleLevels } from '../core/rules/ruleConfig';
import { parseYaml } from '../core/yaml/parse';
import { findComposeFiles, readText } from '../host/files';
import type { CliIo } from './main';
import { toReported, type ReportedFinding } from './output';

// SARIF output and docs look rule ids up in the shared registry.
registerRuleMeta(DOCKERFILE_RULES);

/** Whether a file given by name on the command line is a Dockerfile (checked as one, not as compose). */
export function isDockerfileName(file: string): boolean {
  return /^(Dockerfile|Containerfile)(\..+)?$|\.(dockerfile|containerfile)$/i.test(path.basename(file)) && !file.endsWith('.dockerignore');
}

/** Reads `composeBlueprint.dockerfile.requiredLabels` from ./.vscode/settings.json; the default when absent or unreadable. */
function requiredLabels(cwd: string): readonly string[] {
  const file = path.join(cwd, '.vscode', 'settings.json');
  try {
    const text = fs.readFileSync(file, 'utf8');
    const withoutComments = text.replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (_m, string: string | undefined) => string ?? '');
    const settings = JSON.parse(withoutComments.replace(/,(\s*[}\]])/g, '$1')) as Record<string, unknown>;
    return normalizeRequiredLabels(settings['composeBlueprint.dockerfile.requiredLabels']);
  } catch {
    return normalizeRequiredLabels(undefined);
  }
}

/** The compose files that may build a Dockerfile: those of its folder and of every folder above it, up to `top`. */
function composeFilesAbove(dockerfile: string, top: string, cache: Map<string, ComposeFileInput[]>): ComposeFileInput[] {
  const result: ComposeFileInput[] = [];
  let folder = path.dirname(dockerfile);
  for (;;) {
    let files = cache.get(folder);
    if (!files) {
      files = [];
      let names: string[];
      try {
        names = fs.readdirSync(folder).filter(isComposeFileName).sort();
      } catch {
        names = [];
      }
      for (const name of names) {
        const read = readText(path.join(folder, name));
        if (read.ok) files.push({ path: path.join(folder, name), parsed: parseYaml(read.text) });
      }
      cache.set(folder, files);
    }
    result.push(...files);
    const parent = path.dirname(folder);
    if (folder === top || parent === folder || !folder.startsWith(top)) break;
    folder = parent;
  }
  return result;
}

/**
 * Lints Dockerfiles: every `build/**\/Dockerfile*` under the given folders plus Dockerfiles named directly,
 * with the compose services that build them (for expose-missing and healthcheck-tool-missing).
 */
export function lintDockerfiles(folders: readonly string[], files: readonly string[], levels: RuleLevels, io: CliIo): { reported: ReportedFinding[]; ioError: boolean } {
  const dockerfiles = new Set<string>(files);
  for (const folder of folders) {
    for (const file of findComposeFiles(folder, (name) => /^Dockerfile/.test(name))) {
      if (isBlueprintDockerfilePath(path.relative(folder, file))) dockerfiles.add(file);
    }
  }
  const labels = requiredLabels(io.cwd);
  const cache = new Map<string, ComposeFileInput[]>();
  const reported: ReportedFinding[] = [];
  let ioError = false;
  for (const file of [...dockerfiles].sort()) {
    const read = readText(file);
    if (!read.ok) {
      io.err(`Cannot read ${file}: ${read.error}\n`);
      ioError = true;
      continue;
    }
    const top = folders.find((folder) => file.startsWith(folder + path.sep)) ?? (file.startsWith(io.cwd + path.sep) ? io.cwd : path.parse(file).root);
    const composeUses = findComposeBuildUses(file, composeFilesAbove(file, top, cache));
    const { findings } = checkDockerfileText(read.text, { levels, requiredLabels: labels, composeUses });
    reported.push(...toReported(file, read.text, [...findings].sort(compareFindings)));
  }
  return { reported, ioError };
}
