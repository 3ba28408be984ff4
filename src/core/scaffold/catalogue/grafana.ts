import { dependencyOn, healthcheck, httpProbe, l, resources } from '../templates/common';
import type { CatalogueEntry } from '../types';

export const grafana: CatalogueEntry = {
  id: 'grafana',
  title: l('Grafana', 'Grafana'),
  description: l('Dashboards; provisioned with Prometheus when it is in the project (11.2.2)', 'Paneles; con Prometheus ya configurado si está en el proyecto (11.2.2)'),
  kind: 'image',
  imageRepo: 'grafana/grafana',
  defaultPort: 3000,
  containerPort: 3000,
  suggestedDependsOn: ['prometheus'],
  render(ctx) {
    const p = ctx.envPrefix;
    const prom = dependencyOn(ctx, 'prometheus');
    const files = prom
      ? [
          {
            path: `data/${ctx.name}/config/provisioning/datasources/prometheus.yml`,
            content: `apiVersion: 1\ndatasources:\n  - name: Prometheus\n    type: prometheus\n    access: proxy\n    url: http://${prom.name}:9090\n    isDefault: true\n`,
          },
        ]
      : [{ path: `data/${ctx.name}/config/provisioning/datasources/.gitkeep`, content: '' }];
    return {
      image: 'grafana/grafana:11.2.2',
      environment: [
        ['GF_SECURITY_ADMIN_USER', `\${${p}_ADMIN_USER}`],
        ['GF_SECURITY_ADMIN_PASSWORD', `\${${p}_ADMIN_PASSWORD}`],
        ['GF_USERS_ALLOW_SIGN_UP', 'false'],
      ],
      variables: [
        { name: `${p}_ADMIN_USER`, example: 'admin' },
        { name: `${p}_ADMIN_PASSWORD`, example: 'change-me', secret: true },
      ],
      volumes: [`./data/${ctx.name}/config/provisioning:/etc/grafana/provisioning:ro`, `./bd/${ctx.name}-data:/var/lib/grafana`],
      containerPort: 3000,
      publish: 'edge',
      healthcheck: healthcheck(httpProbe('wget', 3000, '/api/health'), { startPeriod: '30s' }),
      resources: resources('512M', '0.5', '128M', '0.1'),
      stateful: true,
      healthPath: '/api/health',
      files,
    };
  },
};
