// A unix-socket proxy in front of the real Docker socket, for daemon tests and the benchmark: it counts the
// HTTP requests that pass through (to prove the view does not poll) and can be shut and reopened to play a
// daemon that goes away and comes back, without touching the shared daemon other tests use.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
  readonly at: number;
}

export class DockerSocketProxy {
  readonly socketPath: string;
  readonly requests: ProxiedRequest[] = [];
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private readonly ownsFolder: boolean;

  constructor(
    private readonly upstream: string,
    socketPath?: string,
  ) {
    this.ownsFolder = socketPath === undefined;
    this.socketPath = socketPath ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cb-proxy-')), 'docker.sock');
  }

  /** Starts listening (again). */
  async open(): Promise<void> {
    if (this.server) return;
    fs.rmSync(this.socketPath, { force: true });
    const server = net.createServer((client) => {
      const upstream = net.connect(this.upstream);
      this.sockets.add(client);
      this.sockets.add(upstream);
      client.on('data', (chunk: Buffer) => {
        for (const match of chunk.toString('latin1').matchAll(/^(GET|POST|PUT|DELETE|HEAD) (\S+) HTTP\/1\.[01]\r$/gm)) {
          this.requests.push({ method: match[1]!, path: match[2]!, at: Date.now() });
        }
      });
      client.pipe(upstream);
      upstream.pipe(client);
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', close);
      upstream.on('error', close);
      client.on('close', close);
      upstream.on('close', close);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.socketPath, () => resolve());
    });
    this.server = server;
  }

  /** Stops listening and cuts every open connection (the events stream ends, as when the daemon stops). */
  async shut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(this.socketPath, { force: true });
  }

  /** Requests since a time, without the long-lived events stream. */
  requestsSince(time: number): ProxiedRequest[] {
    return this.requests.filter((r) => r.at >= time);
  }

  async dispose(): Promise<void> {
    await this.shut();
    if (this.ownsFolder) fs.rmSync(path.dirname(this.socketPath), { recursive: true, force: true });
  }
}
