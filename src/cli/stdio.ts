import fs from 'node:fs';

/** What the writer needs of the process: tests pass their own. */
export interface DescriptorWriterHost {
  /** `fs.writeSync(fd, data, offset)`: bytes written, or throws (EAGAIN when a non-blocking pipe is full). */
  writeSync(fd: number, data: Uint8Array, offset: number): number;
  /** The stream to fall back to (`process.stdout` / `process.stderr`), created only when asked for. */
  stream(): { write(data: Uint8Array): unknown };
}

/**
 * Writes the CLI's output straight to a file descriptor, in order, and falls back to the process's stream for
 * good at the first write that does not go through.
 *
 * Why: `process.stdout` is created on first use, and for a pipe (how CI and every caller that reads the output
 * runs the CLI) it is a `net.Socket`, whose creation loads about 30 of Node's internal modules (net, streams,
 * abort controllers...): 4 to 6 ms of CPU, for a lint of 50 services that costs about 80 ms above Node's own
 * start. `fs.writeSync` on the descriptor writes the same bytes without them.
 *
 * Anything unusual goes to the stream, which then behaves exactly as before: a write that would block (EAGAIN:
 * a non-blocking pipe that is full; the stream waits for it to drain and Node does not exit before it has),
 * a closed reader (EPIPE) or descriptor (EBADF), or any other error. On Windows the stream is always used
 * (it writes to a console with the console's own API).
 */
export function descriptorWriter(fd: number, host: DescriptorWriterHost, platform: NodeJS.Platform = process.platform): (text: string) => void {
  let stream: { write(data: Uint8Array): unknown } | undefined = platform === 'win32' ? host.stream() : undefined;
  return (text) => {
    if (text.length === 0) return;
    const data = Buffer.from(text, 'utf8');
    if (stream) {
      stream.write(data);
      return;
    }
    let offset = 0;
    while (offset < data.length) {
      let written: number;
      try {
        written = host.writeSync(fd, data, offset);
      } catch {
        written = 0;
      }
      if (written <= 0) {
        stream = host.stream();
        stream.write(data.subarray(offset));
        return;
      }
      offset += written;
    }
  };
}

const processHost = (name: 'stdout' | 'stderr'): DescriptorWriterHost => ({
  writeSync: (fd, data, offset) => fs.writeSync(fd, data, offset),
  stream: () => process[name],
});

/** The CLI's standard output and error. */
export const writeStdout = descriptorWriter(1, processHost('stdout'));
export const writeStderr = descriptorWriter(2, processHost('stderr'));
