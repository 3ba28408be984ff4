import type { Lang } from '../types';

/** Shell preamble shared by the project scripts: strict mode, project root, `compose` for v2 or v1. */
function preamble(lang: Lang, purpose: string): string {
  const es = lang === 'es';
  return `#!/usr/bin/env bash
# ${purpose}
set -euo pipefail

# ${es ? 'Se ejecuta desde la raíz del proyecto, esté donde esté quien lo llama' : 'Runs from the project root, wherever it is called from'}
cd "$(dirname "$0")/../.."

# ${es ? 'Docker Compose v2 (docker compose) o v1 (docker-compose)' : 'Docker Compose v2 (docker compose) or v1 (docker-compose)'}
compose() {
  if docker compose version >/dev/null 2>&1; then
    docker compose "$@"
  else
    docker-compose "$@"
  fi
}
`;
}

export function devSetupScript(lang: Lang): string {
  const es = lang === 'es';
  return `${preamble(lang, es ? 'Prepara y levanta el entorno de desarrollo (docker-compose.yml + docker-compose.override.yml).' : 'Prepares and starts the development environment (docker-compose.yml + docker-compose.override.yml).')}
if [ ! -f .env ]; then
  cp .env.example .env
  echo "${es ? 'Creado .env desde .env.example: cambia los valores marcados change-me' : 'Created .env from .env.example: replace the values marked change-me'}"
fi

compose build
compose up -d
compose ps
echo "${es ? 'Entorno de desarrollo listo' : 'Development environment ready'}"
`;
}

export function prodDeployScript(lang: Lang): string {
  const es = lang === 'es';
  return `${preamble(lang, es ? 'Despliega con la configuración de producción (docker-compose.yml + docker-compose.prod.yml).' : 'Deploys with the production configuration (docker-compose.yml + docker-compose.prod.yml).')}
if [ ! -f .env ]; then
  echo "ERROR: ${es ? 'falta .env (cópialo de .env.example y pon valores reales)' : '.env is missing (copy .env.example and set real values)'}" >&2
  exit 1
fi
if grep -q 'change-me' .env; then
  echo "ERROR: ${es ? '.env todavía tiene valores change-me' : '.env still has change-me values'}" >&2
  exit 1
fi

compose -f docker-compose.yml -f docker-compose.prod.yml build
compose -f docker-compose.yml -f docker-compose.prod.yml up -d
compose -f docker-compose.yml -f docker-compose.prod.yml ps
echo "${es ? 'Despliegue de producción completado' : 'Production deployment complete'}"
`;
}

export function testScript(lang: Lang): string {
  const es = lang === 'es';
  return `${preamble(lang, es ? 'Comprueba que la configuración es válida y que cada servicio en marcha está sano.' : 'Checks that the configuration is valid and that every running service is healthy.')}
compose config --quiet
compose -f docker-compose.yml -f docker-compose.prod.yml config --quiet
echo "${es ? 'Configuración válida (desarrollo y producción)' : 'Configuration valid (development and production)'}"

failed=0
for id in $(compose ps -q); do
  name=$(docker inspect --format '{{.Name}}' "$id")
  health=$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$id")
  echo "$name: $health"
  if [ "$health" != "healthy" ]; then
    failed=1
  fi
done
exit "$failed"
`;
}

export function cleanupScript(lang: Lang): string {
  const es = lang === 'es';
  return `${preamble(lang, es ? 'Para los servicios y borra contenedores y redes. Los datos de bd/ se conservan salvo con --data.' : 'Stops the services and removes containers and networks. Data under bd/ is kept unless --data is given.')}
compose down --remove-orphans
if [ "\${1:-}" = "--data" ]; then
  read -r -p "${es ? '¿Borrar los datos de bd/? Escribe yes para confirmar: ' : 'Delete the data under bd/? Type yes to confirm: '}" answer
  if [ "$answer" = "yes" ]; then
    find bd -mindepth 2 ! -name .gitkeep -delete
    echo "${es ? 'Datos borrados' : 'Data deleted'}"
  fi
fi
`;
}

export function diagnosticScript(lang: Lang): string {
  const es = lang === 'es';
  return `${preamble(lang, es ? 'Reúne información para diagnosticar problemas: versiones, estado, salud, recursos y últimos logs.' : 'Collects what is needed to diagnose a problem: versions, state, health, resources and recent logs.')}
echo "== ${es ? 'Versiones' : 'Versions'} =="
docker version --format '{{.Server.Version}}' || true
compose version || true

echo "== ${es ? 'Servicios' : 'Services'} =="
compose ps

echo "== ${es ? 'Salud' : 'Health'} =="
for id in $(compose ps -q); do
  docker inspect --format '{{.Name}} {{if .State.Health}}{{.State.Health.Status}}{{else}}no healthcheck{{end}}' "$id"
done

echo "== ${es ? 'Recursos' : 'Resources'} =="
ids=$(compose ps -q)
if [ -n "$ids" ]; then
  # shellcheck disable=SC2086
  docker stats --no-stream $ids
fi

echo "== ${es ? 'Últimos logs' : 'Recent logs'} =="
compose logs --tail=50
`;
}

/**
 * A service's monitor (POSIX sh: it runs in the curl image of its monitor container, and from the host).
 * HTTP services are polled on their health and metrics URLs; others by the health Docker reports.
 */
export function monitorScript(lang: Lang, service: string, http: { healthUrl: string; metricsUrl?: string } | undefined): string {
  const es = lang === 'es';
  const head = `#!/bin/sh
# monitor_${service}.sh: ${es ? 'vigila la salud de' : 'watches the health of'} ${service}.
# ${es ? 'Una pasada con --once; si no, repite cada INTERVAL segundos.' : 'One pass with --once; otherwise repeats every INTERVAL seconds.'}
set -u

SERVICE_NAME="${service}"
INTERVAL="\${INTERVAL:-30}"
LOG_FILE="\${LOG_FILE:-/var/log/monitor.log}"
HEARTBEAT="\${HEARTBEAT:-/tmp/monitor-heartbeat}"

log() {
  line="$(date '+%Y-%m-%d %H:%M:%S'): $1"
  echo "$line"
  echo "$line" >>"$LOG_FILE" 2>/dev/null || true
}
`;
  const check = http
    ? `
HEALTH_URL="\${HEALTH_URL:-${http.healthUrl}}"
METRICS_URL="\${METRICS_URL:-${http.metricsUrl ?? ''}}"

check() {
  if curl -fsS -o /dev/null --max-time 10 "$HEALTH_URL"; then
    log "$SERVICE_NAME is healthy"
    if [ -n "$METRICS_URL" ]; then
      if curl -fsS -o /dev/null --max-time 10 "$METRICS_URL"; then
        log "$SERVICE_NAME metrics endpoint is accessible"
      else
        log "WARNING: $SERVICE_NAME metrics endpoint is not accessible"
      fi
    fi
    return 0
  fi
  log "ERROR: $SERVICE_NAME is not healthy"
  return 1
}
`
    : `
# ${es ? 'Sin endpoint HTTP: se lee la salud que informa Docker (se ejecuta en el host)' : 'No HTTP endpoint: read the health Docker reports (runs on the host)'}
check() {
  ids=$(docker ps -q --filter "label=com.docker.compose.service=$SERVICE_NAME")
  if [ -z "$ids" ]; then
    log "ERROR: $SERVICE_NAME is not running"
    return 1
  fi
  status=0
  for id in $ids; do
    health=$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$id")
    if [ "$health" = "healthy" ]; then
      log "$SERVICE_NAME ($id) is healthy"
    else
      log "ERROR: $SERVICE_NAME ($id) is $health"
      status=1
    fi
  done
  return "$status"
}
`;
  const loop = `
if [ "\${1:-}" = "--once" ]; then
  check
  exit $?
fi

while :; do
  if check; then
    touch "$HEARTBEAT"
  else
    rm -f "$HEARTBEAT"
  fi
  sleep "$INTERVAL"
done
`;
  return head + check + loop;
}
