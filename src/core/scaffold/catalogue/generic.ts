import { dockerignore, healthcheck, httpProbe, l, resources } from '../templates/common';
import { pythonDockerfile } from '../templates/python';
import type { CatalogueEntry, Lang } from '../types';

function mainPy(service: string, lang: Lang): string {
  const doc = lang === 'es' ? `Servicio ${service}: punto de partida con /health y /metrics (solo la biblioteca estándar). Sustitúyelo por tu código.` : `${service} service: a starting point with /health and /metrics (standard library only). Replace it with your code.`;
  return `"""${doc}"""
import json
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SERVICE_NAME = os.environ.get("SERVICE_NAME", "${service}")
PORT = int(os.environ.get("PORT", "8080"))
REQUESTS = 0


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        global REQUESTS
        REQUESTS += 1
        if self.path == "/health":
            self.reply(200, "application/json", json.dumps({"status": "ok", "service": SERVICE_NAME}))
        elif self.path == "/metrics":
            self.reply(200, "text/plain; version=0.0.4", f"# TYPE app_requests_total counter\\napp_requests_total {REQUESTS}\\n")
        else:
            self.reply(200, "application/json", json.dumps({"service": SERVICE_NAME}))

    def reply(self, status, content_type, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


if __name__ == "__main__":
    server = ThreadingHTTPServer(("0.0.0.0", PORT), Handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server.serve_forever()
`;
}

export const generic: CatalogueEntry = {
  id: 'generic',
  title: l('Generic built service', 'Servicio genérico construido'),
  description: l('Your own image: a Dockerfile and a minimal HTTP service to replace', 'Tu propia imagen: un Dockerfile y un servicio HTTP mínimo para sustituir'),
  kind: 'built',
  defaultPort: 8080,
  containerPort: 8080,
  metricsPath: '/metrics',
  connection: (self) => [[`${self.envPrefix}_URL`, `http://${self.name}:8080`]],
  render(ctx) {
    const description = ctx.lang === 'es' ? `Servicio ${ctx.name}` : `${ctx.name} service`;
    return {
      image: `${ctx.project}-${ctx.name}:1.0.0`,
      build: { context: `./build/${ctx.name}`, dockerfile: 'Dockerfile' },
      environment: [['PORT', '8080']],
      variables: [],
      volumes: [`./data/${ctx.name}:/app:ro`, `./data/${ctx.name}/config:/etc/${ctx.name}/config:ro`, `./data/logs:/var/log/${ctx.name}`],
      containerPort: 8080,
      publish: 'dev',
      healthcheck: healthcheck(httpProbe('python', 8080, '/health'), { startPeriod: '20s' }),
      resources: resources('512M', '0.5', '128M', '0.1'),
      prod: { replicas: 2 },
      stateful: false,
      dev: { ports: [`127.0.0.1:${ctx.hostPort}:8080`] },
      healthPath: '/health',
      metricsPath: '/metrics',
      files: [
        { path: `build/${ctx.name}/Dockerfile`, content: pythonDockerfile(ctx.name, description, 8080, ['python', 'main.py'], ctx.lang, false) },
        { path: `build/${ctx.name}/.dockerignore`, content: dockerignore(ctx.lang) },
        { path: `data/${ctx.name}/main.py`, content: mainPy(ctx.name, ctx.lang) },
      ],
    };
  },
};
