import { healthcheck, l, resources } from '../templates/common';
import type { CatalogueEntry } from '../types';

/** The image `scripts/docker-engine.sh` builds locally: static busybox, healthy until /tmp/unhealthy exists. */
export const BUSYBOX_TEST_IMAGE = 'compose-blueprint/busybox-health:1';

/**
 * Test-only service (hidden from the editor's pickers): the local busybox image, never pulled, so a generated
 * project can really start on a machine without a registry. `options.image` overrides the image (DOCKER_TEST_IMAGE).
 */
export const busyboxTest: CatalogueEntry = {
  id: 'busybox-test',
  title: l('Busybox (tests)', 'Busybox (pruebas)'),
  description: l('Local test image with a healthcheck; never pulled', 'Imagen local de pruebas con healthcheck; nunca se descarga'),
  kind: 'image',
  hidden: true,
  defaultPort: 18080,
  containerPort: 8080,
  render(ctx) {
    const stateful = ctx.options['stateful'] === 'true';
    return {
      image: ctx.options['image'] ?? BUSYBOX_TEST_IMAGE,
      pullPolicy: 'never',
      command: ['sh', '-c', "trap 'exit 0' TERM INT; while :; do sleep 1; done"],
      environment: [['GREETING', `\${${ctx.envPrefix}_GREETING}`]],
      variables: [{ name: `${ctx.envPrefix}_GREETING`, example: 'hello' }],
      volumes: [`./data/${ctx.name}/config:/etc/${ctx.name}/config:ro`, ...(stateful ? [`./bd/${ctx.name}-data:/data`] : [])],
      containerPort: 8080,
      publish: 'dev',
      healthcheck: healthcheck(['CMD', 'sh', '-c', 'test ! -f /tmp/unhealthy'], { interval: '2s', timeout: '2s', retries: 3, startPeriod: '2s' }),
      resources: resources('64M', '0.25', '16M', '0.05'),
      stateful,
      files: [{ path: `data/${ctx.name}/config/settings.env`, content: `SERVICE=${ctx.name}\n` }],
    };
  },
};
