import { healthcheck, l, resources } from '../templates/common';
import type { CatalogueEntry } from '../types';

export const postgres: CatalogueEntry = {
  id: 'postgres',
  title: l('PostgreSQL', 'PostgreSQL'),
  description: l('Relational database (postgres:16.4-alpine)', 'Base de datos relacional (postgres:16.4-alpine)'),
  kind: 'image',
  imageRepo: 'postgres',
  defaultPort: 5432,
  containerPort: 5432,
  connection: (self) => [
    ['DATABASE_URL', `postgresql://\${${self.envPrefix}_USER}:\${${self.envPrefix}_PASSWORD}@${self.name}:5432/\${${self.envPrefix}_DB}`],
  ],
  render(ctx) {
    const p = ctx.envPrefix;
    const db = ctx.project.replace(/-/g, '_');
    return {
      image: 'postgres:16.4-alpine',
      environment: [
        ['POSTGRES_USER', `\${${p}_USER}`],
        ['POSTGRES_PASSWORD', `\${${p}_PASSWORD}`],
        ['POSTGRES_DB', `\${${p}_DB}`],
      ],
      variables: [
        { name: `${p}_USER`, example: db },
        { name: `${p}_PASSWORD`, example: 'change-me', secret: true },
        { name: `${p}_DB`, example: db },
      ],
      volumes: [`./bd/${ctx.name}-data:/var/lib/postgresql/data`, `./data/${ctx.name}/scripts:/docker-entrypoint-initdb.d:ro`],
      containerPort: 5432,
      publish: 'dev',
      healthcheck: healthcheck(['CMD-SHELL', 'pg_isready -U "$${POSTGRES_USER}" -d "$${POSTGRES_DB}"'], { interval: '10s', startPeriod: '30s' }),
      resources: resources('1G', '1.0', '256M', '0.25'),
      stateful: true,
      files: [
        {
          path: `data/${ctx.name}/scripts/01-init.sql`,
          content:
            ctx.lang === 'es'
              ? '-- Se ejecuta una sola vez, cuando ./bd/' + ctx.name + '-data está vacío.\n-- CREATE TABLE ejemplo (id SERIAL PRIMARY KEY);\n'
              : '-- Runs once, when ./bd/' + ctx.name + '-data is empty.\n-- CREATE TABLE example (id SERIAL PRIMARY KEY);\n',
        },
      ],
    };
  },
};
