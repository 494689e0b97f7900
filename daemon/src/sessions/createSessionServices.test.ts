import { describe, expect, it } from 'vitest';
import { DeviceRegistry } from '../devices/DeviceRegistry.js';
import { createSessionServices } from './createSessionServices.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('createSessionServices: watchDevices', () => {
  it('reports devices already lost when the watch starts, then every change', async () => {
    const devices = new DeviceRegistry();
    devices.add(
      { id: 'cam-0', kind: 'camera', name: 'camera', simulated: true },
      { attached: false },
    );
    devices.add({ id: 'reader-0', kind: 'pcsc-reader', name: 'reader', simulated: true });
    await tick();
    const services = createSessionServices({
      readers: () => [],
      face: {
        captureFace: () => Promise.reject(new Error('unused')),
        matchFace: () => Promise.reject(new Error('unused')),
      },
      registration: { submitRegistration: () => Promise.reject(new Error('unused')) },
      devices,
    });
    const seen: string[] = [];
    const stop = services.watchDevices!((e) =>
      seen.push(`${e.type} ${e.device.kind} ${e.device.id}`),
    );
    expect(seen).toEqual([]); // after the caller's setup, not during it
    await tick();
    expect(seen).toEqual(['lost camera cam-0']);
    devices.attach('cam-0');
    await tick();
    expect(seen).toContain('restored camera cam-0');
    devices.detach('reader-0');
    await tick();
    expect(seen.at(-1)).toBe('lost documentReader reader-0');
    stop();
    devices.close();
  });
});
