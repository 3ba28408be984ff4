/** How each generated service writes its logging block. */
export type LoggingStyle = 'anchor' | 'inline';

export interface GeneratorOptions {
  /**
   * `anchor` (default): one `x-logging: &default-logging` block and `logging: *default-logging` in every
   * service, as the architecture's files do. `inline`: the same five lines written out in every service.
   * The benchmark compares against dclint with `inline`: dclint (through `yaml`'s `toJS`, which allows 100
   * alias uses) refuses a file with more than 100 aliases as a "resource exhaustion attack" and stops early.
   */
  readonly logging?: LoggingStyle;
}

/**
 * Compose files in the architecture's style (/work/shared/seed/arquitectura-docker.md), for the benchmark and
 * the parser tests: each service with build, image, restart, environment with `${VAR:-}`, a quoted port,
 * volumes under ./bd and ./data, a project network, a healthcheck, deploy.resources, logging (through an
 * anchor, or written out), and depends_on with a condition. About 36 lines per service (40 with inline logging).
 */
export function generateArchitectureCompose(services: number, options: GeneratorOptions = {}): string {
  const inline = options.logging === 'inline';
  const lines: string[] = ['name: blueprint-bench', ''];
  if (!inline) lines.push('x-logging: &default-logging', '  driver: json-file', '  options:', '    max-size: "10m"', '    max-file: "3"', '');
  lines.push('services:');
  const logging = inline
    ? ['    logging:', '      driver: json-file', '      options:', '        max-size: "10m"', '        max-file: "3"']
    : ['    logging: *default-logging'];
  for (let i = 0; i < services; i++) {
    const name = `service-${i}`;
    const variable = `SERVICE_${i}`;
    lines.push(
      `  ${name}:`,
      '    build:',
      `      context: ./build/${name}`,
      '      dockerfile: Dockerfile',
      `    image: registry.example.com/blueprint/${name}:1.${i % 10}.0`,
      '    restart: unless-stopped',
      '    environment:',
      '      ENVIRONMENT: ${ENVIRONMENT:-production}',
      `      ${variable}_PASSWORD: \${${variable}_PASSWORD:-}`,
      '      LOG_LEVEL: "${LOG_LEVEL:-info}"',
      '    ports:',
      `      - "${10000 + i}:8080"`,
      '    volumes:',
      `      - ./bd/${name}:/var/lib/${name}`,
      `      - ./data/${name}/config:/etc/${name}:ro`,
      '    networks:',
      '      - app-network',
      '    healthcheck:',
      '      test: ["CMD", "curl", "-f", "http://localhost:8080/health"]',
      '      interval: 30s',
      '      timeout: 10s',
      '      retries: 3',
      '      start_period: 40s',
      '    deploy:',
      '      resources:',
      '        limits:',
      '          memory: 512M',
      "          cpus: '0.50'",
      '        reservations:',
      '          memory: 256M',
      "          cpus: '0.25'",
      ...logging,
    );
    if (i > 0) lines.push('    depends_on:', `      service-${i - 1}:`, '        condition: service_healthy');
  }
  lines.push('', 'networks:', '  app-network:', '    driver: bridge', '');
  return lines.join('\n');
}
