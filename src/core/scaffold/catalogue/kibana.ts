import { dependencyOn, healthcheck, l, resources } from '../templates/common';
import type { CatalogueEntry } from '../types';

export const kibana: CatalogueEntry = {
  id: 'kibana',
  title: l('Kibana', 'Kibana'),
  description: l('Dashboards for Elasticsearch (8.15.3)', 'Paneles para Elasticsearch (8.15.3)'),
  kind: 'image',
  imageRepo: 'docker.elastic.co/kibana/kibana',
  defaultPort: 5601,
  containerPort: 5601,
  suggestedDependsOn: ['elasticsearch'],
  render(ctx) {
    const p = ctx.envPrefix;
    const es = dependencyOn(ctx, 'elasticsearch');
    return {
      image: 'docker.elastic.co/kibana/kibana:8.15.3',
      environment: [
        ['ELASTICSEARCH_HOSTS', `http://${es?.name ?? 'elasticsearch'}:9200`],
        ['ELASTICSEARCH_USERNAME', 'kibana_system'],
        ['ELASTICSEARCH_PASSWORD', `\${${p}_SYSTEM_PASSWORD}`],
      ],
      variables: [
        {
          name: `${p}_SYSTEM_PASSWORD`,
          example: 'change-me',
          secret: true,
          comment: l(
            'Password of "kibana_system"; set it once with: docker compose exec elasticsearch bin/elasticsearch-reset-password -u kibana_system -i',
            'Contraseña de "kibana_system"; fíjala una vez con: docker compose exec elasticsearch bin/elasticsearch-reset-password -u kibana_system -i',
          ),
        },
      ],
      volumes: [`./bd/${ctx.name}-data:/usr/share/kibana/data`],
      containerPort: 5601,
      publish: 'edge',
      // /api/status answers 401 without credentials once security is on: either code means Kibana is up.
      healthcheck: healthcheck(['CMD-SHELL', "curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:5601/api/status | grep -qE '^(200|401)$$'"], { startPeriod: '120s' }),
      resources: resources('1G', '1.0', '512M', '0.25'),
      stateful: true,
      files: [],
    };
  },
};
