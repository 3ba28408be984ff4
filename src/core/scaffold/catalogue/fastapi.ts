import { FASTAPI_REQUIREMENTS, fastapiMain } from '../templates/apps';
import { dockerignore, healthcheck, httpProbe, l, resources } from '../templates/common';
import { pythonDockerfile } from '../templates/python';
import type { CatalogueEntry } from '../types';

export const fastapi: CatalogueEntry = {
  id: 'fastapi',
  title: l('Python FastAPI app', 'Aplicación Python FastAPI'),
  description: l('Image built in build/<name>, code in data/<name>; /health and /metrics', 'Imagen construida en build/<nombre>, código en data/<nombre>; /health y /metrics'),
  kind: 'built',
  defaultPort: 8000,
  containerPort: 8000,
  metricsPath: '/metrics',
  suggestedDependsOn: ['postgres', 'redis', 'mongodb'],
  connection: (self) => [[`${self.envPrefix}_URL`, `http://${self.name}:8000`]],
  render(ctx) {
    const serve = ['uvicorn', 'main:app', '--host', '0.0.0.0', '--port', '8000'];
    const description = ctx.lang === 'es' ? `Servicio ${ctx.name} (FastAPI)` : `${ctx.name} service (FastAPI)`;
    // CommentBot's core writes the audio cache and the transcripts that the other services read.
    const shared = ctx.options['sharedData'] === 'true';
    return {
      image: `${ctx.project}-${ctx.name}:1.0.0`,
      build: { context: `./build/${ctx.name}`, dockerfile: 'Dockerfile' },
      environment: shared
        ? [
            ['AUDIO_CACHE_DIR', '/shared/audio-cache'],
            ['TRANSCRIPTS_DIR', '/shared/transcripts'],
          ]
        : [],
      variables: [],
      volumes: [
        `./data/${ctx.name}:/app:ro`,
        `./data/${ctx.name}/config:/etc/${ctx.name}/config:ro`,
        `./data/logs:/var/log/${ctx.name}`,
        ...(shared ? ['./data/audio-cache:/shared/audio-cache', './data/transcripts:/shared/transcripts'] : []),
      ],
      containerPort: 8000,
      publish: 'dev',
      healthcheck: healthcheck(httpProbe('python', 8000, '/health'), { startPeriod: '20s' }),
      resources: resources('1G', '0.5', '512M', '0.25'),
      prod: { replicas: 2 },
      stateful: false,
      ...(shared ? { folders: ['data/audio-cache', 'data/transcripts'] } : {}),
      dev: {
        ports: [`127.0.0.1:${ctx.hostPort}:8000`],
        command: [...serve, '--reload'],
      },
      healthPath: '/health',
      metricsPath: '/metrics',
      files: [
        { path: `build/${ctx.name}/Dockerfile`, content: pythonDockerfile(ctx.name, description, 8000, serve, ctx.lang) },
        { path: `build/${ctx.name}/.dockerignore`, content: dockerignore(ctx.lang) },
        { path: `build/${ctx.name}/requirements.txt`, content: FASTAPI_REQUIREMENTS },
        { path: `data/${ctx.name}/main.py`, content: fastapiMain(ctx.name, ctx.lang) },
      ],
    };
  },
};
