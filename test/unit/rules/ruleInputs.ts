import fs from 'node:fs';
import path from 'node:path';
import { generateArchitectureCompose } from '../../../bench/checkGenerator';
import { isComposeFileName } from '../../../src/core/compose/files';
import type { ProjectInput } from '../../../src/core/validation/checkProject';
import { CORPUS, yamlFiles } from '../corpusFiles';

/** A folder to check: its files, and the paths `build-missing` may find on disk (undefined: not known). */
export interface RuleInput {
  readonly name: string;
  readonly input: ProjectInput;
  readonly existingPaths?: ReadonlySet<string>;
}

const RULE_FIXTURES = ((): string => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'test/fixtures/rules');
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`no test/fixtures/rules above ${__dirname}`);
  }
})();

function listFiles(dir: string, base = ''): string[] {
  return fs.readdirSync(path.join(dir, base), { withFileTypes: true }).flatMap((entry) => {
    const relative = base ? `${base}/${entry.name}` : entry.name;
    return entry.isDirectory() ? [relative, ...listFiles(dir, relative)] : [relative];
  });
}

/** Every rule fixture case as a folder (test/fixtures/rules/<rule>/<case>/), with and without its disk. */
export function fixtureInputs(): RuleInput[] {
  const inputs: RuleInput[] = [];
  for (const rule of fs.readdirSync(RULE_FIXTURES).sort()) {
    for (const name of fs.readdirSync(path.join(RULE_FIXTURES, rule)).sort()) {
      const dir = path.join(RULE_FIXTURES, rule, name);
      const all = listFiles(dir).filter((p) => !p.startsWith('fixed'));
      const read = (p: string) => fs.readFileSync(path.join(dir, p), 'utf8');
      const files = all.filter((p) => !p.includes('/') && isComposeFileName(p)).map((p) => ({ path: p, text: read(p) }));
      const envText = all.includes('.env') ? read('.env') : undefined;
      const envExampleText = all.includes('.env.example') ? read('.env.example') : undefined;
      const input: ProjectInput = { files, ...(envText !== undefined ? { envText } : {}), ...(envExampleText !== undefined ? { envExampleText } : {}) };
      inputs.push({ name: `${rule}/${name}`, input, existingPaths: new Set(all) }, { name: `${rule}/${name} (disk unknown)`, input });
    }
  }
  return inputs;
}

/** Every corpus file alone (with a .env), in CRLF too, and each corpus folder's compose files as a family. */
export function corpusInputs(): RuleInput[] {
  const inputs: RuleInput[] = [];
  const families = new Map<string, string[]>();
  for (const file of yamlFiles(CORPUS)) {
    const text = fs.readFileSync(file, 'utf8');
    const name = path.relative(CORPUS, file);
    inputs.push({ name, input: { files: [{ path: 'docker-compose.yml', text }], envText: 'DB_PASSWORD=x\nFOO=1\n', envExampleText: 'FOO=\n' }, existingPaths: new Set(['build', 'app']) });
    inputs.push({ name: `${name} (CRLF)`, input: { files: [{ path: 'compose.yaml', text: text.replace(/\r?\n/g, '\r\n') }] } });
    if (isComposeFileName(path.basename(file))) families.set(path.dirname(file), [...(families.get(path.dirname(file)) ?? []), file]);
  }
  for (const [dir, files] of families) {
    if (files.length > 1) inputs.push({ name: `${path.relative(CORPUS, dir)} (family)`, input: { files: files.map((f) => ({ path: path.basename(f), text: fs.readFileSync(f, 'utf8') })) } });
  }
  return inputs;
}

/** Service settings that make the rules speak: inserted into generated services at random. */
const SETTINGS = [
  '    container_name: fixed-name\n    scale: 3',
  '    scale: 3',
  '    ports:\n      - "127.0.0.1:9000-9002:80/udp"\n      - "[::1]:9000:80"\n      - "10001:81"\n      - target: 80\n        published: "9000"\n        host_ip: 0.0.0.0\n        mode: host\n      - "8080"\n      - "${PORT}:80"',
  '    volumes:\n      - type: bind\n        source: ./data/x/config\n        target: /etc/x\n      - named:/var/lib/mysql\n      - ./src:/app\n      - C:\\\\data:/data:rw,z\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n      - ./data/y/config:/etc/y:z,ro\n      - "./data/z/config:/etc/z:rw"\n      - anonymous-only',
  '    environment:\n      DB_PASSWORD: hunter2\n      API_KEY: "abc"\n      TOKEN_FILE: /run/x',
  '    environment:\n      - JWT_SECRET=zzz\n      - TOKEN_FILE=/run/x',
  '    secrets:\n      - db_pass\n      - source: other\n    configs:\n      - cfg',
  '    depends_on:\n      - service-0\n      - missing',
  '    depends_on:\n      service-0:\n        condition: service_started',
  '    depends_on:\n      service-3:\n        condition: service_healthy\n      service-5: {}',
  '    network_mode: host',
  '    deploy:\n      replicas: 2\n    ports:\n      - target: 80\n        published: 7000\n        mode: host',
  '    links:\n      - a',
  '    mem_limit: 1g\n    privileged: true',
  '    deploy:\n      replicas: 3\n      mode: replicated\n      placement:\n        constraints: [node.role == manager]',
  '    extends:\n      service: nope',
  '    image: nginx',
  '    image: redis:latest',
  '    image: ${IMG}',
  '    restart: on-failure:3',
  '    logging:\n      driver: syslog',
  '    build: ./other',
  '    build:\n      context: ../outside\n      dockerfile: /abs/Dockerfile',
  '    healthcheck:\n      disable: true',
  '    expose:\n      - "3000"',
  '    command: echo ${UNDEF} $OTHER ${REQ:?need it} ${A:-${B}} $$lit ${BAD ${OK?x}',
  '    networks:\n      other-net: {}',
  '    user: "${UID?}"',
];

const PULLED = ['redis', 'redis:latest', 'postgres:16', 'nginx@sha256:abc', '${IMG}', '${IMG}:latest', 'registry:5000/app', ''];

/**
 * Generated architecture-style files with random keys dropped and settings added (seeded, so every run checks
 * the same files), alone, with an override and a prod file, and with the prod file first.
 */
export function generatedInputs(variants = 30): RuleInput[] {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const inputs: RuleInput[] = [];
  const override = 'services:\n  service-1:\n    environment:\n      DEBUG: "1"\n    volumes:\n      - ./src:/app\n  service-0:\n    depends_on:\n      service-2:\n        condition: service_healthy\n';
  const prod = 'services:\n  service-0:\n    deploy:\n      replicas: 2\n    volumes:\n      - ./code:/code\n    ports:\n      - "10001:81"\n  service-3:\n    restart: always\nnetworks:\n  app-network:\n    driver: bridge\n';
  const existingPaths = new Set(['build/service-0', 'build/service-0/Dockerfile', 'build/service-1']);
  for (let variant = 0; variant < variants; variant++) {
    const lines: string[] = [];
    // A setting goes at the end of its service, where it replaces a key the generator wrote (a later key wins).
    let setting: string | undefined;
    for (const line of generateArchitectureCompose(20 + variant, { logging: variant % 2 ? 'inline' : 'anchor' }).split('\n')) {
      const r = random();
      if (r < 0.08 && line.startsWith('    ') && !line.startsWith('     ')) continue; // drop a key of a service
      const endsService = /^ {2}service-\d+:$/.test(line) || line === '' || line === 'networks:';
      if (endsService && setting !== undefined) {
        lines.push(setting);
        setting = undefined;
      }
      // A pulled image (no build) before some services, so the rules about pulled images meet one.
      if (/^ {2}service-\d+:$/.test(line) && r > 0.9 && r <= 0.93) lines.push(`  pulled-${lines.length}:`, `    image: ${PULLED[Math.floor(random() * PULLED.length)]!}`);
      lines.push(line);
      if (/^ {2}service-\d+:$/.test(line) && r > 0.93) setting = SETTINGS[Math.floor(random() * SETTINGS.length)]!;
    }
    if (variant % 3 === 0) lines.push('volumes:\n  named: {}\n  BadName: {}\nsecrets:\n  db_pass:\n    file: ./x\nconfigs:\n  cfg:\n    file: ./y\n');
    if (variant % 5 === 0) lines.unshift('version: "3.8"', '# blueprint-disable-next-line name-style');
    if (variant % 7 === 0) lines.push('  overlay-net:\n    driver: overlay');
    if (variant % 4 === 0) lines.push('# blueprint-disable-file port-conflict');
    const text = lines.join('\n');
    const env = variant % 2 ? { envText: 'SERVICE_1_PASSWORD=x\nIMG=a\nUNDEF=\n', envExampleText: 'IMG=\n' } : {};
    inputs.push({ name: `generated ${variant}`, input: { files: [{ path: 'docker-compose.yml', text }], ...env }, existingPaths });
    if (variant % 4 === 1) {
      const files = [
        { path: 'docker-compose.yml', text },
        { path: 'docker-compose.override.yml', text: override },
        { path: 'docker-compose.prod.yml', text: prod },
      ];
      inputs.push({ name: `generated family ${variant}`, input: { files, ...env }, existingPaths });
    }
    if (variant % 4 === 2) inputs.push({ name: `generated prod first ${variant}`, input: { files: [{ path: 'docker-compose.prod.yml', text: prod }, { path: 'docker-compose.yml', text }], ...env } });
  }
  return inputs;
}
