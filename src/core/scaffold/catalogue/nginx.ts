import { healthcheck, httpProbe, l, resources } from '../templates/common';
import type { CatalogueEntry, ServiceContext } from '../types';

function defaultConf(ctx: ServiceContext): string {
  const upstream = ctx.dependsOn[0];
  const es = ctx.lang === 'es';
  const lines = [
    es ? '# Pasarela del proyecto (montada en solo lectura).' : "# The project's gateway (mounted read-only).",
    'server {',
    '    listen 80;',
    '    server_name _;',
    '',
    es ? '    # La usa el healthcheck y el monitor.' : '    # Used by the healthcheck and the monitor.',
    '    location = /health {',
    '        access_log off;',
    '        default_type text/plain;',
    "        return 200 'ok';",
    '    }',
    '',
  ];
  if (upstream) {
    lines.push(
      '    location / {',
      `        proxy_pass http://${upstream.name}:${upstream.containerPort ?? 80};`,
      '        proxy_set_header Host $host;',
      '        proxy_set_header X-Real-IP $remote_addr;',
      '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      '        proxy_set_header X-Forwarded-Proto $scheme;',
      '    }',
    );
  } else {
    lines.push('    location / {', '        root /usr/share/nginx/html;', '        index index.html;', '    }');
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

export const nginx: CatalogueEntry = {
  id: 'nginx',
  title: l('nginx gateway', 'Pasarela nginx'),
  description: l('Reverse proxy in front of the project (nginx:1.27.2-alpine)', 'Proxy inverso delante del proyecto (nginx:1.27.2-alpine)'),
  kind: 'image',
  imageRepo: 'nginx',
  defaultPort: 8080,
  containerPort: 80,
  suggestedDependsOn: ['fastapi', 'node-app', 'generic'],
  render(ctx) {
    return {
      image: 'nginx:1.27.2-alpine',
      environment: [],
      variables: [],
      volumes: [
        `./data/${ctx.name}/config/default.conf:/etc/nginx/conf.d/default.conf:ro`,
        `./data/${ctx.name}/templates:/etc/nginx/templates:ro`,
      ],
      containerPort: 80,
      publish: 'edge',
      healthcheck: healthcheck(httpProbe('wget', 80, '/health'), { startPeriod: '10s' }),
      resources: resources('256M', '0.5', '64M', '0.1'),
      stateful: false,
      healthPath: '/health',
      files: [{ path: `data/${ctx.name}/config/default.conf`, content: defaultConf(ctx) }],
    };
  },
};
