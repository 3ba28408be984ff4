import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { PathsOnDisk, runLint } from '../../../src/cli/lint';
import { checkPrepared, prepareProject, probePaths } from '../../../src/core/validation/checkProject';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-paths-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const compose = `services:
  present:
    build: ./build/present
    image: r.example.com/present:1.0.0
  no-dockerfile:
    build:
      context: ./build/no-dockerfile
      dockerfile: Dockerfile.prod
    image: r.example.com/no-dockerfile:1.0.0
  absent:
    build: ./build/absent
    image: r.example.com/absent:1.0.0
  inline:
    build:
      context: ./build/inline
      dockerfile_inline: FROM scratch
    image: r.example.com/inline:1.0.0
`;

function project(name: string): string {
  const dir = path.join(root, name);
  for (const folder of ['build/present', 'build/no-dockerfile', 'build/inline']) fs.mkdirSync(path.join(dir, folder), { recursive: true });
  fs.writeFileSync(path.join(dir, 'build/present/Dockerfile'), 'FROM scratch\n');
  fs.writeFileSync(path.join(dir, 'build/no-dockerfile/Dockerfile'), 'FROM scratch\n');
  fs.writeFileSync(path.join(dir, 'docker-compose.yml'), compose);
  return dir;
}

test('paths on disk: answers from the disk, once per path; iterating gives the paths found so far', () => {
  const dir = project('answers');
  const paths = new PathsOnDisk(dir);
  const cases: [string, boolean][] = [
    ['build/present', true],
    ['build/present/Dockerfile', true],
    ['build/no-dockerfile/Dockerfile.prod', false],
    ['build/absent', false],
    ['docker-compose.yml', true],
  ];
  for (const [relative, expected] of cases) assert.equal(paths.has(relative), expected, relative);
  // Remembered: a path removed since is still answered as found (one lint sees one state of the disk).
  fs.rmSync(path.join(dir, 'build/present/Dockerfile'));
  assert.equal(paths.has('build/present/Dockerfile'), true);
  assert.deepEqual([...paths].sort(), ['build/present', 'build/present/Dockerfile', 'docker-compose.yml']);
  assert.equal(paths.size, 3);
  assert.deepEqual([...paths.keys()].sort(), [...paths.values()].sort());
});

test('paths on disk: build-missing finds what the listed probe (the editor\'s way) finds', () => {
  const dir = project('same');
  const text = fs.readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8');
  const prepared = prepareProject({ files: [{ path: path.join(dir, 'docker-compose.yml'), text }] });
  const listed = new Set(probePaths(prepared).filter((relative) => fs.existsSync(path.join(dir, relative))));
  const summary = (existingPaths: ReadonlySet<string>) =>
    [...(checkPrepared(prepared, { existingPaths }).files.values())].flat().filter((f) => f.rule === 'build-missing').map((f) => `${f.span.start}-${f.span.end} ${f.message.template} ${f.message.args.join(',')}`);
  const lazy = summary(new PathsOnDisk(dir));
  assert.deepEqual(lazy, summary(listed));
  assert.equal(lazy.length, 2, lazy.join('\n'));
  let out = '';
  assert.equal(runLint(['--format', 'json', '--rule', 'image-unpinned=off'], { cwd: dir, out: (t) => (out += t), err: () => undefined }), 1);
  const reported = (JSON.parse(out) as { rule: string; message: string }[]).filter((f) => f.rule === 'build-missing').map((f) => f.message);
  assert.deepEqual(reported, ['The Dockerfile "build/no-dockerfile/Dockerfile.prod" of "no-dockerfile" does not exist.', 'The build context "./build/absent" of "absent" does not exist.']);
});
