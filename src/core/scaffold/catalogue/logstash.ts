import { dependencyOn, healthcheck, l, resources } from '../templates/common';
import type { CatalogueEntry, ServiceContext } from '../types';

function pipeline(ctx: ServiceContext): string {
  const es = dependencyOn(ctx, 'elasticsearch');
  const comment = ctx.lang === 'es' ? '# Canal de Logstash (montado en solo lectura): Beats en 5044 y JSON por TCP en 5000.' : '# Logstash pipeline (mounted read-only): Beats on 5044 and JSON over TCP on 5000.';
  const output = es
    ? [
        '  elasticsearch {',
        `    hosts => ["http://${es.name}:9200"]`,
        '    user => "elastic"',
        '    password => "${ELASTIC_PASSWORD}"',
        '    index => "logs-%{+YYYY.MM.dd}"',
        '  }',
      ]
    : ['  stdout { codec => rubydebug }'];
  return [comment, 'input {', '  beats { port => 5044 }', '  tcp { port => 5000 codec => json_lines }', '}', '', 'output {', ...output, '}', ''].join('\n');
}

export const logstash: CatalogueEntry = {
  id: 'logstash',
  title: l('Logstash', 'Logstash'),
  description: l('Log pipeline into Elasticsearch (8.15.3)', 'Canal de logs hacia Elasticsearch (8.15.3)'),
  kind: 'image',
  imageRepo: 'docker.elastic.co/logstash/logstash',
  defaultPort: 5044,
  containerPort: 5044,
  suggestedDependsOn: ['elasticsearch'],
  render(ctx) {
    const p = ctx.envPrefix;
    const es = dependencyOn(ctx, 'elasticsearch');
    return {
      image: 'docker.elastic.co/logstash/logstash:8.15.3',
      environment: [
        ['LS_JAVA_OPTS', `\${${p}_JAVA_OPTS}`],
        ['XPACK_MONITORING_ENABLED', 'false'],
        ...(es ? [['ELASTIC_PASSWORD', `\${${es.envPrefix}_PASSWORD}`] as const] : []),
      ],
      variables: [{ name: `${p}_JAVA_OPTS`, example: '-Xms256m -Xmx256m' }],
      volumes: [`./data/${ctx.name}/config/pipeline:/usr/share/logstash/pipeline:ro`, `./bd/${ctx.name}-data:/usr/share/logstash/data`],
      containerPort: 5044,
      publish: 'dev',
      healthcheck: healthcheck(['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1:9600/'], { startPeriod: '90s' }),
      resources: resources('1G', '1.0', '512M', '0.25'),
      stateful: true,
      files: [{ path: `data/${ctx.name}/config/pipeline/logstash.conf`, content: pipeline(ctx) }],
    };
  },
};
