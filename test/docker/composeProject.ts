// A throwaway compose project on the real daemon, brought up with the installed docker-compose (v1.29 here)
// from a temp folder, and always taken down again.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEST_IMAGE } from './daemon';

export function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { ...options, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

export class ComposeProject {
  readonly name = `cbtest${crypto.randomBytes(4).toString('hex')}`;
  readonly folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-compose-'));

  constructor(services: readonly string[] = ['web', 'worker']) {
    const body = services.map((service) => `  ${service}:\n    image: ${TEST_IMAGE}\n    init: true\n    stop_grace_period: 1s\n`).join('');
    fs.writeFileSync(path.join(this.folder, 'docker-compose.yml'), `version: "3.8"\nservices:\n${body}`);
  }

  compose(...args: string[]): Promise<string> {
    return run('docker-compose', ['-p', this.name, ...args], { cwd: this.folder });
  }

  docker(...args: string[]): Promise<string> {
    return run('docker', args);
  }

  /** Containers of a service, by the Compose labels. */
  async containerIds(service: string): Promise<string[]> {
    const out = await this.docker('ps', '-aq', '--no-trunc', '--filter', `label=com.docker.compose.project=${this.name}`, '--filter', `label=com.docker.compose.service=${service}`);
    return out.split('\n').filter((line) => line.trim() !== '');
  }

  async dispose(): Promise<void> {
    try {
      await this.compose('down', '-t', '1', '--remove-orphans');
    } finally {
      fs.rmSync(this.folder, { recursive: true, force: true });
    }
  }
}
