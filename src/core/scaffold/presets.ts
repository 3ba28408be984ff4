import { l } from './templates/common';
import type { Localized, ServiceChoice } from './types';

export interface Preset {
  readonly id: string;
  readonly title: Localized;
  readonly description: Localized;
  readonly services: readonly ServiceChoice[];
  /** Folders the preset adds besides each service's own (CommentBot's shared data folders). */
  readonly folders?: readonly string[];
  /** Test-only presets are not offered in the editor. */
  readonly hidden?: boolean;
}

export const PRESETS: readonly Preset[] = [
  {
    id: 'commentbot',
    title: l('CommentBot', 'CommentBot'),
    description: l(
      'FastAPI core with Ollama and a Whisper service, audio cache, transcripts and models (the seed architecture)',
      'Núcleo FastAPI con Ollama y un servicio Whisper, caché de audio, transcripciones y modelos (la arquitectura de referencia)',
    ),
    services: [
      { name: 'ollama', entryId: 'ollama', options: { modelsDir: './data/models/ollama' } },
      { name: 'whisper-service', entryId: 'whisper' },
      { name: 'commentbot-core', entryId: 'fastapi', dependsOn: ['ollama', 'whisper-service'], options: { sharedData: 'true' } },
    ],
    folders: ['data/audio-cache', 'data/transcripts', 'data/models/ollama'],
  },
  {
    id: 'elk',
    title: l('ELK', 'ELK'),
    description: l('Elasticsearch, Logstash and Kibana', 'Elasticsearch, Logstash y Kibana'),
    services: [
      { name: 'elasticsearch', entryId: 'elasticsearch' },
      { name: 'logstash', entryId: 'logstash', dependsOn: ['elasticsearch'] },
      { name: 'kibana', entryId: 'kibana', dependsOn: ['elasticsearch'] },
    ],
  },
  {
    id: 'web-app',
    title: l('Web app', 'Aplicación web'),
    description: l('FastAPI API with PostgreSQL and Redis behind an nginx gateway', 'API FastAPI con PostgreSQL y Redis detrás de una pasarela nginx'),
    services: [
      { name: 'postgres', entryId: 'postgres' },
      { name: 'redis', entryId: 'redis' },
      { name: 'api', entryId: 'fastapi', dependsOn: ['postgres', 'redis'] },
      { name: 'nginx', entryId: 'nginx', dependsOn: ['api'] },
    ],
  },
  {
    id: 'empty',
    title: l('Empty', 'Vacío'),
    description: l('The folder layout, scripts and compose files, with no service yet', 'La estructura de carpetas, los scripts y los archivos compose, aún sin servicios'),
    services: [],
  },
  {
    id: 'busybox-test',
    title: l('Busybox (tests)', 'Busybox (pruebas)'),
    description: l('Three local busybox services that really start; for tests', 'Tres servicios busybox locales que arrancan de verdad; para pruebas'),
    hidden: true,
    services: [
      { name: 'store', entryId: 'busybox-test', options: { stateful: 'true' } },
      { name: 'worker', entryId: 'busybox-test', dependsOn: ['store'] },
      { name: 'front', entryId: 'busybox-test', dependsOn: ['worker'] },
    ],
  },
];

export function presetById(id: string): Preset | undefined {
  return PRESETS.find((preset) => preset.id === id);
}

export function visiblePresets(): readonly Preset[] {
  return PRESETS.filter((preset) => !preset.hidden);
}
