import { healthcheck, httpProbe, l, resources } from '../templates/common';
import type { CatalogueEntry, ServiceContext } from '../types';

function config(ctx: ServiceContext): string {
  const targets = ctx.peers.filter((peer) => peer.metricsPath !== undefined);
  const lines = [
    ctx.lang === 'es' ? '# Configuración de Prometheus (montada en solo lectura).' : '# Prometheus configuration (mounted read-only).',
    'global:',
    '  scrape_interval: 15s',
    '',
    'scrape_configs:',
    '  - job_name: prometheus',
    '    static_configs:',
    '      - targets: ["localhost:9090"]',
  ];
  for (const peer of targets) {
    lines.push(`  - job_name: ${peer.name}`, `    metrics_path: ${peer.metricsPath}`, '    static_configs:', `      - targets: ["${peer.name}:${peer.containerPort ?? 80}"]`);
  }
  return lines.join('\n') + '\n';
}

export const prometheus: CatalogueEntry = {
  id: 'prometheus',
  title: l('Prometheus', 'Prometheus'),
  description: l('Metrics collection; scrapes every service with /metrics (v2.54.1)', 'Recogida de métricas; lee cada servicio con /metrics (v2.54.1)'),
  kind: 'image',
  imageRepo: 'prom/prometheus',
  defaultPort: 9090,
  containerPort: 9090,
  connection: (self) => [['PROMETHEUS_URL', `http://${self.name}:9090`]],
  render(ctx) {
    return {
      image: 'prom/prometheus:v2.54.1',
      environment: [],
      variables: [],
      volumes: [`./data/${ctx.name}/config/prometheus.yml:/etc/prometheus/prometheus.yml:ro`, `./bd/${ctx.name}-data:/prometheus`],
      containerPort: 9090,
      publish: 'edge',
      healthcheck: healthcheck(httpProbe('wget', 9090, '/-/healthy'), { startPeriod: '20s' }),
      resources: resources('1G', '0.5', '256M', '0.25'),
      stateful: true,
      healthPath: '/-/healthy',
      files: [{ path: `data/${ctx.name}/config/prometheus.yml`, content: config(ctx) }],
    };
  },
};
