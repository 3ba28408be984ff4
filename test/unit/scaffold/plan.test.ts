import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../../src/core/findings';
import { CATALOGUE, visibleCatalogue } from '../../../src/core/scaffold/catalogue';
import { insertServices, servicesIn } from '../../../src/core/scaffold/composeEdit';
import { isEmptyPlan, planAddService, planNewProject, resolvePlan, executablePaths } from '../../../src/core/scaffold/plan';
import { PRESETS, visiblePresets } from '../../../src/core/scaffold/presets';
import { parseYaml } from '../../../src/core/yaml/parse';
import { applyPlanToFiles, EMPTY, existingFrom, generate } from './helpers';

test('the catalogue has at least 14 services, each with a unique id, and the issue names them all', () => {
  const ids = CATALOGUE.map((entry) => entry.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ['postgres', 'redis', 'mongodb', 'nginx', 'ollama', 'whisper', 'fastapi', 'node-app', 'elasticsearch', 'logstash', 'kibana', 'prometheus', 'grafana', 'generic']) {
    assert.ok(ids.includes(id), id);
  }
  assert.ok(visibleCatalogue().length >= 14);
  assert.ok(!visibleCatalogue().some((entry) => entry.id === 'busybox-test'), 'the test service is hidden from the editor');
});

test('presets: CommentBot, ELK, Web app and Empty are offered; the busybox test preset is hidden', () => {
  assert.deepEqual(visiblePresets().map((p) => p.id), ['commentbot', 'elk', 'web-app', 'empty']);
  assert.ok(PRESETS.some((p) => p.id === 'busybox-test' && p.hidden));
});

for (const entry of CATALOGUE) {
  test(`catalogue ${entry.id}: pinned image, healthcheck, limits, bounded logs, data under ./bd/, config read-only`, () => {
    const files = generate({ name: 'cat', lang: 'en', services: [entry.id] });
    const base = files.get('docker-compose.yml')!;
    const service = new RegExp(`\\n  ${entry.id}:\\n([\\s\\S]*?)(?=\\n\\n|\\n  [a-z][a-z0-9-]*:\\n|$)`).exec(base)?.[1] ?? '';
    assert.match(service, /image: [^\s]+:[0-9v][^\s]*/, 'pinned tag');
    assert.doesNotMatch(service, /:latest/);
    assert.match(service, /healthcheck:\n\s+test: \["CMD/);
    assert.match(service, /restart: unless-stopped/);
    assert.match(service, /max-size: 10m/);
    assert.match(service, /limits:\n\s+memory: \S+\n\s+cpus: "[\d.]+"\n\s+reservations:/);
    assert.match(service, /networks:\n\s+- app-network/);
    for (const volume of service.matchAll(/- (\.\/data\/[^:]+\/config[^:]*):[^\n]*/g)) assert.match(volume[0], /:ro$/, `${volume[1]} read-only`);
    for (const volume of service.matchAll(/- \.\/bd\/([^:]+):/g)) assert.equal(volume[1], `${entry.id}-data`);
    if (/- \.\/bd\//.test(service)) assert.ok(files.has(`bd/${entry.id}-data/.gitkeep`));
    if (entry.kind === 'built') {
      const dockerfile = files.get(`build/${entry.id}/Dockerfile`)!;
      assert.ok(dockerfile, 'Dockerfile');
      assert.ok(files.has(`build/${entry.id}/.dockerignore`));
      for (const pattern of [/^FROM [^\s:]+:[\d][^\s]*$/m, /^LABEL maintainer=/m, /^LABEL version=/m, /^LABEL description=/m, /^ENV /m, /^WORKDIR /m, /^EXPOSE \d+/m, /^CMD \["/m, /^USER (?!root)/m]) {
        assert.match(dockerfile, pattern);
      }
    }
  });
}

test('secrets are ${VAR} references with placeholders in .env.example, and every variable used is listed', () => {
  for (const preset of PRESETS) {
    const files = generate({ name: 'sec', lang: 'en', preset: preset.id });
    const example = files.get('.env.example')!;
    const defined = new Set([...example.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    for (const name of ['docker-compose.yml', 'docker-compose.override.yml', 'docker-compose.prod.yml']) {
      for (const match of files.get(name)!.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) assert.ok(defined.has(match[1]), `${match[1]} of ${name} in .env.example (${preset.id})`);
    }
    for (const line of example.split('\n').filter((l) => /PASSWORD=/.test(l))) assert.match(line, /=change-me$/);
  }
});

test('a second run of New Project on its own output plans nothing', () => {
  for (const preset of PRESETS) {
    const files = generate({ name: 'again', lang: 'es', preset: preset.id });
    const plan = planNewProject({ name: 'again', lang: 'es', preset: preset.id }, existingFrom(files));
    assert.ok(isEmptyPlan(plan), `${preset.id}: ${JSON.stringify({ c: plan.creates.map((f) => f.path), e: plan.edits.map((e) => e.path), x: plan.conflicts.map((c) => c.path) })}`);
    assert.deepEqual(plan.errors, []);
  }
});

test('New Project over an existing project adds only the missing services, variables and ignore lines', () => {
  const first = generate({ name: 'grow', lang: 'en', preset: 'elk' });
  const userBase = first.get('docker-compose.yml')!.replace('services:\n', 'services:\n  # my own comment, kept\n');
  first.set('docker-compose.yml', userBase);
  first.set('.gitignore', 'node_modules/\n.env\n');
  const plan = planNewProject({ name: 'grow', lang: 'en', preset: 'elk', services: ['grafana'] }, existingFrom(first));
  // The README lists the services, so it differs: a conflict the user decides, never a silent overwrite.
  assert.deepEqual(plan.conflicts.map((c) => c.path), ['README.md']);
  const after = applyPlanToFiles(plan, first);
  const base = after.get('docker-compose.yml')!;
  assert.ok(base.startsWith(userBase.slice(0, userBase.indexOf('  # Kibana'))), 'everything before the insertion is byte-for-byte the same');
  assert.ok(base.includes('# my own comment, kept'));
  assert.deepEqual(servicesIn(base).filter((s) => s === 'grafana'), ['grafana'], 'grafana added once');
  assert.equal(after.get('.gitignore')!.split('\n').filter((l) => l === '.env').length, 1, '.env is not duplicated');
  assert.ok(after.get('.gitignore')!.startsWith('node_modules/\n.env\n'));
  assert.match(after.get('.env.example')!, /GRAFANA_ADMIN_PASSWORD=change-me/);
  const again = planNewProject({ name: 'grow', lang: 'en', preset: 'elk', services: ['grafana'] }, existingFrom(after));
  assert.deepEqual([...again.creates, ...again.edits].map((f) => f.path), []);
});

test('an existing file with other content is a conflict, never overwritten unless chosen', () => {
  const plan = planNewProject({ name: 'mine', lang: 'en', preset: 'web-app' }, existingFrom(new Map([['README.md', '# My notes\n'], ['data/scripts/test.sh', 'echo mine\n']])));
  assert.deepEqual(plan.conflicts.map((c) => c.path).sort(), ['README.md', 'data/scripts/test.sh']);
  assert.equal(plan.conflicts.find((c) => c.path === 'README.md')!.current, '# My notes\n');
  assert.ok(!plan.creates.some((f) => f.path === 'README.md'));
  const keep = resolvePlan(plan, new Map());
  assert.deepEqual(keep.overwrites, []);
  assert.deepEqual([...keep.kept].sort(), ['README.md', 'data/scripts/test.sh']);
  const overwrite = resolvePlan(plan, new Map([['data/scripts/test.sh', 'overwrite']]));
  assert.deepEqual(overwrite.overwrites.map((c) => c.path), ['data/scripts/test.sh']);
  assert.ok(executablePaths(overwrite).includes('data/scripts/test.sh'));
});

test('scripts and monitors are executable; stateful services get bd/<service>-data/.gitkeep', () => {
  const plan = planNewProject({ name: 'x', lang: 'en', preset: 'web-app' }, EMPTY);
  const executable = executablePaths(resolvePlan(plan, new Map())).sort();
  for (const script of ['dev-setup', 'prod-deploy', 'test', 'cleanup', 'diagnostic']) assert.ok(executable.includes(`data/scripts/${script}.sh`), script);
  for (const service of ['api', 'nginx', 'postgres', 'redis']) assert.ok(executable.includes(`data/monitoring/monitor_${service}.sh`));
  const paths = plan.creates.map((f) => f.path);
  assert.ok(paths.includes('bd/postgres-data/.gitkeep') && paths.includes('bd/redis-data/.gitkeep'));
  assert.ok(!paths.some((p) => p.startsWith('bd/api-data')));
  for (const folder of ['data/logs', 'data/shared', 'data/doc', 'data/monitoring', 'data/scripts']) assert.ok(paths.some((p) => p.startsWith(folder + '/')), folder);
});

test('CommentBot follows the seed: commentbot-core, ollama, whisper-service and the shared data folders', () => {
  const files = generate({ name: 'commentbot', lang: 'es', preset: 'commentbot' });
  assert.deepEqual(servicesIn(files.get('docker-compose.yml')!).filter((s) => !s.endsWith('-monitor')), ['ollama', 'whisper-service', 'commentbot-core']);
  for (const path of ['data/audio-cache/.gitkeep', 'data/transcripts/.gitkeep', 'data/models/ollama/.gitkeep', 'data/commentbot-core/main.py', 'build/commentbot-core/requirements.txt', 'build/ollama/init-ollama.sh', 'data/whisper-service/main.py']) {
    assert.ok(files.has(path), path);
  }
  assert.match(files.get('data/commentbot-core/main.py')!, /@app.get\("\/health"\)[\s\S]*@app.get\("\/metrics"/);
  assert.match(files.get('README.md')!, /## Desarrollo/);
  assert.match(files.get('docker-compose.yml')!, /# commentbot: Configuración base/);
  assert.match(files.get('docker-compose.yml')!, /OLLAMA_URL=http:\/\/ollama:11434/);
});

test('the seed monitor service is fixed: pinned curl image, healthcheck, service_healthy, in the monitoring profile', () => {
  const base = generate({ name: 'mon', lang: 'en', preset: 'web-app' }).get('docker-compose.yml')!;
  const monitor = parseYaml(base);
  const value = JSON.stringify(monitor.root);
  assert.ok(value.length > 0);
  const block = /\n {2}api-monitor:\n([\s\S]*?)\n\n/.exec(base)![1]!;
  assert.match(block, /image: curlimages\/curl:8\.10\.1/);
  assert.match(block, /profiles:\n\s+- monitoring/);
  assert.match(block, /api:\n\s+condition: service_healthy/);
  assert.match(block, /healthcheck:/);
});

const userCompose = `# My project. Do not touch my comments.
services:
    web:   # the front
        image: nginx:1.27.2-alpine
        healthcheck:
            test: ["CMD", "true"]
    legacy:
        image: busybox:1.36
# trailing comment about volumes
volumes:
    cache: {}
`;

test('Add Service appends to each compose file in place, at the file own indentation, keeping every byte', () => {
  const before = new Map([['docker-compose.yml', userCompose]]);
  const plan = planAddService({ entryId: 'postgres', name: 'db', project: 'mine', dependsOn: [] }, existingFrom(before));
  assert.deepEqual(plan.errors, []);
  const after = applyPlanToFiles(plan, before);
  const base = after.get('docker-compose.yml')!;
  const insertAt = userCompose.indexOf('# trailing comment');
  assert.equal(base.slice(0, insertAt), userCompose.slice(0, insertAt), 'prefix untouched');
  assert.ok(base.endsWith(userCompose.slice(insertAt, userCompose.indexOf('volumes:'))) === false || base.includes('# trailing comment about volumes\nvolumes:\n    cache: {}\n'));
  assert.match(base, /\n {4}db:\n {8}image: postgres:16\.4-alpine/, 'four-space indent like the file');
  assert.match(base, /\nnetworks:\n {2}app-network:\n {4}driver: bridge\n/);
  assert.deepEqual(parseYaml(base).problems, []);
  assert.deepEqual(servicesIn(base), ['web', 'legacy', 'db']);
  assert.ok(after.has('docker-compose.override.yml') && after.has('docker-compose.prod.yml') && after.has('bd/db-data/.gitkeep'));
  assert.match(after.get('.env.example')!, /DB_PASSWORD=change-me/);
  // Idempotent: a second run plans nothing.
  const again = planAddService({ entryId: 'postgres', name: 'db', project: 'mine', dependsOn: [] }, existingFrom(after));
  assert.ok(isEmptyPlan(again), JSON.stringify(again.edits.map((e) => [e.path, e.edits])));
});

test('Add Service wires depends_on: service_healthy when the dependency has a healthcheck, service_started (with a note) when not', () => {
  const before = new Map([['docker-compose.yml', userCompose]]);
  const plan = planAddService({ entryId: 'fastapi', name: 'api', project: 'mine', dependsOn: ['web', 'legacy'] }, existingFrom(before));
  const base = applyPlanToFiles(plan, before).get('docker-compose.yml')!;
  assert.match(base, /depends_on:\n {12}web:\n {16}condition: service_healthy\n {12}legacy:\n {16}condition: service_started/);
  assert.equal(plan.notes.length, 1);
  const bad = planAddService({ entryId: 'fastapi', name: 'api', project: 'mine', dependsOn: ['nope'] }, existingFrom(before));
  assert.equal(bad.errors.length, 1);
  assert.equal(bad.creates.length + bad.edits.length, 0);
});

test('Add Service connects a built app to the databases it depends on and avoids taken host ports', () => {
  const files = generate({ name: 'shop', lang: 'en', preset: 'web-app' });
  const plan = planAddService({ entryId: 'fastapi', name: 'worker', project: 'shop', dependsOn: ['postgres'] }, existingFrom(files));
  const after = applyPlanToFiles(plan, files);
  assert.match(after.get('docker-compose.yml')!, /DATABASE_URL=postgresql:\/\/\$\{POSTGRES_USER\}/);
  assert.match(after.get('docker-compose.override.yml')!, /127\.0\.0\.1:8001:8000/, 'api has 8000, so worker gets 8001');
  assert.ok(after.has('build/worker/Dockerfile') && after.has('data/worker/main.py'));
});

test('Add Service without a compose file, or with a bad name, plans nothing and says why', () => {
  assert.equal(planAddService({ entryId: 'redis', name: 'redis', project: 'p' }, EMPTY).errors.length, 1);
  const plan = planAddService({ entryId: 'redis', name: '../evil', project: 'p' }, existingFrom(new Map([['docker-compose.yml', userCompose]])));
  assert.ok(plan.errors.length > 0);
  assert.equal(plan.creates.length, 0);
});

test('insertServices refuses flow-style services and unparseable files instead of rewriting them', () => {
  const lines = () => ['  x:', '    image: busybox:1.36'];
  assert.equal(insertServices('services: {a: {image: b}}\n', [{ name: 'x', lines }]).ok, false);
  assert.equal(insertServices('services:\n  a: [\n', [{ name: 'x', lines }]).ok, false);
  const empty = insertServices('services: {}\n', [{ name: 'x', lines }]);
  assert.ok(empty.ok);
  assert.equal(applyEdits('services: {}\n', empty.ok ? empty.edits : []), 'services:\n  x:\n    image: busybox:1.36\n');
  const crlf = 'services:\r\n  a:\r\n    image: b:1\r\n';
  const result = insertServices(crlf, [{ name: 'x', lines }]);
  assert.ok(result.ok);
  assert.equal(applyEdits(crlf, result.ok ? result.edits : []), 'services:\r\n  a:\r\n    image: b:1\r\n  x:\r\n    image: busybox:1.36\r\n');
  const noNewline = insertServices('services:\n  a:\n    image: b:1', [{ name: 'x', lines }]);
  assert.equal(applyEdits('services:\n  a:\n    image: b:1', noNewline.ok ? noNewline.edits : []), 'services:\n  a:\n    image: b:1\n  x:\n    image: busybox:1.36\n');
});

test('Add Service writes its comments in the project language unless told otherwise', () => {
  const files = generate({ name: 'es-app', lang: 'es', preset: 'empty' });
  const spanish = applyPlanToFiles(planAddService({ entryId: 'postgres', name: 'postgres', project: 'es-app' }, existingFrom(files)), files);
  assert.match(spanish.get('docker-compose.yml')!, /# PostgreSQL: Base de datos relacional/);
  const english = applyPlanToFiles(planAddService({ entryId: 'postgres', name: 'postgres', project: 'es-app', lang: 'en' }, existingFrom(files)), files);
  assert.match(english.get('docker-compose.yml')!, /# PostgreSQL: Relational database/);
});
