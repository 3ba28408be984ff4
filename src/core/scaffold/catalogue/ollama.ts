import { dockerfile, dockerignore, healthcheck, l, resources } from '../templates/common';
import type { CatalogueEntry } from '../types';

function initScript(lang: 'en' | 'es'): string {
  const es = lang === 'es';
  return `#!/bin/sh
# ${es ? 'Arranca Ollama y descarga el modelo de OLLAMA_MODEL la primera vez.' : 'Starts Ollama and pulls the model named by OLLAMA_MODEL the first time.'}
set -eu

/bin/ollama "$@" &
server=$!

# ${es ? 'Espera a que el servidor responda' : 'Wait for the server to answer'}
tries=0
until /bin/ollama list >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -gt 60 ]; then
    echo "ollama did not start" >&2
    exit 1
  fi
  sleep 1
done

if [ -n "\${OLLAMA_MODEL:-}" ]; then
  /bin/ollama pull "$OLLAMA_MODEL"
fi

wait "$server"
`;
}

export const ollama: CatalogueEntry = {
  id: 'ollama',
  title: l('Ollama', 'Ollama'),
  description: l('Local LLM server, built on ollama/ollama:0.3.14 with a model pull at start', 'Servidor local de LLM, construido sobre ollama/ollama:0.3.14 con descarga del modelo al iniciar'),
  kind: 'built',
  imageRepo: 'ollama/ollama',
  defaultPort: 11434,
  containerPort: 11434,
  connection: (self) => [['OLLAMA_URL', `http://${self.name}:11434`]],
  render(ctx) {
    const p = ctx.envPrefix;
    // CommentBot keeps models under data/models/ollama, as the seed lays it out; elsewhere they are service data in bd/.
    const models = ctx.options['modelsDir'] ?? `./bd/${ctx.name}-data`;
    return {
      image: `${ctx.project}-${ctx.name}:1.0.0`,
      build: { context: `./build/${ctx.name}`, dockerfile: 'Dockerfile' },
      environment: [
        ['OLLAMA_MODEL', `\${${p}_MODEL}`],
        ['OLLAMA_KEEP_ALIVE', '24h'],
      ],
      variables: [{ name: `${p}_MODEL`, example: 'llama3.2:1b', comment: l('Model pulled at first start', 'Modelo que se descarga en el primer arranque') }],
      volumes: [`${models}:/home/ollama/.ollama`],
      containerPort: 11434,
      publish: 'dev',
      healthcheck: healthcheck(['CMD', 'ollama', 'list'], { startPeriod: '120s' }),
      resources: resources('8G', '4.0', '2G', '1.0'),
      stateful: models.startsWith('./bd/'),
      folders: models.startsWith('./bd/') ? [] : [models.slice(2)],
      healthPath: '/api/version',
      files: [
        {
          path: `build/${ctx.name}/Dockerfile`,
          content: dockerfile(
            {
              base: 'ollama/ollama:0.3.14',
              service: ctx.name,
              description: 'Ollama LLM server',
              // The official image runs as root; Ollama itself needs no privilege, only a writable home for its models.
              env: [['HOME', '/home/ollama']],
              workdir: '/home/ollama',
              user: { create: 'useradd --create-home --uid 10001 ollama', name: 'ollama' },
              extraComment: l('Init script: starts the server, then pulls OLLAMA_MODEL the first time', 'Script de inicio: arranca el servidor y descarga OLLAMA_MODEL la primera vez'),
              extra: ['COPY init-ollama.sh /usr/local/bin/init-ollama.sh', 'RUN chmod 0755 /usr/local/bin/init-ollama.sh'],
              expose: 11434,
              entrypoint: ['/usr/local/bin/init-ollama.sh'],
              cmd: ['serve'],
            },
            ctx.lang,
          ),
        },
        { path: `build/${ctx.name}/.dockerignore`, content: dockerignore(ctx.lang) },
        { path: `build/${ctx.name}/init-ollama.sh`, content: initScript(ctx.lang), executable: true },
      ],
    };
  },
};
