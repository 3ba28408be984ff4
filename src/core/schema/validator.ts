import type { ErrorObject } from 'ajv';
import type checkType from './generated/composeCheck';
import type validateType from './generated/composeValidator';

type ComposeValidate = typeof validateType;
type ComposeCheck = typeof checkType;

let loaded: ComposeValidate | undefined;
let loadedCheck: ComposeCheck | undefined;

/**
 * The compose-spec validator, precompiled at build time (scripts/generate/compose-schema.mjs): every error,
 * verbose. Loaded on first use so starting the extension or the CLI does not pay for it when no compose
 * file is checked, and a session that only sees valid files never loads it.
 */
export function composeValidator(): ComposeValidate {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= (require('./generated/composeValidator') as { default: ComposeValidate }).default;
  return loaded;
}

/**
 * Whether data is valid against the compose schema, without building any error: the same answer as
 * `composeValidator()`, generated from the same schema with Ajv's first-error code, rewritten to allocate
 * nothing for the errors of `oneOf` branches that do not match (see scripts/generate/compose-schema.mjs).
 */
export function composeCheck(): ComposeCheck {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loadedCheck ??= (require('./generated/composeCheck') as { default: ComposeCheck }).default;
  return loadedCheck;
}

/**
 * Validates plain data against the compose schema; returns Ajv's errors in evaluation order (empty when valid).
 * Valid data (most files, most of the time) costs only the check; the full validator runs when it fails.
 */
export function validateCompose(data: unknown): readonly ErrorObject[] {
  if (composeCheck()(data)) return [];
  const validate = composeValidator();
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

/**
 * A small document that reaches the validators' large functions (a service with the keys the architecture
 * uses, top-level networks and volumes): validating it compiles them.
 */
const WARM_UP_DOCUMENT = {
  name: 'warm-up',
  services: {
    app: {
      image: 'example/app:1.0.0',
      build: { context: './build/app', dockerfile: 'Dockerfile', args: { VERSION: '1' } },
      restart: 'unless-stopped',
      environment: { LOG_LEVEL: 'info' },
      ports: ['8080:8080', { target: 80, published: '80' }],
      volumes: ['./bd/app:/var/lib/app', { type: 'bind', source: './data/app/config', target: '/etc/app', read_only: true }],
      networks: { 'app-network': null },
      depends_on: { db: { condition: 'service_healthy' } },
      healthcheck: { test: ['CMD', 'true'], interval: '30s', timeout: '10s', retries: 3 },
      deploy: { replicas: 1, resources: { limits: { cpus: '0.5', memory: '512M' }, reservations: { memory: '256M' } } },
      logging: { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } },
    },
  },
  networks: { 'app-network': { driver: 'bridge' } },
  volumes: { data: {} },
};

/**
 * Loads and runs both validators once on a small document, so their code is compiled now: for a code cache
 * written by a run that needed only one of them (see `prepareCodeCache` in src/cli.ts). True when both found
 * the document valid, which means they walked all of it (the validity check stops at a first error).
 */
export function compileSchemaValidators(): boolean {
  const checked = composeCheck()(WARM_UP_DOCUMENT);
  const validated = composeValidator()(WARM_UP_DOCUMENT);
  return checked && validated;
}
