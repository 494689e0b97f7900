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

describe('createSessionServices: which lost readers block a session', () => {
  function setup(present?: 'reader-0') {
    const devices = new DeviceRegistry();
    devices.add({ id: 'reader-0', kind: 'pcsc-reader', name: 'pc/sc', simulated: true });
    devices.add(
      { id: 'sam-0', kind: 'sam-reader', name: 'sam', simulated: true },
      { attached: false },
    );
    const reader = {
      id: 'reader-0',
      documentKind: 'emrtd' as const,
      present: present === 'reader-0',
      watch: () => () => undefined,
      read: () => Promise.reject(new Error('unused')),
    };
    const services = createSessionServices({
      readers: () => [reader],
      face: {
        captureFace: () => Promise.reject(new Error('unused')),
        matchFace: () => Promise.reject(new Error('unused')),
      },
      registration: { submitRegistration: () => Promise.reject(new Error('unused')) },
      devices,
    });
    const seen: string[] = [];
    services.watchDocument(() => undefined); // the flow watches presence: it knows the reader in use
    const stop = services.watchDevices!((e) => seen.push(`${e.type} ${e.device.id}`));
    return { devices, seen, stop };
  }

  it('does not report a broken SAM reader while a PC/SC reader works', async () => {
    const { devices, seen, stop } = setup();
    await tick();
    expect(devices.get('sam-0')?.state).toBe('absent');
    expect(seen).toEqual([]);
    stop();
    devices.close();
  });

  it('reports every reader when none is usable, and lets go of all of them when one is back', async () => {
    const { devices, seen, stop } = setup();
    await tick();
    devices.detach('reader-0');
    await tick();
    expect(seen).toEqual(['lost reader-0', 'lost sam-0']);
    devices.attach('reader-0');
    await tick();
    expect(seen.slice(2).sort()).toEqual(['restored reader-0', 'restored sam-0']);
    stop();
    devices.close();
  });

  it('reports the reader holding the document even when another reader works', async () => {
    const { devices, seen, stop } = setup('reader-0');
    devices.attach('sam-0');
    await tick();
    devices.detach('reader-0');
    await tick();
    expect(seen).toEqual(['lost reader-0']);
    stop();
    devices.close();
  });
});
