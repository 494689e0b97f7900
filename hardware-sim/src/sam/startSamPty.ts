import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VirtualSamReader } from './VirtualSamReader.js';

/** A virtual SAM reader on a pseudo-terminal. */
export interface SamPty {
  /** The device path to open, like `/dev/ttyUSB0` for a real reader (a symlink to `/dev/pts/N`). */
  readonly path: string;
  /** The pty itself (`/dev/pts/N`). */
  readonly ptsPath: string;
  /** Stops the relay and removes the link; idempotent. No process is left running. */
  close(): Promise<void>;
}

/** Options of {@link startSamPty}. */
export interface StartSamPtyOptions {
  /** Where to create the device link; default a fresh temporary directory. */
  readonly linkPath?: string;
  /** How long to wait for the pty to appear (default 5000 ms). */
  readonly startTimeoutMs?: number;
}

/**
 * Puts a {@link VirtualSamReader} on a real pseudo-terminal pair, so the daemon opens a device
 * path exactly as it opens a USB-serial reader (termios, 115200 8N1 and all). The pty is made by
 * `socat` (Debian package `socat`) in raw mode, relaying the pty master to this process's pipes;
 * socat exits when this process closes its stdin or dies, so nothing outlives the simulator.
 *
 * @example
 * ```ts
 * const pty = await startSamPty(new VirtualSamReader({ card: {} }));
 * const transport = await SerialSamTransport.open(pty.path);
 * ```
 */
export async function startSamPty(
  reader: VirtualSamReader,
  options: StartSamPtyOptions = {},
): Promise<SamPty> {
  const dir =
    options.linkPath === undefined ? await mkdtemp(join(tmpdir(), 'kycd-sam-')) : undefined;
  const path = options.linkPath ?? join(dir!, 'ttySAM0');
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${path}`, 'STDIO'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const cleanupDir = async (): Promise<void> => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  };
  let ptsPath: string;
  try {
    ptsPath = await waitForPty(child, options.startTimeoutMs ?? 5000);
  } catch (err) {
    child.kill('SIGTERM');
    await cleanupDir();
    throw err;
  }
  child.stdin?.on('error', () => undefined);
  child.stdout?.on('data', (chunk: Buffer) => reader.receive(new Uint8Array(chunk)));
  const detach = reader.attach((bytes) => {
    if (child.stdin?.writable === true) child.stdin.write(bytes);
  });
  let closing: Promise<void> | undefined;
  return {
    path,
    ptsPath,
    close() {
      closing ??= (async () => {
        detach();
        reader.stop();
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          child.stdin?.end();
          const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
          await exited;
          clearTimeout(timer);
        }
        await cleanupDir();
      })();
      return closing;
    },
  };
}

function waitForPty(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(
      () => finish(new Error(`socat did not open a pty within ${timeoutMs} ms: ${stderr.trim()}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer): void => {
      stderr += chunk.toString('utf8');
      const pts = /PTY is (\S+)/u.exec(stderr);
      if (pts !== null && stderr.includes('starting data transfer loop')) finish(undefined, pts[1]);
    };
    const onError = (err: NodeJS.ErrnoException): void => {
      finish(
        err.code === 'ENOENT'
          ? new Error(
              'socat is not installed: the virtual SAM reader needs it (apt-get install socat)',
            )
          : err,
      );
    };
    const onExit = (code: number | null): void =>
      finish(new Error(`socat exited (${code}) before the pty was ready: ${stderr.trim()}`));
    function finish(err: Error | undefined, pts?: string): void {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('error', onError);
      child.off('exit', onExit);
      // Keep draining socat's log so it never blocks on a full pipe.
      child.stderr?.resume();
      if (err !== undefined) reject(err);
      else resolve(pts!);
    }
    child.stderr?.on('data', onData);
    child.once('error', onError);
    child.once('exit', onExit);
  });
}
