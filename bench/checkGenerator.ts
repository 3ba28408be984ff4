/**
 * Compose files in the architecture's style (/work/shared/seed/arquitectura-docker.md), for the benchmark and
 * the parser tests: each service with build, image, restart, environment with `${VAR:-}`, a quoted port,
 * volumes under ./bd and ./data, a project network, a healthcheck, deploy.resources, logging through an
 * anchor, and depends_on with a condition. About 36 lines per service.
 */
export function generateArchitectureCompose(services: number): string {
  const lines: string[] = [
    'name: blueprint-bench',
    '',
    'x-logging: &default-logging',
    '  driver: json-file',
    '  options:',
    '    max-size: "10m"',
    '    max-file: "3"',
    '',
    'services:',
  ];
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
      '    logging: *default-logging',
    );
    if (i > 0) lines.push('    depends_on:', `      service-${i - 1}:`, '        condition: service_healthy');
  }
  lines.push('', 'networks:', '  app-network:', '    driver: bridge', '');
  return lines.join('\n');
}
