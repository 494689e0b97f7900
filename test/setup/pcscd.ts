/**
 * A private pcscd with the vpcd driver for tests that need the real PC/SC stack.
 *
 * pcscd 1.9.9 always serves /run/pcscd/pcscd.comm, so there is one pcscd per machine: the
 * first test run that needs it starts it (with its own reader.conf.d: one vpcd reader with two
 * slots, ports 35963 → "Virtual PCD 00 00" and 35964 → "Virtual PCD 00 01"), every run takes a
 * lease, and the last lease out stops it. A pcscd someone else started with the vpcd driver (port 35963 listening) is
 * reused and never stopped. Test files claim a vpcd slot with {@link claimVpcdSlot} so parallel
 * files never share a virtual reader.
 *
 * Usable as a vitest globalSetup (default export) or from a test's beforeAll:
 * @example
 * let pcscd: PcscdHandle;
 * beforeAll(async () => { pcscd = await startPcscd(); });
 * afterAll(async () => { await pcscd.stop(); });
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/** Where the shared state lives (leases, slots, the config and the log). */
export const PCSCD_STATE_DIR = '/tmp/kycd-pcscd';
/** vpcd's default port ("Virtual PCD 00 00"). */
export const VPCD_BASE_PORT = 35963;
/** Ports of the two slots of the vpcd reader. */
export const VPCD_PORTS = [35963, 35964] as const;
const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
const PCSCD_PID_FILE = '/run/pcscd/pcscd.pid';

/** A running pcscd this process holds a lease on. */
export interface PcscdHandle {
  /** True when this call started pcscd (false: reused one). */
  readonly startedHere: boolean;
  /** vpcd ports that are listening. */
  readonly ports: readonly number[];
  /** The pcscd log file when we started it. */
  readonly logFile: string | undefined;
  /** Gives the lease back; the last lease out stops a pcscd that kycd started. */
  stop(): Promise<void>;
}

/** A vpcd slot claimed by one test file. */
export interface VpcdSlot {
  readonly port: number;
  /** The PC/SC reader name pcscd shows for this slot, e.g. "Virtual PCD 00 01". */
  readonly readerName: string;
  release(): void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** vpcd ports in LISTEN state, from /proc/net/tcp (no probe connection: that would insert a card). */
export function listeningVpcdPorts(): number[] {
  const ports = new Set<number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] !== '0A') continue;
      const port = parseInt(cols[1]?.split(':')[1] ?? '', 16);
      if ((VPCD_PORTS as readonly number[]).includes(port)) ports.add(port);
    }
  }
  return [...ports].sort((a, b) => a - b);
}

function pcscdPid(): number | undefined {
  try {
    const pid = parseInt(readFileSync(PCSCD_PID_FILE, 'utf8').trim(), 10);
    return Number.isInteger(pid) && alive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  mkdirSync(PCSCD_STATE_DIR, { recursive: true });
  const lock = join(PCSCD_STATE_DIR, 'lock');
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 30_000)
          rmSync(lock, { recursive: true, force: true });
      } catch {
        // raced with the holder releasing it
      }
      if (Date.now() > deadline) throw new Error(`pcscd set-up lock ${lock} held for 30 s`);
      await sleep(50);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function liveLeases(): string[] {
  const dir = join(PCSCD_STATE_DIR, 'leases');
  mkdirSync(dir, { recursive: true });
  return readdirSync(dir).filter((name) => {
    const pid = parseInt(name.split('-')[0] ?? '', 10);
    if (alive(pid)) return true;
    rmSync(join(dir, name), { force: true });
    return false;
  });
}

/**
 * One vpcd entry only: the driver keeps its slot state in a static array indexed by slot number,
 * so a second reader.conf entry for libifdvpcd.so overwrites the first one's sockets (measured:
 * pcscd then polls the wrong port). One entry gives two slots, ports 35963 and 35964.
 */
function readerConf(): string {
  const port = `0x${VPCD_BASE_PORT.toString(16).toUpperCase()}`;
  return `FRIENDLYNAME "Virtual PCD"\nDEVICENAME   /dev/null:${port}\nLIBPATH      ${VPCD_DRIVER}\nCHANNELID    ${port}\n`;
}

/** The PC/SC reader name of a vpcd port ("Virtual PCD 00 00" for 35963, "Virtual PCD 00 01" for 35964). */
export function vpcdSlotReaderName(port: number): string {
  return `Virtual PCD 00 ${String(port - VPCD_BASE_PORT).padStart(2, '0')}`;
}

function stopSystemPcscd(): void {
  // Debian socket-activates pcscd; a system instance without vpcd would hold the socket.
  if (spawnSync('sh', ['-c', 'command -v systemctl'], { stdio: 'ignore' }).status === 0) {
    spawnSync('systemctl', ['stop', 'pcscd.socket', 'pcscd.service'], { stdio: 'ignore' });
  }
}

async function waitFor(what: string, predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Options of {@link startPcscd}. */
export interface StartPcscdOptions {
  /** Log APDUs and debug messages into the log file (pcscd -d -a). */
  readonly debug?: boolean;
  readonly timeoutMs?: number;
}

/**
 * Ensures a pcscd with the vpcd driver runs (starting one when none does) and takes a lease on it.
 * Requires Debian's `pcscd` and `vsmartcard-vpcd` (scripts/bootstrap.sh test installs them).
 */
export async function startPcscd(options: StartPcscdOptions = {}): Promise<PcscdHandle> {
  if (!existsSync('/usr/sbin/pcscd') || !existsSync(VPCD_DRIVER)) {
    throw new Error(
      'pcscd or the vpcd driver is missing: run `bash scripts/bootstrap.sh test` (Debian packages pcscd, vsmartcard-vpcd)',
    );
  }
  return withLock(async () => {
    const leaseName = `${process.pid}-${Math.random().toString(36).slice(2)}`;
    const leaseFile = join(PCSCD_STATE_DIR, 'leases', leaseName);
    liveLeases();
    let startedHere = false;
    let logFile: string | undefined;
    const running = pcscdPid();
    if (running === undefined || !listeningVpcdPorts().includes(VPCD_BASE_PORT)) {
      if (running !== undefined) {
        throw new Error(
          `a pcscd (pid ${running}) runs without the vpcd driver; stop it (systemctl stop pcscd.socket pcscd) and retry`,
        );
      }
      stopSystemPcscd();
      const confDir = join(PCSCD_STATE_DIR, 'reader.conf.d');
      mkdirSync(confDir, { recursive: true });
      writeFileSync(join(confDir, 'vpcd'), readerConf());
      logFile = join(PCSCD_STATE_DIR, 'pcscd.log');
      const log = openSync(logFile, 'a');
      if (existsSync(PCSCD_SOCKET) && pcscdPid() === undefined) unlinkSync(PCSCD_SOCKET);
      const args = [
        '--foreground',
        '--config',
        confDir,
        ...(options.debug ? ['--debug', '--apdu'] : ['--info']),
      ];
      const child = spawn('/usr/sbin/pcscd', args, { detached: true, stdio: ['ignore', log, log] });
      child.unref();
      if (child.pid === undefined) throw new Error('pcscd did not start');
      writeFileSync(join(PCSCD_STATE_DIR, 'owner'), String(child.pid));
      startedHere = true;
      await waitFor(
        'pcscd socket and vpcd port 35963',
        () => existsSync(PCSCD_SOCKET) && listeningVpcdPorts().includes(VPCD_BASE_PORT),
        options.timeoutMs ?? 10_000,
      );
    }
    mkdirSync(join(PCSCD_STATE_DIR, 'leases'), { recursive: true });
    writeFileSync(leaseFile, String(process.pid));
    let stopped = false;
    return {
      startedHere,
      ports: listeningVpcdPorts(),
      logFile,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        await withLock(async () => {
          rmSync(leaseFile, { force: true });
          if (liveLeases().length > 0) return;
          let owner: number | undefined;
          try {
            owner = parseInt(readFileSync(join(PCSCD_STATE_DIR, 'owner'), 'utf8'), 10);
          } catch {
            return; // not ours
          }
          if (owner !== undefined && owner === pcscdPid()) {
            process.kill(owner, 'SIGTERM');
            await waitFor('pcscd to exit', () => !alive(owner), 5000).catch(() =>
              process.kill(owner, 'SIGKILL'),
            );
          }
          rmSync(join(PCSCD_STATE_DIR, 'owner'), { force: true });
        });
      },
    };
  });
}

/**
 * Claims a free vpcd slot (one virtual reader) for this test file, waiting up to `timeoutMs`
 * when all are taken; `release()` gives it back. Slots of dead processes are reclaimed.
 */
export async function claimVpcdSlot(timeoutMs = 60_000): Promise<VpcdSlot> {
  const dir = join(PCSCD_STATE_DIR, 'slots');
  mkdirSync(dir, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const port of listeningVpcdPorts()) {
      const file = join(dir, String(port));
      try {
        writeFileSync(file, String(process.pid), { flag: 'wx' });
      } catch {
        const holder = parseInt(readFileSync(file, 'utf8') || '0', 10);
        if (!alive(holder)) rmSync(file, { force: true });
        continue;
      }
      return {
        port,
        readerName: vpcdSlotReaderName(port),
        release: () => rmSync(file, { force: true }),
      };
    }
    if (Date.now() > deadline) throw new Error('no free vpcd slot');
    await sleep(100);
  }
}

/** vitest globalSetup: start (or join) pcscd before the run, leave after it. */
export default async function setup(): Promise<() => Promise<void>> {
  const handle = await startPcscd();
  return () => handle.stop();
}
