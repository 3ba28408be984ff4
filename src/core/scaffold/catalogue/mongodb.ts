import { healthcheck, l, resources } from '../templates/common';
import type { CatalogueEntry } from '../types';

export const mongodb: CatalogueEntry = {
  id: 'mongodb',
  title: l('MongoDB', 'MongoDB'),
  description: l('Document database (mongo:7.0.14)', 'Base de datos de documentos (mongo:7.0.14)'),
  kind: 'image',
  imageRepo: 'mongo',
  defaultPort: 27017,
  containerPort: 27017,
  connection: (self) => [
    ['MONGODB_URL', `mongodb://\${${self.envPrefix}_ROOT_USER}:\${${self.envPrefix}_ROOT_PASSWORD}@${self.name}:27017/?authSource=admin`],
  ],
  render(ctx) {
    const p = ctx.envPrefix;
    return {
      image: 'mongo:7.0.14',
      environment: [
        ['MONGO_INITDB_ROOT_USERNAME', `\${${p}_ROOT_USER}`],
        ['MONGO_INITDB_ROOT_PASSWORD', `\${${p}_ROOT_PASSWORD}`],
      ],
      variables: [
        { name: `${p}_ROOT_USER`, example: 'admin' },
        { name: `${p}_ROOT_PASSWORD`, example: 'change-me', secret: true },
      ],
      volumes: [`./bd/${ctx.name}-data:/data/db`, `./data/${ctx.name}/scripts:/docker-entrypoint-initdb.d:ro`],
      containerPort: 27017,
      publish: 'dev',
      healthcheck: healthcheck(['CMD', 'mongosh', '--quiet', '--eval', "db.adminCommand('ping').ok"], { interval: '10s', startPeriod: '30s' }),
      resources: resources('1G', '1.0', '256M', '0.25'),
      stateful: true,
      files: [
        {
          path: `data/${ctx.name}/scripts/01-init.js`,
          content:
            ctx.lang === 'es'
              ? `// Se ejecuta una sola vez, cuando ./bd/${ctx.name}-data está vacío.\n// db.getSiblingDB('app').createCollection('ejemplo');\n`
              : `// Runs once, when ./bd/${ctx.name}-data is empty.\n// db.getSiblingDB('app').createCollection('example');\n`,
        },
      ],
    };
  },
};
