import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseImageReference, baseImageFacts } from '../../../src/core/dockerfile/image';
import { keyValuePairs, parseDockerfile, substituteVariables } from '../../../src/core/dockerfile/parse';
import { checkDockerfileText } from '../../../src/core/dockerfile/check';
import { applyEdits } from '../../../src/core/findings';
import { formatMessage } from '../../../src/core/message';

const slice = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

test('instructions keep keyword and word spans; continuations join, comment lines inside them drop', () => {
  const text = ['FROM python:3.12-slim AS base', 'RUN apt-get update \\', '  # a comment inside', '', '    && apt-get install -y curl', 'cmd ["python", "main.py"]'].join('\n');
  const parsed = parseDockerfile(text);
  assert.deepEqual(parsed.instructions.map((i) => i.keyword), ['FROM', 'RUN', 'CMD']);
  const run = parsed.instructions[1]!;
  assert.equal(run.args.replace(/\s+/g, ' ').trim(), 'apt-get update && apt-get install -y curl');
  assert.deepEqual(run.words.map((w) => slice(text, w.span)), ['apt-get', 'update', '&&', 'apt-get', 'install', '-y', 'curl']);
  assert.equal(slice(text, run.span), text.split('\n').slice(1, 5).join('\n'));
  assert.deepEqual(parsed.instructions[2]!.json, ['python', 'main.py']);
  assert.equal(slice(text, parsed.instructions[2]!.keywordSpan), 'cmd');
  assert.deepEqual(parsed.comments.map((c) => c.text), ['# a comment inside']);
});

test('parser directives: only at the top, escape changes the continuation character', () => {
  const text = ['# syntax=docker/dockerfile:1', '# escape=`', '# check=skip=all', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'RUN dir c:\\ `', '  && echo done', '# escape=\\', 'WORKDIR c:\\app'].join('\r\n');
  const parsed = parseDockerfile(text);
  assert.deepEqual(parsed.directives.map((d) => [d.name, d.value]), [['syntax', 'docker/dockerfile:1'], ['escape', '`'], ['check', 'skip=all']]);
  assert.equal(parsed.escape, '`');
  assert.deepEqual(parsed.instructions.map((i) => i.keyword), ['FROM', 'RUN', 'WORKDIR']);
  assert.equal(parsed.instructions[1]!.words.map((w) => w.text).join(' '), 'dir c:\\ && echo done');
  assert.equal(parsed.comments.at(-1)!.text, '# escape=\\'); // a directive after the top is a comment
});

test('a directive after a comment is only a comment', () => {
  const parsed = parseDockerfile('# hello\n# escape=`\nFROM alpine:3.20\n');
  assert.equal(parsed.directives.length, 0);
  assert.equal(parsed.escape, '\\');
});

test('heredocs: several per line, <<- strips tabs, quoted delimiters, unterminated is a problem', () => {
  const text = ['FROM alpine:3.20', 'COPY <<EOF1 <<-"EOF2" /dest/', 'first', 'EOF1', '\tsecond', '\tEOF2', 'RUN cat <<<"here-string" && echo ok', 'RUN <<EOF', 'echo never closed'].join('\n');
  const parsed = parseDockerfile(text);
  const copy = parsed.instructions[1]!;
  assert.deepEqual(copy.heredocs.map((h) => [h.delimiter, h.stripTabs, h.quoted, h.body, h.terminated]), [
    ['EOF1', false, false, 'first\n', true],
    ['EOF2', true, true, 'second\n', true],
  ]);
  assert.equal(slice(text, copy.heredocs[0]!.markerSpan), '<<EOF1');
  assert.equal(parsed.instructions[2]!.heredocs.length, 0);
  assert.equal(parsed.instructions[3]!.heredocs[0]!.terminated, false);
  assert.equal(parsed.problems.length, 1);
  assert.match(formatMessage(parsed.problems[0]!.message), /never closed/);
  assert.equal(parsed.instructions.length, 4, 'heredoc body lines are not instructions');
});

test('stages, ARG before FROM, AS names, flags', () => {
  const text = ['ARG VERSION=3.12', 'ARG EMPTY', 'FROM --platform=$BUILDPLATFORM python:${VERSION}-slim AS Build', 'RUN --mount=type=cache,target=/root/.cache pip install x', 'FROM build', 'COPY --from=build /app /app'].join('\n');
  const parsed = parseDockerfile(text);
  assert.deepEqual([...parsed.globalArgs], [['VERSION', '3.12'], ['EMPTY', undefined]]);
  assert.deepEqual(parsed.stages.map((s) => [s.index, s.name, s.image.text, s.instructions.length]), [
    [0, 'build', 'python:${VERSION}-slim', 1],
    [1, undefined, 'build', 1],
  ]);
  assert.equal(parsed.stages[0]!.platform, '$BUILDPLATFORM');
  assert.deepEqual(parsed.instructions[3]!.flags.map((f) => [f.name, f.value]), [['mount', 'type=cache,target=/root/.cache']]);
  assert.equal(parsed.instructions[0]!.stage, -1);
});

test('bad input never throws and is reported clearly', () => {
  const inputs = ['', '\n\n', 'RUN echo before from', 'FROM', '!!!', 'FROBNICATE x', 'FROM alpine\nRUN \\', '\uFEFFFROM alpine', 'FROM a\r\nRUN b \\\r\n c'];
  for (const input of inputs) assert.doesNotThrow(() => parseDockerfile(input), input);
  assert.match(formatMessage(parseDockerfile('RUN echo x').problems[0]!.message), /before the first FROM/);
  assert.match(formatMessage(parseDockerfile('FROBNICATE x').problems[0]!.message), /Unknown instruction FROBNICATE/);
  assert.match(formatMessage(parseDockerfile('FROM').problems[0]!.message), /needs an image/);
  assert.equal(parseDockerfile('FROM a\r\nRUN b \\\r\n c').instructions[1]!.words.map((w) => w.text).join(' '), 'b c');
});

test('LABEL/ENV pairs, variable substitution', () => {
  const parsed = parseDockerfile('FROM a:1\nLABEL maintainer="team@company.com" version="1.0"\nENV LEGACY value with spaces\n');
  assert.deepEqual(keyValuePairs(parsed.instructions[1]!).map((p) => [p.key, p.value]), [['maintainer', 'team@company.com'], ['version', '1.0']]);
  assert.deepEqual(keyValuePairs(parsed.instructions[2]!).map((p) => [p.key, p.value]), [['LEGACY', 'value with spaces']]);
  const values = new Map<string, string | undefined>([['A', '1'], ['E', '']]);
  const cases: [string, string | undefined][] = [
    ['x$A', 'x1'],
    ['${A}-${B:-two}', '1-two'],
    ['${E:-d}', 'd'],
    ['${E-d}', ''],
    ['${A:+set}', 'set'],
    ['${B}', undefined],
  ];
  for (const [input, expected] of cases) assert.equal(substituteVariables(input, values), expected, input);
});

test('image references and base image facts', () => {
  assert.deepEqual(parseImageReference('localhost:5000/team/app:1.2@sha256:abc'), { repository: 'localhost:5000/team/app', tag: '1.2', digest: 'sha256:abc' });
  assert.deepEqual(parseImageReference('python'), { repository: 'python' });
  const cases: [string, string, string][] = [
    ['python:3.12-slim', 'absent', 'absent'],
    ['python:3.12', 'present', 'present'],
    ['node:20-alpine', 'absent', 'present'],
    ['alpine:3.20', 'absent', 'present'],
    ['docker.io/library/debian:12', 'absent', 'absent'],
    ['curlimages/curl:8.10.1', 'present', 'present'],
    ['nginx:1.27-alpine', 'unknown', 'present'],
    ['ghcr.io/acme/tool:1', 'unknown', 'unknown'],
  ];
  for (const [image, curl, wget] of cases) assert.deepEqual([baseImageFacts(image).curl, baseImageFacts(image).wget], [curl, wget], image);
});

test('random edits of real Dockerfiles never make the parser or the rules throw', () => {
  const samples = [
    'FROM python:3.12-slim AS build\nWORKDIR /app\nRUN apt-get update \\\n  && apt-get install -y curl\nCOPY <<EOF /x\nhi\nEOF\nCMD ["python", "main.py"]\n',
    '# escape=`\nARG V=1\nFROM alpine:${V}\nRUN echo `\n  done\nHEALTHCHECK CMD wget -q x || exit 1\nEXPOSE 80/udp 8000-8010\n',
  ];
  const pieces = ['\\', '`', '<<', '<<-EOF', 'EOF', '"', "'", '[', ']', '\n', '\r\n', '#', ' ', 'FROM', 'AS', '${', '}', '--from=', 'USER root', '\t', '\u{1F600}', 'apt-get install', '&&'];
  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  let checked = 0;
  for (let round = 0; round < 400; round++) {
    let text = samples[round % samples.length]!;
    for (let edit = 0; edit < 1 + random(6); edit++) {
      const at = random(text.length + 1);
      const cut = random(3) === 0 ? random(8) : 0;
      text = text.slice(0, at) + pieces[random(pieces.length)]! + text.slice(at + cut);
    }
    const uses = [{ service: 's', composePath: '/p/c.yml', ports: [{ from: 80, to: 80, protocol: 'tcp' as const }], healthcheckTools: ['curl', 'wget'] }];
    const { findings } = checkDockerfileText(text, { composeUses: uses });
    for (const f of findings) {
      assert.ok(f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= text.length, `span in bounds for ${f.rule} in ${JSON.stringify(text)}`);
      for (const fix of f.fixes ?? []) assert.doesNotThrow(() => applyEdits(text, fix.edits), `${f.rule} fix applies`);
    }
    checked++;
  }
  assert.equal(checked, 400);
});
