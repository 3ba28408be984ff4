import type { CatalogueEntry, Dependency, Lang, ServiceSpec } from '../types';
import { flow, yamlLines, type YamlOut } from '../yamlText';
import { l } from './common';

/** Pinned image of the seed's monitor services (the seed's `curlimages/curl:latest`, pinned). */
export const MONITOR_IMAGE = 'curlimages/curl:8.10.1';
export const MONITOR_PROFILE = 'monitoring';

/** A service of the project with everything rendered, ready to be written into the three compose files. */
export interface RenderedService {
  readonly name: string;
  readonly entry: CatalogueEntry;
  readonly spec: ServiceSpec;
  readonly dependsOn: readonly Dependency[];
  readonly hostPort: number;
  /** Environment from the services it depends on (`DATABASE_URL`...). */
  readonly connectionEnv: readonly (readonly [string, string])[];
}

const LOGGING = { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } } as const;

function envList(pairs: readonly (readonly [string, string])[]): string[] {
  return pairs.map(([key, value]) => `${key}=${value}`);
}

function dependsOnMap(deps: readonly Dependency[]): YamlOut | undefined {
  if (deps.length === 0) return undefined;
  const map: Record<string, YamlOut> = {};
  for (const dep of deps) map[dep.name] = { condition: dep.healthy ? 'service_healthy' : 'service_started' };
  return map;
}

/** The service's mapping in docker-compose.yml: the seed's service pattern. */
export function baseServiceValue(service: RenderedService, network: string): Record<string, YamlOut | undefined> {
  const { spec, name } = service;
  const built = service.entry.kind === 'built';
  const environment = [...envList(built ? [['SERVICE_NAME', name], ['ENVIRONMENT', 'production']] : []), ...envList(spec.environment), ...envList(service.connectionEnv)];
  return {
    ...(spec.build ? { build: { context: spec.build.context, dockerfile: spec.build.dockerfile } } : {}),
    image: spec.image,
    pull_policy: spec.pullPolicy,
    command: spec.command ? flow(spec.command) : undefined,
    environment: environment.length > 0 ? environment : undefined,
    volumes: spec.volumes.length > 0 ? [...spec.volumes] : undefined,
    ports: spec.publish === 'edge' ? [`${service.hostPort}:${spec.containerPort}`] : undefined,
    networks: [network],
    depends_on: dependsOnMap(service.dependsOn),
    healthcheck: {
      test: flow(spec.healthcheck.test),
      interval: spec.healthcheck.interval,
      timeout: spec.healthcheck.timeout,
      retries: spec.healthcheck.retries,
      start_period: spec.healthcheck.startPeriod,
    },
    restart: 'unless-stopped',
    logging: LOGGING,
    deploy: { resources: resourcesValue(spec.resources) },
  };
}

function resourcesValue(resources: ServiceSpec['resources']): YamlOut {
  return {
    limits: { memory: resources.limits.memory, cpus: resources.limits.cpus },
    reservations: { memory: resources.reservations.memory, cpus: resources.reservations.cpus },
  };
}

/** The service's development additions (docker-compose.override.yml), or undefined when it has none. */
export function overrideServiceValue(service: RenderedService): Record<string, YamlOut | undefined> {
  const { spec } = service;
  const dev = spec.dev ?? {};
  const built = service.entry.kind === 'built';
  const environment = [...envList(built ? [['ENVIRONMENT', 'development']] : []), ...envList(dev.environment ?? [])];
  const ports = dev.ports ?? (spec.publish === 'dev' ? [`127.0.0.1:${service.hostPort}:${spec.containerPort}`] : []);
  return {
    command: dev.command ? flow(dev.command) : undefined,
    environment: environment.length > 0 ? environment : undefined,
    volumes: dev.volumes && dev.volumes.length > 0 ? [...dev.volumes] : undefined,
    ports: ports.length > 0 ? [...ports] : undefined,
  };
}

/** The service's production settings (docker-compose.prod.yml): replicas, limits, restart policy. */
export function prodServiceValue(service: RenderedService): Record<string, YamlOut | undefined> {
  const { spec } = service;
  const replicas = spec.prod?.replicas;
  return {
    environment: service.entry.kind === 'built' ? ['ENVIRONMENT=production'] : undefined,
    deploy: {
      replicas: replicas ?? 1,
      resources: resourcesValue(spec.prod?.resources ?? spec.resources),
      restart_policy: { condition: 'on-failure', delay: '5s', max_attempts: 3 },
    },
  };
}

export function monitorName(service: string): string {
  return `${service}-monitor`;
}

/** The seed's monitor service, fixed: pinned image, a healthcheck, `service_healthy`, limits, and a profile. */
export function monitorServiceValue(service: RenderedService, network: string): Record<string, YamlOut | undefined> {
  const { spec, name } = service;
  const base = `http://${name}:${spec.containerPort}`;
  return {
    image: MONITOR_IMAGE,
    profiles: [MONITOR_PROFILE],
    command: flow(['sh', '/monitor.sh']),
    environment: [`HEALTH_URL=${base}${spec.healthPath ?? '/health'}`, ...(spec.metricsPath ? [`METRICS_URL=${base}${spec.metricsPath}`] : []), 'INTERVAL=30'],
    volumes: [`./data/monitoring/monitor_${name}.sh:/monitor.sh:ro`, './data/logs:/var/log'],
    networks: [network],
    depends_on: { [name]: { condition: 'service_healthy' } },
    healthcheck: { test: flow(['CMD', 'test', '-f', '/tmp/monitor-heartbeat']), interval: '30s', timeout: '5s', retries: 3, start_period: '60s' },
    restart: 'unless-stopped',
    logging: LOGGING,
    deploy: { resources: resourcesValue({ limits: { memory: '64M', cpus: '0.1' }, reservations: { memory: '16M', cpus: '0.05' } }) },
  };
}

export function hasMonitorService(service: RenderedService): boolean {
  return service.spec.healthPath !== undefined;
}

/** Lines of one service entry under `services:`, at the given indent unit, with a comment line above. */
export function serviceBlock(name: string, value: Record<string, YamlOut | undefined>, unit: number, comment?: string): string[] {
  const lines = yamlLines({ [name]: value }, unit, unit);
  if (lines.length === 1) return [];
  return comment ? ['', `${' '.repeat(unit)}# ${comment}`, ...lines] : lines;
}

export const composeComments = {
  base: l('Base configuration, shared by every environment.', 'Configuración base, común a todos los entornos.'),
  baseUse: l('Development: docker compose up -d (adds docker-compose.override.yml).', 'Desarrollo: docker compose up -d (añade docker-compose.override.yml).'),
  prodUse: l(
    'Production: docker compose -f docker-compose.yml -f docker-compose.prod.yml up -d',
    'Producción: docker compose -f docker-compose.yml -f docker-compose.prod.yml up -d',
  ),
  override: l('Development settings: code mounts, debug ports, published ports on 127.0.0.1.', 'Configuración de desarrollo: código montado, puertos de depuración, puertos publicados en 127.0.0.1.'),
  overrideUse: l('Compose reads this file automatically with docker-compose.yml.', 'Compose lee este archivo automáticamente junto con docker-compose.yml.'),
  prod: l('Production settings: replicas, resource limits and restart policy.', 'Configuración de producción: réplicas, límites de recursos y política de reinicio.'),
  network: l('Project network: services reach each other by name.', 'Red del proyecto: los servicios se comunican por su nombre.'),
  monitor: l('Monitor of {0} (start it with: docker compose --profile monitoring up -d)', 'Monitor de {0} (arráncalo con: docker compose --profile monitoring up -d)'),
  emptyOverride: l(
    'Compose v1 needs a second key here to read this file as the current format.',
    'Compose v1 necesita aquí una segunda clave para leer este archivo con el formato actual.',
  ),
  generated: l('Generated by Compose Blueprint.', 'Generado por Compose Blueprint.'),
};

export function header(lang: Lang, project: string, lines: readonly { en: string; es: string }[]): string[] {
  return [`# ${project}: ${lines[0]![lang]}`, ...lines.slice(1).map((line) => `# ${line[lang]}`), `# ${composeComments.generated[lang]}`, ''];
}
