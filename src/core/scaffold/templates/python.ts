import type { Lang } from '../types';
import { codeMountComment, dockerfile } from './common';

export const PYTHON_BASE = 'python:3.12.7-slim';

/**
 * The Dockerfile of a Python service: dependencies from build/<service>/requirements.txt are installed in the
 * image; the code in data/<service> is mounted at /app by the compose files.
 */
export function pythonDockerfile(service: string, description: string, port: number, cmd: readonly string[], lang: Lang, withRequirements = true): string {
  return dockerfile(
    {
      base: PYTHON_BASE,
      service,
      description,
      env: [
        ['PYTHONDONTWRITEBYTECODE', '1'],
        ['PYTHONUNBUFFERED', '1'],
        ['PIP_NO_CACHE_DIR', '1'],
      ],
      workdir: '/app',
      user: { create: 'useradd --create-home --uid 10001 app', name: 'app' },
      ...(withRequirements ? { dependencies: { files: ['requirements.txt'], run: 'pip install --no-cache-dir -r requirements.txt' } } : {}),
      codeMount: codeMountComment(service),
      expose: port,
      cmd,
    },
    lang,
  );
}
