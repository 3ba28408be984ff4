import type { CatalogueEntry } from '../types';
import { busyboxTest } from './busyboxTest';
import { elasticsearch } from './elasticsearch';
import { fastapi } from './fastapi';
import { generic } from './generic';
import { grafana } from './grafana';
import { kibana } from './kibana';
import { logstash } from './logstash';
import { mongodb } from './mongodb';
import { nginx } from './nginx';
import { nodeApp } from './nodeApp';
import { ollama } from './ollama';
import { postgres } from './postgres';
import { prometheus } from './prometheus';
import { redis } from './redis';
import { whisper } from './whisper';

/** Every catalogue service, in the order the pickers show them. To add one: a file here and a line below. */
export const CATALOGUE: readonly CatalogueEntry[] = [
  postgres,
  redis,
  mongodb,
  nginx,
  fastapi,
  nodeApp,
  generic,
  ollama,
  whisper,
  elasticsearch,
  logstash,
  kibana,
  prometheus,
  grafana,
  busyboxTest,
];

export function catalogueEntry(id: string): CatalogueEntry | undefined {
  return CATALOGUE.find((entry) => entry.id === id);
}

/** Entries offered in the editor (test-only entries left out). */
export function visibleCatalogue(): readonly CatalogueEntry[] {
  return CATALOGUE.filter((entry) => !entry.hidden);
}
