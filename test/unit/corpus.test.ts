import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../src/cli/main';
import { formatMessage } from '../../src/core/message';
import { checkComposeText } from '../../src/core/validation/checkFile';
import { CORPUS, yamlFiles } from './corpusFiles';

/**
 * Real compose files from docker/compose, compose-go and awesome-compose (test/fixtures/corpus, each source
 * with its LICENSE and SOURCE). Files Compose accepts must get no `schema` finding. The upstream test files
 * that are invalid on purpose are listed here with the reason; each must get one, so the list stays honest.
 */
const knownInvalid: Record<string, string> = {
  'compose-go/loader/testdata/empty.yaml': 'an empty file (only a comment): Compose refuses it with "empty compose file"; we warn',
  'compose-go/loader/testdata/extends/base.yaml':
    'service "nil" is left empty on purpose; the schema requires a service to be a mapping. compose-go reads the file only as an extends source',
  'docker-compose/pkg/e2e/fixtures/wrong-composefile/compose.yaml': 'invalid on purpose: docker compose e2e tests expect the error for "wrongField"',
};

const corpus = CORPUS;

const files = yamlFiles(corpus).sort();

test('corpus: the fixtures are there, with each source\'s licence and origin', () => {
  assert.ok(files.length > 250, `only ${files.length} files`);
  for (const source of ['awesome-compose', 'compose-go', 'docker-compose']) {
    assert.ok(fs.existsSync(path.join(corpus, source, 'LICENSE')), `${source}/LICENSE`);
    assert.match(fs.readFileSync(path.join(corpus, source, 'SOURCE'), 'utf8'), /commit [0-9a-f]{40}/);
  }
});

test('corpus: every file is checked without an exception; accepted files get no schema finding', () => {
  const unexpected: string[] = [];
  const listedWithout: string[] = [];
  for (const file of files) {
    const relative = path.relative(corpus, file).split(path.sep).join('/');
    const text = fs.readFileSync(file, 'utf8');
    const schema = checkComposeText(text).findings.filter((f) => f.rule === 'schema');
    if (relative in knownInvalid) {
      if (schema.length === 0) listedWithout.push(relative);
    } else {
      for (const finding of schema) unexpected.push(`${relative}@${finding.span.start}: ${formatMessage(finding.message)}`);
    }
  }
  assert.deepEqual(unexpected, []);
  assert.deepEqual(listedWithout, [], 'listed as invalid but no schema finding: remove them from knownInvalid');
});

test('corpus: the CLI lints every file without a stack trace and agrees with the checker', async () => {
  let out = '';
  let err = '';
  const status = await runCli(['lint', ...files, '--format', 'json'], { cwd: corpus, out: (t) => (out += t), err: (t) => (err += t) });
  assert.ok(status === 0 || status === 1, `exit ${status}: ${err}`);
  assert.doesNotMatch(err, /\n\s+at /, 'stack trace on stderr');
  const reported = JSON.parse(out) as { file: string; rule: string; line: number; column: number }[];
  const withSchema = new Set(reported.filter((f) => f.rule === 'schema').map((f) => path.relative(corpus, f.file).split(path.sep).join('/')));
  assert.deepEqual([...withSchema].sort(), Object.keys(knownInvalid).sort());
  for (const finding of reported) assert.ok(finding.line >= 1 && finding.column >= 1, JSON.stringify(finding));
});
