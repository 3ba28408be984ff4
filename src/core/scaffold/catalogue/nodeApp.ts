import { nodePackageJson, nodeServer } from '../templates/apps';
import { codeMountComment, dockerfile, dockerignore, healthcheck, httpProbe, l, resources } from '../templates/common';
import type { CatalogueEntry } from '../types';

export const nodeApp: CatalogueEntry = {
  id: 'node-app',
  title: l('Node.js app', 'Aplicación Node.js'),
  description: l('Image built on node:20.18.0-alpine, code in data/<name>; /health and /metrics', 'Imagen sobre node:20.18.0-alpine, código en data/<nombre>; /health y /metrics'),
  kind: 'built',
  defaultPort: 3000,
  defaultDebugPort: 9229,
  containerPort: 3000,
  metricsPath: '/metrics',
  suggestedDependsOn: ['postgres', 'redis', 'mongodb'],
  connection: (self) => [[`${self.envPrefix}_URL`, `http://${self.name}:3000`]],
  render(ctx) {
    const description = ctx.lang === 'es' ? `Servicio ${ctx.name} (Node.js)` : `${ctx.name} service (Node.js)`;
    const debugPort = ctx.debugPort ?? 9229;
    return {
      image: `${ctx.project}-${ctx.name}:1.0.0`,
      build: { context: `./build/${ctx.name}`, dockerfile: 'Dockerfile' },
      environment: [
        ['NODE_ENV', 'production'],
        ['PORT', '3000'],
      ],
      variables: [],
      volumes: [`./data/${ctx.name}:/app:ro`, `./data/${ctx.name}/config:/etc/${ctx.name}/config:ro`, `./data/logs:/var/log/${ctx.name}`],
      containerPort: 3000,
      publish: 'dev',
      healthcheck: healthcheck(httpProbe('wget', 3000, '/health'), { startPeriod: '20s' }),
      resources: resources('512M', '0.5', '256M', '0.25'),
      prod: { replicas: 2 },
      stateful: false,
      dev: {
        ports: [`127.0.0.1:${ctx.hostPort}:3000`, `127.0.0.1:${debugPort}:9229`],
        environment: [['NODE_ENV', 'development']],
        command: ['node', '--inspect=0.0.0.0:9229', '--watch', 'server.js'],
      },
      healthPath: '/health',
      metricsPath: '/metrics',
      files: [
        {
          path: `build/${ctx.name}/Dockerfile`,
          content: dockerfile(
            {
              base: 'node:20.18.0-alpine',
              service: ctx.name,
              description,
              // The code is mounted at /app, so dependencies live outside it and Node finds them through NODE_PATH.
              env: [
                ['NODE_ENV', 'production'],
                ['NODE_PATH', '/opt/deps/node_modules'],
              ],
              workdir: '/app',
              dependencies: { files: ['package.json'], dest: '/opt/deps/', run: 'npm install --prefix /opt/deps --omit=dev --no-audit --no-fund' },
              codeMount: codeMountComment(ctx.name),
              user: { name: 'node' },
              // 9229: the inspector, listening only when the development override starts node with --inspect.
              expose: [3000, 9229],
              cmd: ['node', 'server.js'],
            },
            ctx.lang,
          ),
        },
        { path: `build/${ctx.name}/.dockerignore`, content: dockerignore(ctx.lang, ['node_modules/']) },
        { path: `build/${ctx.name}/package.json`, content: nodePackageJson(ctx.name, description) },
        { path: `data/${ctx.name}/server.js`, content: nodeServer(ctx.name, 3000, ctx.lang) },
      ],
    };
  },
};
