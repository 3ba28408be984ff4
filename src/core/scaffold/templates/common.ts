import type { Dependency, Healthcheck, Lang, Localized, Resources, ServiceContext } from '../types';

/** Shorthand for a text in both languages. */
export function l(en: string, es: string): Localized {
  return { en, es };
}

/** The seed's healthcheck timings, with a test fitted to the image. */
export function healthcheck(test: readonly string[], timing: Partial<Omit<Healthcheck, 'test'>> = {}): Healthcheck {
  return { test, interval: '30s', timeout: '10s', retries: 5, startPeriod: '60s', ...timing };
}

/**
 * An HTTP probe with a tool the image really has: `curl` (Elastic images), busybox `wget` (Alpine images),
 * or Python's standard library (slim Python images have neither).
 */
export function httpProbe(tool: 'curl' | 'wget' | 'python', port: number, path: string): readonly string[] {
  const url = `http://127.0.0.1:${port}${path}`;
  switch (tool) {
    case 'curl':
      return ['CMD', 'curl', '-fsS', '-o', '/dev/null', url];
    case 'wget':
      return ['CMD', 'wget', '-q', '--spider', url];
    case 'python':
      return ['CMD', 'python', '-c', `import urllib.request; urllib.request.urlopen('${url}', timeout=5)`];
  }
}

export function resources(limitMemory: string, limitCpus: string, reserveMemory: string, reserveCpus: string): Resources {
  return { limits: { memory: limitMemory, cpus: limitCpus }, reservations: { memory: reserveMemory, cpus: reserveCpus } };
}

/** The dependency made by a catalogue entry, if any, among the service's dependencies. */
export function dependencyOn(ctx: ServiceContext, entryId: string): Dependency | undefined {
  return ctx.dependsOn.find((dep) => dep.entryId === entryId);
}

/** The seed's standard Dockerfile: pinned base, labels, ENV, WORKDIR, dependencies before code, EXPOSE, JSON CMD. */
export interface DockerfileSpec {
  readonly base: string;
  readonly description: string;
  readonly service: string;
  readonly env?: readonly (readonly [string, string])[];
  readonly workdir: string;
  /** Files copied before the code, and the command that installs them. */
  readonly dependencies?: { readonly files: readonly string[]; readonly run: string; readonly dest?: string };
  /** Copies the build context (the code) after the dependencies. */
  readonly copyCode?: boolean;
  /** Where the code comes from when it is not copied: a comment in the Dockerfile. */
  readonly codeMount?: Localized;
  /** Extra instructions after the code (init scripts...), with the comment that explains them. */
  readonly extra?: readonly string[];
  readonly extraComment?: Localized;
  /** Creates and switches to a non-root user: the RUN that creates it (if the base lacks one) and its name. */
  readonly user?: { readonly create?: string; readonly name: string };
  /** Why the image keeps root, written as a comment when there is no `user`. */
  readonly rootReason?: Localized;
  readonly expose: number | readonly number[];
  readonly cmd?: readonly string[];
  readonly entrypoint?: readonly string[];
}

const dockerfileComments = {
  base: l('Base image, pinned', 'Imagen base, con versión fija'),
  labels: l('Metadata', 'Metadatos'),
  env: l('Environment', 'Variables de entorno'),
  workdir: l('Working directory', 'Directorio de trabajo'),
  deps: l('Dependencies first: changing the code does not reinstall them', 'Dependencias primero: cambiar el código no las reinstala'),
  code: l('Code', 'Código'),
  user: l('Run as a non-root user', 'Ejecutar con un usuario sin privilegios'),
  expose: l('Port', 'Puerto'),
  cmd: l('Start command', 'Comando de inicio'),
};

function json(items: readonly string[]): string {
  return `[${items.map((item) => JSON.stringify(item)).join(', ')}]`;
}

export function dockerfile(spec: DockerfileSpec, lang: Lang): string {
  const c = (text: Localized) => `# ${text[lang]}`;
  const lines: string[] = [c(dockerfileComments.base), `FROM ${spec.base}`, ''];
  lines.push(c(dockerfileComments.labels), 'LABEL maintainer="team@example.com"', 'LABEL version="1.0.0"', `LABEL description=${JSON.stringify(spec.description)}`, '');
  const env: (readonly [string, string])[] = [['SERVICE_NAME', spec.service], ['SERVICE_VERSION', '1.0.0'], ...(spec.env ?? [])];
  lines.push(c(dockerfileComments.env), `ENV ${env.map(([k, v]) => `${k}=${/^[A-Za-z0-9_./:-]*$/.test(v) ? v : JSON.stringify(v)}`).join(' \\\n    ')}`, '');
  lines.push(c(dockerfileComments.workdir), `WORKDIR ${spec.workdir}`, '');
  if (spec.user?.create) lines.push(c(dockerfileComments.user), `RUN ${spec.user.create}`, '');
  if (spec.dependencies) {
    lines.push(c(dockerfileComments.deps), `COPY ${spec.dependencies.files.join(' ')} ${spec.dependencies.dest ?? './'}`, `RUN ${spec.dependencies.run}`, '');
  }
  if (spec.copyCode) lines.push(c(dockerfileComments.code), 'COPY . .', '');
  if (spec.codeMount) lines.push(`# ${spec.codeMount[lang]}`, '');
  if (spec.extra && spec.extra.length > 0) lines.push(...(spec.extraComment ? [`# ${spec.extraComment[lang]}`] : []), ...spec.extra, '');
  if (spec.user) lines.push(...(spec.user.create ? [] : [c(dockerfileComments.user)]), `USER ${spec.user.name}`, '');
  else if (spec.rootReason) lines.push(`# ${spec.rootReason[lang]}`, '');
  lines.push(c(dockerfileComments.expose), `EXPOSE ${[spec.expose].flat().join(' ')}`, '');
  if (spec.entrypoint) lines.push(`ENTRYPOINT ${json(spec.entrypoint)}`);
  if (spec.cmd) lines.push(c(dockerfileComments.cmd), `CMD ${json(spec.cmd)}`);
  return lines.join('\n').replace(/\n+$/, '') + '\n';
}

/** A `.dockerignore` for a build context: never send secrets, data, logs or VCS folders to the daemon. */
export function dockerignore(lang: Lang, extra: readonly string[] = []): string {
  const header = lang === 'es' ? '# Archivos que no se envían al daemon al construir la imagen' : '# Files not sent to the daemon when the image is built';
  return [header, '.env', '.env.*', '.git', '**/*.log', 'logs/', 'tests/', ...extra].join('\n') + '\n';
}

/** `curl`/`wget` URL of another service on the project network. */
export function serviceUrl(dep: Dependency, path = ''): string {
  return `http://${dep.name}:${dep.containerPort ?? 80}${path}`;
}

/** The comment a Dockerfile carries when the service's code is mounted from data/<service> rather than copied. */
export function codeMountComment(service: string): Localized {
  return l(
    `Code: mounted from ./data/${service} at /app by docker-compose.yml (the build context ./build/${service} holds only the Dockerfile and dependencies).`,
    `Código: docker-compose.yml monta ./data/${service} en /app (el contexto de construcción ./build/${service} solo tiene el Dockerfile y las dependencias).`,
  );
}
