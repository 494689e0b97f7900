import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveModelsDir } from '@kycd/models';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/loadConfig.js';
import { openStore } from '../store/openStore.js';
import { runDoctor } from './runDoctor.js';

describe('runDoctor', () => {
  it('reports each check with a fix, and an unpaired store as a warning', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kycd-doctor-'));
    openStore({ dataDir }).close();
    const checks = await runDoctor({ config: parseConfig({ server: { port: 1 } }), dataDir });
    const byName = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(byName.store).toMatchObject({
      status: 'warn',
      fix: expect.stringContaining('kycd pair'),
    });
    expect(byName['api port']).toMatchObject({ status: 'warn' });
    expect(byName.models).toMatchObject({ status: 'ok' });
    expect(byName.node).toMatchObject({ status: 'ok' });
  });

  it('fails the models check when a model file was altered, naming the file', async () => {
    const modelsDir = mkdtempSync(join(tmpdir(), 'kycd-doctor-models-'));
    cpSync(resolveModelsDir(undefined), modelsDir, { recursive: true });
    writeFileSync(join(modelsDir, 'fr_eye.onnx'), 'not a model');
    const checks = await runDoctor({
      config: parseConfig({ face: { modelsDir } }),
      dataDir: mkdtempSync(join(tmpdir(), 'kycd-doctor-')),
    });
    const models = checks.find((c) => c.name === 'models');
    expect(models).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining('models install'),
    });
    expect(models?.detail).toContain('fr_eye.onnx');
  });

  it('reports a corrupted store as a failure instead of throwing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kycd-doctor-'));
    writeFileSync(
      join(dataDir, 'kycd.sqlite'),
      'garbage that is not SQLite at all, long enough to have a header',
    );
    const checks = await runDoctor({ config: parseConfig({}), dataDir });
    expect(checks.find((c) => c.name === 'store')).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('registration_store_corrupt'),
    });
  });

  it('lists the cameras and the production camera verdict', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kycd-doctor-'));
    const checks = await runDoctor({
      config: parseConfig({
        camera: { pin: { vendorId: '046d', productId: '085b', serial: 'ABC123' } },
      }),
      dataDir,
      cameras: {
        discover: async () => [
          {
            path: '/dev/video0',
            name: 'Logitech BRIO',
            driver: 'uvcvideo',
            usb: { vendorId: '046d', productId: '085b', serial: 'ABC123' },
            formats: [],
            virtual: false,
          },
        ],
        ffmpegAvailable: async () => true,
      },
    });
    expect(checks.find((c) => c.name === 'camera /dev/video0')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('matches camera.pin'),
    });
    expect(checks.find((c) => c.name === 'camera')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('uses Logitech BRIO (/dev/video0)'),
    });
  });
});
