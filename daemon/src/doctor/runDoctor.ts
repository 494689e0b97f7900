import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import type { KycdConfig } from '../config/KycdConfig.js';
import { openStore } from '../store/openStore.js';
import { cameraChecks, type CameraChecksOptions } from './cameraChecks.js';

const run = promisify(execFile);

export type CheckOutcome = 'ok' | 'warn' | 'fail';

/** One diagnostic: what was checked, how it went, and what to do about it. */
export interface DoctorCheck {
  readonly name: string;
  readonly status: CheckOutcome;
  readonly detail: string;
  readonly fix?: string;
}

export interface DoctorOptions {
  config: KycdConfig;
  dataDir: string;
  /** Extra checks contributed by subsystems (models, devices). */
  extraChecks?: ReadonlyArray<() => Promise<DoctorCheck>>;
  /** Camera discovery and the ffmpeg probe of the camera checks (tests inject fakes). */
  cameras?: Omit<CameraChecksOptions, 'config'>;
}

/**
 * Diagnose a kycd installation for store IT: runtime, data directory and store, the WebSocket
 * port, PC/SC, cameras and ffmpeg. Never throws: every failure becomes a `fail` check.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorCheck[]> {
  const checks: Array<() => Promise<DoctorCheck | DoctorCheck[]>> = [
    async () => nodeVersion(),
    async () => dataDirectory(options.dataDir),
    async () => store(options.dataDir),
    () => port(options.config),
    async () => pcscd(),
    () => cameraChecks({ config: options.config, ...options.cameras }),
    () => ffmpeg(),
    () => models(options.config),
    ...(options.extraChecks ?? []),
  ];
  const results: DoctorCheck[] = [];
  for (const check of checks) {
    try {
      const outcome = await check();
      results.push(...(Array.isArray(outcome) ? outcome : [outcome]));
    } catch (err) {
      results.push({
        name: 'check',
        status: 'fail',
        detail: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return results;
}

function nodeVersion(): DoctorCheck {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 20
    ? { name: 'node', status: 'ok', detail: `Node.js ${process.versions.node}` }
    : {
        name: 'node',
        status: 'fail',
        detail: `Node.js ${process.versions.node}`,
        fix: 'install Node.js 20 or newer',
      };
}

function dataDirectory(dir: string): DoctorCheck {
  if (!existsSync(dir))
    return {
      name: 'data directory',
      status: 'warn',
      detail: `${dir} does not exist yet`,
      fix: 'it is created at first start',
    };
  try {
    accessSync(dir, constants.W_OK | constants.R_OK);
    return { name: 'data directory', status: 'ok', detail: dir };
  } catch {
    return {
      name: 'data directory',
      status: 'fail',
      detail: `${dir} is not readable and writable`,
      fix: `chown it to the user running kycd`,
    };
  }
}

function store(dir: string): DoctorCheck {
  try {
    const s = openStore({ dataDir: dir });
    const terminals = s.terminals.list().filter((t) => t.revokedAt === undefined).length;
    const version = s.schemaVersion;
    s.close();
    return {
      name: 'store',
      status: terminals > 0 ? 'ok' : 'warn',
      detail: `SQLite schema v${version}, ${terminals} paired terminal(s)`,
      ...(terminals > 0 ? {} : { fix: 'pair a POS with `kycd pair --name <till>`' }),
    };
  } catch (err) {
    const code =
      typeof err === 'object' && err !== null && 'code' in err ? ` [${String(err.code)}]` : '';
    return {
      name: 'store',
      status: 'fail',
      detail: `${err instanceof Error ? err.message : String(err)}${code}`,
    };
  }
}

function port(config: KycdConfig): Promise<DoctorCheck> {
  const { host, port: p } = config.server;
  return new Promise((resolve) => {
    const socket = connect({ host, port: p });
    socket.setTimeout(1000);
    const done = (check: DoctorCheck): void => {
      socket.destroy();
      resolve(check);
    };
    socket.on('connect', () =>
      done({
        name: 'api port',
        status: 'ok',
        detail: `something listens on ${host}:${p} (the daemon, if it is running)`,
      }),
    );
    socket.on('error', () =>
      done({
        name: 'api port',
        status: 'warn',
        detail: `nothing listens on ${host}:${p}`,
        fix: 'start the daemon with `kycd start`',
      }),
    );
    socket.on('timeout', () =>
      done({ name: 'api port', status: 'warn', detail: `${host}:${p} does not answer` }),
    );
  });
}

function pcscd(): DoctorCheck {
  const socket = '/run/pcscd/pcscd.comm';
  return existsSync(socket)
    ? { name: 'pcscd', status: 'ok', detail: `PC/SC daemon socket at ${socket}` }
    : {
        name: 'pcscd',
        status: 'warn',
        detail: 'pcscd is not running (no eMRTD reading)',
        fix: 'apt-get install pcscd && systemctl start pcscd',
      };
}

async function ffmpeg(): Promise<DoctorCheck> {
  try {
    const { stdout } = await run('ffmpeg', ['-hide_banner', '-version'], { timeout: 5000 });
    return { name: 'ffmpeg', status: 'ok', detail: stdout.split('\n')[0] ?? 'ffmpeg' };
  } catch {
    return {
      name: 'ffmpeg',
      status: 'fail',
      detail:
        'ffmpeg not found: the camera falls back to node-webcam still capture at about 2 frames/s, far below the 15–30 fps liveness needs',
      fix: 'apt-get install ffmpeg',
    };
  }
}

/** The face models: installed, and every file's SHA-256 as the manifest says. */
async function models(config: KycdConfig): Promise<DoctorCheck> {
  const { DEFAULT_MANIFEST, ModelError, readManifestFile, resolveModelsDir, verifyModelFile } =
    await import('@kycd/models');
  const dir = resolveModelsDir(config.face.modelsDir === '' ? undefined : config.face.modelsDir);
  const manifest =
    config.face.manifestFile === ''
      ? DEFAULT_MANIFEST
      : await readManifestFile(config.face.manifestFile);
  const bad: string[] = [];
  for (const entry of manifest.models) {
    try {
      await verifyModelFile(dir, entry);
    } catch (err) {
      if (!(err instanceof ModelError)) throw err;
      bad.push(`${entry.file}: ${err.code}`);
    }
  }
  return bad.length === 0
    ? {
        name: 'models',
        status: 'ok',
        detail: `${manifest.models.length} models verified in ${dir}`,
      }
    : { name: 'models', status: 'fail', detail: bad.join('; '), fix: 'run `kycd models install`' };
}
