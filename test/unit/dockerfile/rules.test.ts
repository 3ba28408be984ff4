import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { checkDockerfileText, isBlueprintDockerfilePath, normalizeRequiredLabels } from '../../../src/core/dockerfile/check';
import type { ComposeBuildUse } from '../../../src/core/dockerfile/composeUses';
import { DOCKERFILE_RULES } from '../../../src/core/dockerfile/rules';
import { applyEdits } from '../../../src/core/findings';
import { formatMessage } from '../../../src/core/message';

/** A Dockerfile that passes every rule; cases change one thing. */
const CLEAN = [
  'FROM python:3.12-slim',
  'LABEL maintainer="team@company.com"',
  'LABEL version="1.0"',
  'LABEL description="Service description"',
  'WORKDIR /app',
  'COPY requirements.txt .',
  'RUN pip install --no-cache-dir -r requirements.txt',
  'COPY . .',
  'RUN useradd --create-home --uid 10001 app',
  'USER app',
  'EXPOSE 8000',
  'CMD ["python", "main.py"]',
  '',
].join('\n');

const replace = (from: string, to: string) => {
  assert.ok(CLEAN.includes(from), from);
  return CLEAN.replace(from, to);
};

interface Case {
  readonly name: string;
  readonly text: string;
  readonly rule: string;
  /** The source text under each finding of `rule`, in order; [] means no finding of that rule. */
  readonly spans: readonly string[];
  /** Applying the first finding's first fix gives this text. */
  readonly fixed?: string;
  readonly uses?: readonly ComposeBuildUse[];
  readonly message?: RegExp;
}

const web = (ports: number[], tools: string[] = [], target?: string): ComposeBuildUse => ({
  service: 'web',
  composePath: '/p/docker-compose.yml',
  ...(target ? { target } : {}),
  ports: ports.map((p) => ({ from: p, to: p, protocol: 'tcp' as const })),
  healthcheckTools: tools,
});

const cases: Case[] = [
  // from-unpinned
  { name: 'tagged image is pinned', text: CLEAN, rule: 'from-unpinned', spans: [] },
  { name: 'no tag', text: replace('python:3.12-slim', 'python'), rule: 'from-unpinned', spans: ['python'], message: /no tag/ },
  { name: 'latest', text: replace('python:3.12-slim', 'python:latest'), rule: 'from-unpinned', spans: ['python:latest'] },
  { name: 'digest pins', text: replace('python:3.12-slim', 'python@sha256:0123'), rule: 'from-unpinned', spans: [] },
  { name: 'registry port is not a tag', text: replace('python:3.12-slim', 'localhost:5000/app'), rule: 'from-unpinned', spans: ['localhost:5000/app'] },
  { name: 'scratch', text: 'FROM scratch\nCOPY app /app\n', rule: 'from-unpinned', spans: [] },
  { name: 'earlier stage', text: 'FROM node:20 AS Build\nFROM build\n', rule: 'from-unpinned', spans: [] },
  { name: 'ARG default resolves to latest', text: 'ARG BASE=node:latest\nFROM ${BASE}\n', rule: 'from-unpinned', spans: ['${BASE}'] },
  { name: 'ARG default pinned', text: 'ARG V=20\nFROM node:${V}-slim\n', rule: 'from-unpinned', spans: [] },
  { name: 'ARG without default: cannot tell', text: 'ARG BASE\nFROM ${BASE}\n', rule: 'from-unpinned', spans: [] },
  // labels-missing
  { name: 'labels present', text: CLEAN, rule: 'labels-missing', spans: [] },
  {
    name: 'labels missing, fix adds them after the last LABEL',
    text: replace('LABEL version="1.0"\nLABEL description="Service description"\n', ''),
    rule: 'labels-missing',
    spans: ['python:3.12-slim'],
    message: /version, description/,
    fixed: replace('LABEL version="1.0"\nLABEL description="Service description"\n', 'LABEL version=""\nLABEL description=""\n'),
  },
  { name: 'labels on the stage built on count', text: 'FROM alpine:3.20 AS base\nLABEL maintainer=a version=1 description=d\nFROM base\nUSER 1000\n', rule: 'labels-missing', spans: [] },
  { name: 'MAINTAINER counts as maintainer', text: 'FROM alpine:3.20\nMAINTAINER a\nLABEL version=1 description=d\n', rule: 'labels-missing', spans: [] },
  // workdir-missing
  { name: 'workdir set', text: CLEAN, rule: 'workdir-missing', spans: [] },
  { name: 'workdir missing', text: replace('WORKDIR /app\n', ''), rule: 'workdir-missing', spans: ['python:3.12-slim'], fixed: CLEAN.replace('LABEL maintainer', 'WORKDIR /app\nLABEL maintainer').replace('Service description"\nWORKDIR /app\n', 'Service description"\n') },
  { name: 'inherited from an earlier stage', text: 'FROM node:20 AS base\nWORKDIR /app\nFROM base\nCOPY . .\n', rule: 'workdir-missing', spans: [] },
  { name: 'no files copied', text: 'FROM alpine:3.20\nRUN echo hi\n', rule: 'workdir-missing', spans: [] },
  // cmd-shell-form
  { name: 'json form', text: CLEAN, rule: 'cmd-shell-form', spans: [] },
  { name: 'shell form CMD, fix splits', text: replace('CMD ["python", "main.py"]', 'CMD python main.py'), rule: 'cmd-shell-form', spans: ['python main.py'], fixed: CLEAN },
  { name: 'shell form with quotes', text: replace('CMD ["python", "main.py"]', `CMD python "main.py"`), rule: 'cmd-shell-form', spans: ['python "main.py"'], fixed: CLEAN },
  { name: 'shell operators: no fix offered', text: replace('CMD ["python", "main.py"]', 'ENTRYPOINT exec python main.py && echo $HOME'), rule: 'cmd-shell-form', spans: ['exec python main.py && echo $HOME'] },
  { name: 'single-quoted JSON', text: replace('CMD ["python", "main.py"]', "CMD ['python', 'main.py']"), rule: 'cmd-shell-form', spans: ["['python', 'main.py']"], message: /not valid JSON/, fixed: CLEAN },
  // copy-before-deps
  { name: 'manifest first', text: CLEAN, rule: 'copy-before-deps', spans: [] },
  { name: 'pip after COPY . .', text: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n', rule: 'copy-before-deps', spans: ['COPY . .'] },
  { name: 'npm ci after COPY ./ /app', text: 'FROM node:20\nWORKDIR /app\nCOPY ./ /app\nRUN npm ci --omit=dev\n', rule: 'copy-before-deps', spans: ['COPY ./ /app'] },
  { name: 'npm install <package> is not from the manifest', text: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install -g pm2\n', rule: 'copy-before-deps', spans: [] },
  { name: 'python -m pip install -r', text: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN python -m pip install --no-cache-dir -r requirements.txt\n', rule: 'copy-before-deps', spans: ['COPY . .'] },
  { name: 'pip install . (the project itself)', text: 'FROM python:3.12\nWORKDIR /app\nCOPY . /app\nRUN pip install .\n', rule: 'copy-before-deps', spans: ['COPY . /app'] },
  { name: 'yarn alone', text: 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn --frozen-lockfile\n', rule: 'copy-before-deps', spans: ['COPY . .'] },
  { name: 'uv sync in a heredoc', text: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN <<EOF\nuv sync --frozen\nEOF\n', rule: 'copy-before-deps', spans: ['COPY . .'] },
  { name: 'pip install of a named package', text: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install gunicorn\n', rule: 'copy-before-deps', spans: [] },
  { name: 'install before the copy', text: 'FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n', rule: 'copy-before-deps', spans: [] },
  { name: 'COPY --from is not the context', text: 'FROM node:20\nWORKDIR /app\nCOPY --from=build . .\nRUN npm ci\n', rule: 'copy-before-deps', spans: [] },
  // user-root
  { name: 'USER set', text: CLEAN, rule: 'user-root', spans: [] },
  { name: 'no USER', text: replace('USER app\n', ''), rule: 'user-root', spans: ['python:3.12-slim'], message: /useradd/ },
  { name: 'USER root', text: replace('USER app', 'USER root'), rule: 'user-root', spans: ['USER root'] },
  { name: 'node suggests the node user', text: 'FROM node:20-slim\nCMD ["node", "x.js"]\n', rule: 'user-root', spans: ['node:20-slim'], message: /USER node/ },
  { name: 'alpine suggests adduser', text: 'FROM alpine:3.20\n', rule: 'user-root', spans: ['alpine:3.20'], message: /adduser -D/ },
  { name: 'scratch is skipped', text: 'FROM scratch\nCOPY app /\n', rule: 'user-root', spans: [] },
  { name: 'non-root base', text: 'FROM gcr.io/distroless/static:nonroot\n', rule: 'user-root', spans: [] },
  { name: 'only the final stage counts', text: 'FROM node:20 AS build\nFROM node:20-slim\nUSER node\n', rule: 'user-root', spans: [] },
  { name: 'USER inherited through a stage', text: 'FROM node:20 AS base\nUSER node\nFROM base\n', rule: 'user-root', spans: [] },
  // apt-no-cleanup
  { name: 'cleaned', text: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n', rule: 'apt-no-cleanup', spans: [] },
  {
    name: 'not cleaned, fix appends',
    text: 'FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl\nUSER 1000\n',
    rule: 'apt-no-cleanup',
    spans: ['apt-get install'],
    fixed: 'FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nUSER 1000\n',
  },
  { name: 'cache mount', text: 'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get install -y --no-install-recommends curl\n', rule: 'apt-no-cleanup', spans: [] },
  { name: 'builder stage is not shipped', text: 'FROM debian:12 AS build\nRUN apt-get install -y --no-install-recommends gcc\nFROM debian:12\n', rule: 'apt-no-cleanup', spans: [] },
  { name: 'heredoc: finding without fix', text: 'FROM debian:12\nRUN <<EOF\nset -e\nsudo apt-get install -y --no-install-recommends gcc\nEOF\n', rule: 'apt-no-cleanup', spans: ['apt-get install'] },
  // apt-no-recommends
  { name: 'has --no-install-recommends', text: 'FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n', rule: 'apt-no-recommends', spans: [] },
  {
    name: 'missing, fix inserts after install',
    text: 'FROM debian:12\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y curl\n',
    rule: 'apt-no-recommends',
    spans: ['apt-get install'],
    fixed: 'FROM debian:12\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install --no-install-recommends -y curl\n',
  },
  { name: 'apt -o option', text: 'FROM debian:12\nRUN apt install -o APT::Install-Recommends=false -y curl\n', rule: 'apt-no-recommends', spans: [] },
  { name: 'apt-get update alone', text: 'FROM debian:12\nRUN apt-get update\n', rule: 'apt-no-recommends', spans: [] },
  // add-instead-of-copy
  { name: 'ADD local file, fix', text: 'FROM alpine:3.20\nADD --chown=app app.py /app/\n', rule: 'add-instead-of-copy', spans: ['ADD'], fixed: 'FROM alpine:3.20\nCOPY --chown=app app.py /app/\n' },
  { name: 'ADD archive', text: 'FROM alpine:3.20\nADD rootfs.tar.gz /\n', rule: 'add-instead-of-copy', spans: [] },
  { name: 'ADD URL', text: 'FROM alpine:3.20\nADD https://example.com/x.txt /x\n', rule: 'add-instead-of-copy', spans: [] },
  { name: 'ADD --checksum', text: 'FROM alpine:3.20\nADD --checksum=sha256:1 x /x\n', rule: 'add-instead-of-copy', spans: [] },
  // multiple-cmd
  { name: 'one CMD per stage', text: 'FROM a:1 AS x\nCMD ["a"]\nFROM b:1\nCMD ["b"]\n', rule: 'multiple-cmd', spans: [] },
  { name: 'two CMDs, fix removes the first', text: 'FROM a:1\nCMD ["a"]\nRUN x\nCMD ["b"]\n', rule: 'multiple-cmd', spans: ['CMD ["a"]'], fixed: 'FROM a:1\nRUN x\nCMD ["b"]\n' },
  { name: 'two ENTRYPOINTs', text: 'FROM a:1\nENTRYPOINT ["a"]\nENTRYPOINT ["b"]\n', rule: 'multiple-cmd', spans: ['ENTRYPOINT ["a"]'] },
  // expose-missing
  { name: 'exposed', text: CLEAN, rule: 'expose-missing', spans: [], uses: [web([8000])] },
  {
    name: 'not exposed, fix adds after the last EXPOSE',
    text: CLEAN,
    rule: 'expose-missing',
    spans: ['EXPOSE 8000'],
    uses: [web([8000, 9000])],
    message: /9000/,
    fixed: replace('EXPOSE 8000', 'EXPOSE 8000\nEXPOSE 9000'),
  },
  { name: 'no EXPOSE: fix goes before CMD', text: replace('EXPOSE 8000\n', ''), rule: 'expose-missing', spans: ['python:3.12-slim'], uses: [web([8000])], fixed: CLEAN },
  { name: 'EXPOSE from ARG default', text: 'FROM node:20\nARG PORT=3000\nEXPOSE ${PORT}\n', rule: 'expose-missing', spans: [], uses: [web([3000])] },
  { name: 'EXPOSE unknown variable: cannot tell', text: 'FROM node:20\nARG PORT\nEXPOSE $PORT\n', rule: 'expose-missing', spans: [], uses: [web([3000])] },
  { name: 'base image exposes it', text: 'FROM nginx:1.27\nCOPY site /usr/share/nginx/html\n', rule: 'expose-missing', spans: [], uses: [web([80])] },
  { name: 'build target stage', text: 'FROM node:20 AS dev\nEXPOSE 3000\nFROM node:20-slim AS prod\nEXPOSE 8080\n', rule: 'expose-missing', spans: ['EXPOSE 8080'], uses: [web([3000], [], 'prod')] },
  // healthcheck-tool-missing
  { name: 'curl on slim', text: CLEAN, rule: 'healthcheck-tool-missing', spans: ['python:3.12-slim'], uses: [web([8000], ['curl'])], message: /service web calls curl/ },
  { name: 'curl installed by apt', text: replace('WORKDIR /app', 'WORKDIR /app\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*'), rule: 'healthcheck-tool-missing', spans: [], uses: [web([8000], ['curl'])] },
  { name: 'wget on alpine is busybox', text: 'FROM node:20-alpine\n', rule: 'healthcheck-tool-missing', spans: [], uses: [web([], ['wget'])] },
  { name: 'curl on alpine suggests wget', text: 'FROM node:20-alpine\n', rule: 'healthcheck-tool-missing', spans: ['node:20-alpine'], uses: [web([], ['curl'])], message: /wget -q --spider/ },
  { name: 'apk add curl', text: 'FROM alpine:3.20\nRUN apk add --no-cache curl\n', rule: 'healthcheck-tool-missing', spans: [], uses: [web([], ['curl'])] },
  { name: 'full python image has curl', text: 'FROM python:3.12\n', rule: 'healthcheck-tool-missing', spans: [], uses: [web([], ['curl'])] },
  { name: 'unknown image: cannot tell', text: 'FROM ghcr.io/acme/base:1\n', rule: 'healthcheck-tool-missing', spans: [], uses: [web([], ['curl'])] },
  { name: 'own HEALTHCHECK', text: 'FROM debian:12\nHEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1\n', rule: 'healthcheck-tool-missing', spans: ['HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1'] },
  // dockerfile-syntax
  { name: 'unknown instruction', text: 'FROM a:1\nRUNN x\n', rule: 'dockerfile-syntax', spans: ['RUNN'] },
];

for (const c of cases) {
  test(`${c.rule}: ${c.name}`, () => {
    const { findings } = checkDockerfileText(c.text, { composeUses: c.uses ?? [] });
    const mine = findings.filter((f) => f.rule === c.rule);
    assert.deepEqual(
      mine.map((f) => c.text.slice(f.span.start, f.span.end)),
      c.spans,
      mine.map((f) => formatMessage(f.message)).join('\n'),
    );
    if (c.message) assert.match(formatMessage(mine[0]!.message), c.message);
    if (c.fixed !== undefined) {
      const fix = mine[0]?.fixes?.[0];
      assert.ok(fix, 'a fix is offered');
      const after = applyEdits(c.text, fix.edits);
      assert.equal(after, c.fixed);
      assert.equal(checkDockerfileText(after, { composeUses: c.uses ?? [] }).findings.filter((f) => f.rule === c.rule && f.span.start === mine[0]!.span.start && formatMessage(f.message) === formatMessage(mine[0]!.message)).length, 0, 'the fix removes the finding');
    } else if (c.spans.length > 0 && /no fix|without fix/.test(c.name)) {
      assert.equal(mine[0]!.fixes, undefined);
    }
  });
}

test('the clean Dockerfile has no finding at all, even with its compose service', () => {
  assert.deepEqual(checkDockerfileText(CLEAN, { composeUses: [web([8000])] }).findings, []);
});

test('every rule has a default severity and a docs page id', () => {
  const ids = DOCKERFILE_RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ['from-unpinned', 'labels-missing', 'workdir-missing', 'cmd-shell-form', 'copy-before-deps', 'user-root', 'apt-no-cleanup', 'apt-no-recommends', 'add-instead-of-copy', 'multiple-cmd', 'expose-missing', 'healthcheck-tool-missing']) {
    assert.ok(ids.includes(id), id);
  }
});

test('rule levels and suppression comments apply to Dockerfiles', () => {
  const text = 'FROM python\n# blueprint-disable-next-line add-instead-of-copy\nADD a.py /a.py\nADD b.py /b.py\n';
  const rules = (levels = {}) => checkDockerfileText(text, { levels, requiredLabels: [] }).findings.map((f) => `${f.rule}:${f.severity}:${text.slice(f.span.start, f.span.end)}`);
  const all = rules();
  assert.ok(all.includes('from-unpinned:warning:python'));
  assert.equal(all.filter((r) => r.startsWith('add-instead-of-copy')).length, 1);
  const leveled = rules({ 'from-unpinned': 'error', 'user-root': 'off' });
  assert.ok(leveled.includes('from-unpinned:error:python'));
  assert.ok(!leveled.some((r) => r.startsWith('user-root')));
  assert.deepEqual(checkDockerfileText('# blueprint-disable-file\nFROM python\n').findings, []);
});

test('required labels setting', () => {
  assert.deepEqual(normalizeRequiredLabels(undefined), ['maintainer', 'version', 'description']);
  assert.deepEqual(normalizeRequiredLabels(['org.opencontainers.image.source', 3, ' ']), ['org.opencontainers.image.source']);
  const { findings } = checkDockerfileText(CLEAN, { requiredLabels: ['org.opencontainers.image.source'] });
  assert.equal(findings.filter((f) => f.rule === 'labels-missing').length, 1);
  assert.equal(findings.find((f) => f.rule === 'labels-missing')!.fixes![0]!.edits[0]!.newText, '\nLABEL org.opencontainers.image.source=""');
});

test('blueprint Dockerfile paths', () => {
  const cases: [string, boolean][] = [
    ['/p/build/web/Dockerfile', true],
    ['C:\\p\\build\\web\\Dockerfile.prod', true],
    ['/p/build/Dockerfile', true],
    ['/p/data/web/Dockerfile', false],
    ['/p/build/web/Dockerfile.dockerignore', false],
    ['/p/build/web/main.py', false],
  ];
  for (const [path, expected] of cases) assert.equal(isBlueprintDockerfilePath(path), expected, path);
});

test('CRLF files get CRLF in inserted lines', () => {
  const text = CLEAN.replace('WORKDIR /app\n', '').replace(/\n/g, '\r\n');
  const fix = checkDockerfileText(text).findings.find((f) => f.rule === 'workdir-missing')!.fixes![0]!;
  assert.match(applyEdits(text, fix.edits), /\r\nWORKDIR \/app\r\n/);
});

test('every Dockerfile rule has a docs page whose examples behave as the page says', () => {
  const root = path.resolve(__dirname, '../../../..');
  for (const rule of DOCKERFILE_RULES) {
    const page = fs.readFileSync(path.join(root, 'docs', 'rules', `${rule.id}.md`), 'utf8');
    assert.match(page, new RegExp(`^# ${rule.id}\\n`), rule.id);
    assert.ok(page.includes(`Default severity: **${rule.defaultSeverity}**`), `${rule.id}: severity in the page`);
    if (rule.id === 'expose-missing' || rule.id === 'healthcheck-tool-missing') continue; // their examples need the compose side
    const block = (heading: string) => {
      const after = page.slice(page.indexOf(heading));
      const code = /```dockerfile\n([\s\S]*?)```/.exec(after)?.[1];
      assert.ok(code, `${rule.id}: a dockerfile block after "${heading}"`);
      return /^\s*FROM\b/m.test(code) ? code : `FROM debian:12\n${code}`;
    };
    const count = (text: string) => checkDockerfileText(text).findings.filter((f) => f.rule === rule.id).length;
    assert.ok(count(block('Reported:')) > 0, `${rule.id}: the reported example is reported`);
    assert.equal(count(block('Fine:')), 0, `${rule.id}: the fine example is fine`);
  }
});
