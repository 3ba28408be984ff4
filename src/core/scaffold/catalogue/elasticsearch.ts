import { healthcheck, l, resources } from '../templates/common';
import type { CatalogueEntry } from '../types';

export const elasticsearch: CatalogueEntry = {
  id: 'elasticsearch',
  title: l('Elasticsearch', 'Elasticsearch'),
  description: l('Search and analytics engine, single node with security on (8.15.3)', 'Motor de búsqueda y análisis, un nodo con seguridad activada (8.15.3)'),
  kind: 'image',
  imageRepo: 'docker.elastic.co/elasticsearch/elasticsearch',
  defaultPort: 9200,
  containerPort: 9200,
  connection: (self) => [['ELASTICSEARCH_URL', `http://${self.name}:9200`]],
  render(ctx) {
    const p = ctx.envPrefix;
    return {
      image: 'docker.elastic.co/elasticsearch/elasticsearch:8.15.3',
      environment: [
        ['discovery.type', 'single-node'],
        ['ES_JAVA_OPTS', `\${${p}_JAVA_OPTS}`],
        ['ELASTIC_PASSWORD', `\${${p}_PASSWORD}`],
        ['xpack.security.enabled', 'true'],
        ['xpack.security.http.ssl.enabled', 'false'],
      ],
      variables: [
        { name: `${p}_PASSWORD`, example: 'change-me', secret: true, comment: l('Password of the "elastic" user', 'Contraseña del usuario "elastic"') },
        { name: `${p}_JAVA_OPTS`, example: '-Xms512m -Xmx512m', comment: l('JVM heap: about half of the memory limit', 'Heap de la JVM: la mitad del límite de memoria, aproximadamente') },
      ],
      volumes: [`./bd/${ctx.name}-data:/usr/share/elasticsearch/data`],
      containerPort: 9200,
      publish: 'dev',
      healthcheck: healthcheck(
        ['CMD-SHELL', 'curl -fsS -o /dev/null -u "elastic:$${ELASTIC_PASSWORD}" "http://127.0.0.1:9200/_cluster/health?wait_for_status=yellow&timeout=5s"'],
        { startPeriod: '90s' },
      ),
      resources: resources('2G', '1.0', '1G', '0.5'),
      stateful: true,
      files: [],
    };
  },
};
