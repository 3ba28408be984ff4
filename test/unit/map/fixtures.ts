import type { SourceFile } from '../../../src/core/compose/model';
import { buildArchitecture, familyOf, type Architecture } from '../../../src/core/map/graph';
import { parseYaml } from '../../../src/core/yaml/parse';

export function source(path: string, text: string): SourceFile {
  return { path, text, parsed: parseYaml(text) };
}

/** CommentBot as the seed architecture lays it out: base, override (dev) and prod files. */
export const COMMENTBOT_BASE = `name: commentbot
services:
  commentbot-core:
    build:
      context: ./build/commentbot-core
    image: commentbot-core:latest
    ports:
      - "\${CORE_PORT:-8000}:8000"
    volumes:
      - ./data/commentbot-core/config:/etc/commentbot-core/config:ro
      - ./data/audio-cache:/app/audio-cache
      - ./data/transcripts:/app/transcripts
    networks: [commentbot-network]
    depends_on:
      ollama:
        condition: service_healthy
      whisper-service:
        condition: service_started
  ollama:
    build: ./build/ollama
    volumes:
      - ./bd/ollama-data:/root/.ollama
      - ./data/models/ollama:/models:ro
    networks:
      - commentbot-network
    healthcheck:
      test: ["CMD", "ollama", "list"]
  whisper-service:
    build:
      context: ./build/whisper-service
    ports:
      - target: 9000
        published: 9000
    networks: [commentbot-network]
networks:
  commentbot-network:
    driver: bridge
`;

export const COMMENTBOT_OVERRIDE = `services:
  commentbot-core:
    volumes:
      - ./data/commentbot-core:/app
  debug-tools:
    image: busybox:1.36
    profiles: [debug]
`;

export const COMMENTBOT_PROD = `services:
  commentbot-core:
    deploy:
      replicas: 3
  backup:
    image: restic/restic:0.16
    volumes:
      - ./bd/ollama-data:/backup/ollama:ro
    depends_on: [ollama]
    networks: [commentbot-network, ops]
networks:
  ops: {}
`;

export function commentbot(): Architecture {
  const files = [
    source('docker-compose.yml', COMMENTBOT_BASE),
    source('docker-compose.override.yml', COMMENTBOT_OVERRIDE),
    source('docker-compose.prod.yml', COMMENTBOT_PROD),
  ];
  return buildArchitecture({ project: 'commentbot', family: familyOf(files, { override: 1, prod: 2 }) });
}

/**
 * A synthetic project of `count` services in four layers (the shape of real stacks: stores, services, APIs,
 * gateways), spread over `networks` networks; each service depends on up to two services of the layer below.
 * `reverse` declares the same services in the opposite order.
 */
export function syntheticProject(count: number, networks = 3, reverse = false): string {
  const layers = Math.min(4, count);
  const layerOf = (i: number) => Math.floor((i * layers) / count);
  const name = (i: number) => `svc-${String(i).padStart(2, '0')}`;
  const blocks: string[][] = [];
  for (let i = 0; i < count; i++) {
    const lines = [`  ${name(i)}:`, `    image: example/${name(i)}:1.${i}`, `    networks: [net-${i % networks}]`];
    if (i % 4 === 0) lines.push('    ports:', `      - "${8000 + i}:80"`);
    if (i % 5 === 0) lines.push('    volumes:', `      - ./bd/${name(i)}-data:/var/lib/${name(i)}`, `      - ./data/${name(i)}/config:/etc/${name(i)}:ro`);
    const layer = layerOf(i);
    if (layer > 0) {
      const below = Array.from({ length: count }, (_, j) => j).filter((j) => layerOf(j) === layer - 1);
      const deps = [...new Set([below[i % below.length]!, below[(i * 7) % below.length]!])].sort((a, b) => a - b);
      lines.push('    depends_on:');
      for (const dep of deps) lines.push(`      ${name(dep)}:`, `        condition: ${dep % 2 === 0 ? 'service_healthy' : 'service_started'}`);
    }
    blocks.push(lines);
  }
  if (reverse) blocks.reverse();
  return ['services:', ...blocks.flat(), 'networks:', ...Array.from({ length: networks }, (_, n) => `  net-${n}: {}`)].join('\n') + '\n';
}
