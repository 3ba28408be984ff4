/** An image reference split the way Docker reads it: `[registry/]repository[:tag][@digest]`. */
export interface ImageReference {
  /** Registry and path, without tag or digest (`docker.io/library/` is not added). */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Splits an image reference. A `:` after the last `/` starts the tag (a `:` before it is a registry port). */
export function parseImageReference(reference: string): ImageReference {
  let rest = reference.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  const repository = colon >= 0 ? rest.slice(0, colon) : rest;
  const tag = colon >= 0 ? rest.slice(colon + 1) : undefined;
  return { repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** The repository's short name: `docker.io/library/python` and `python` both give `python`. */
export function shortRepository(repository: string): string {
  return repository.toLowerCase().replace(/^(docker\.io\/|index\.docker\.io\/|registry-1\.docker\.io\/)/, '').replace(/^library\//, '');
}

export type ToolAvailability = 'present' | 'absent' | 'unknown';

export interface BaseImageFacts {
  readonly curl: ToolAvailability;
  readonly wget: ToolAvailability;
  /** Runs as a non-root user unless told otherwise. */
  readonly nonRootByDefault: boolean;
  /** How to add a user in this image, for messages: `useradd`, `adduser` (BusyBox), or none (no shell). */
  readonly addUser: 'useradd' | 'adduser' | 'none' | 'unknown';
  /** Ports the image itself EXPOSEs. */
  readonly exposes: readonly number[];
  /** The package manager to suggest, if known. */
  readonly packageManager?: 'apt-get' | 'apk' | 'dnf' | 'microdnf';
}

const unknownFacts: BaseImageFacts = { curl: 'unknown', wget: 'unknown', nonRootByDefault: false, addUser: 'unknown', exposes: [] };

/** Official images built on buildpack-deps (full Debian variants): they ship curl and wget. */
const BUILDPACK_BASED = new Set(['python', 'node', 'golang', 'ruby', 'openjdk', 'rust', 'buildpack-deps', 'gcc', 'perl', 'php']);
/** Images that EXPOSE their service's port themselves. */
const IMAGE_PORTS: Readonly<Record<string, readonly number[]>> = {
  nginx: [80],
  httpd: [80],
  redis: [6379],
  postgres: [5432],
  mongo: [27017],
  mysql: [3306, 33060],
  mariadb: [3306],
  rabbitmq: [4369, 5671, 5672, 15691, 15692, 25672],
  'docker.elastic.co/elasticsearch/elasticsearch': [9200, 9300],
  'docker.elastic.co/kibana/kibana': [5601],
  'docker.elastic.co/logstash/logstash': [5044, 9600],
  elasticsearch: [9200, 9300],
  kibana: [5601],
  memcached: [11211],
  traefik: [80],
  'ollama/ollama': [11434],
};

/**
 * What is known about a base image without pulling it: whether curl and wget are installed, whether it runs
 * as non-root, how to add a user, which ports it exposes. Only images whose contents are stable and well known
 * are described; everything else is `unknown`, and rules then stay silent.
 */
export function baseImageFacts(reference: string): BaseImageFacts {
  const { repository, tag = 'latest' } = parseImageReference(reference);
  const name = shortRepository(repository);
  const lowerTag = tag.toLowerCase();
  const exposes = IMAGE_PORTS[name] ?? [];
  if (name === 'scratch') return { curl: 'absent', wget: 'absent', nonRootByDefault: false, addUser: 'none', exposes: [] };
  if (name === 'curlimages/curl') return { curl: 'present', wget: 'present', nonRootByDefault: true, addUser: 'adduser', exposes: [], packageManager: 'apk' };
  if (name.startsWith('gcr.io/distroless/')) {
    return { curl: 'absent', wget: 'absent', nonRootByDefault: lowerTag.includes('nonroot'), addUser: 'none', exposes: [] };
  }
  if (name.startsWith('cgr.dev/chainguard/')) return { ...unknownFacts, nonRootByDefault: !lowerTag.includes('dev'), addUser: 'none' };
  if (name.startsWith('bitnami/')) return { ...unknownFacts, nonRootByDefault: true, exposes };
  if (name === 'nginxinc/nginx-unprivileged') return { ...unknownFacts, nonRootByDefault: true, exposes: [8080] };
  if (name === 'alpine' || name === 'busybox' || lowerTag.includes('alpine')) {
    // BusyBox provides wget in every Alpine image; curl is absent from the plain ones, and other images may add it.
    const curl = name === 'alpine' || name === 'busybox' || BUILDPACK_BASED.has(name) ? 'absent' : 'unknown';
    const facts: BaseImageFacts = { curl, wget: 'present', nonRootByDefault: false, addUser: 'adduser', exposes };
    return name === 'busybox' ? facts : { ...facts, packageManager: 'apk' };
  }
  const isSlim = lowerTag.includes('slim');
  if (BUILDPACK_BASED.has(name) && !isSlim && !/(windows|nanoserver|servercore)/.test(lowerTag)) {
    return { curl: 'present', wget: 'present', nonRootByDefault: false, addUser: 'useradd', exposes, packageManager: 'apt-get' };
  }
  if ((BUILDPACK_BASED.has(name) && isSlim) || name === 'debian' || name === 'ubuntu') {
    return { curl: 'absent', wget: 'absent', nonRootByDefault: false, addUser: 'useradd', exposes, packageManager: 'apt-get' };
  }
  return { ...unknownFacts, exposes };
}
