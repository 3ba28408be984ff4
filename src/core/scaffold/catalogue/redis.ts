import { healthcheck, l, resources } from '../templates/common';
import type { CatalogueEntry } from '../types';

export const redis: CatalogueEntry = {
  id: 'redis',
  title: l('Redis', 'Redis'),
  description: l('In-memory cache and queue (redis:7.4.1-alpine)', 'Caché y colas en memoria (redis:7.4.1-alpine)'),
  kind: 'image',
  imageRepo: 'redis',
  defaultPort: 6379,
  containerPort: 6379,
  connection: (self) => [['REDIS_URL', `redis://:\${${self.envPrefix}_PASSWORD}@${self.name}:6379/0`]],
  render(ctx) {
    const p = ctx.envPrefix;
    const conf =
      ctx.lang === 'es'
        ? '# Configuración de Redis (montada en solo lectura). La contraseña llega por REDIS_PASSWORD.\nappendonly yes\nsave 60 1000\nmaxmemory-policy allkeys-lru\n'
        : '# Redis configuration (mounted read-only). The password comes from REDIS_PASSWORD.\nappendonly yes\nsave 60 1000\nmaxmemory-policy allkeys-lru\n';
    return {
      image: 'redis:7.4.1-alpine',
      // The password stays out of the command line that `docker inspect` shows: the shell reads it from the environment.
      command: ['sh', '-c', 'exec redis-server /usr/local/etc/redis/redis.conf --requirepass "$$REDIS_PASSWORD"'],
      environment: [['REDIS_PASSWORD', `\${${p}_PASSWORD}`]],
      variables: [{ name: `${p}_PASSWORD`, example: 'change-me', secret: true }],
      volumes: [`./bd/${ctx.name}-data:/data`, `./data/${ctx.name}/config:/usr/local/etc/redis:ro`],
      containerPort: 6379,
      publish: 'dev',
      healthcheck: healthcheck(['CMD-SHELL', 'redis-cli -a "$$REDIS_PASSWORD" --no-auth-warning ping | grep -q PONG'], { interval: '10s', startPeriod: '10s' }),
      resources: resources('512M', '0.5', '128M', '0.1'),
      stateful: true,
      files: [{ path: `data/${ctx.name}/config/redis.conf`, content: conf }],
    };
  },
};
