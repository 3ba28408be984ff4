import { WHISPER_REQUIREMENTS, whisperMain } from '../templates/apps';
import { dockerignore, healthcheck, httpProbe, l, resources } from '../templates/common';
import { pythonDockerfile } from '../templates/python';
import type { CatalogueEntry } from '../types';

export const whisper: CatalogueEntry = {
  id: 'whisper',
  title: l('Whisper speech-to-text', 'Whisper (voz a texto)'),
  description: l('Built FastAPI service around faster-whisper; reads data/audio-cache', 'Servicio FastAPI construido sobre faster-whisper; lee data/audio-cache'),
  kind: 'built',
  defaultPort: 9000,
  containerPort: 9000,
  metricsPath: '/metrics',
  connection: (self) => [['WHISPER_URL', `http://${self.name}:9000`]],
  render(ctx) {
    const p = ctx.envPrefix;
    const serve = ['uvicorn', 'main:app', '--host', '0.0.0.0', '--port', '9000'];
    const description = ctx.lang === 'es' ? `Servicio ${ctx.name} (transcripción con Whisper)` : `${ctx.name} service (Whisper transcription)`;
    return {
      image: `${ctx.project}-${ctx.name}:1.0.0`,
      build: { context: `./build/${ctx.name}`, dockerfile: 'Dockerfile' },
      environment: [['WHISPER_MODEL', `\${${p}_MODEL}`]],
      variables: [{ name: `${p}_MODEL`, example: 'base', comment: l('tiny, base, small, medium or large-v3', 'tiny, base, small, medium o large-v3') }],
      volumes: [
        `./data/${ctx.name}:/app:ro`,
        `./data/${ctx.name}/config:/etc/${ctx.name}/config:ro`,
        './data/audio-cache:/shared/audio-cache:ro',
        `./bd/${ctx.name}-data:/home/app/.cache`,
        `./data/logs:/var/log/${ctx.name}`,
      ],
      containerPort: 9000,
      publish: 'dev',
      healthcheck: healthcheck(httpProbe('python', 9000, '/health'), { startPeriod: '30s' }),
      resources: resources('4G', '2.0', '1G', '0.5'),
      stateful: true,
      folders: ['data/audio-cache'],
      dev: {
        ports: [`127.0.0.1:${ctx.hostPort}:9000`],
        command: [...serve, '--reload'],
      },
      healthPath: '/health',
      metricsPath: '/metrics',
      files: [
        { path: `build/${ctx.name}/Dockerfile`, content: pythonDockerfile(ctx.name, description, 9000, serve, ctx.lang) },
        { path: `build/${ctx.name}/.dockerignore`, content: dockerignore(ctx.lang) },
        { path: `build/${ctx.name}/requirements.txt`, content: WHISPER_REQUIREMENTS },
        { path: `data/${ctx.name}/main.py`, content: whisperMain(ctx.name, ctx.lang) },
      ],
    };
  },
};
