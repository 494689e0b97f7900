import { afterEach, describe, expect, it } from 'vitest';
import { DeviceRegistry, type DeviceInfo } from './DeviceRegistry.js';

let devices: DeviceRegistry;
afterEach(() => devices.close());

describe('DeviceRegistry errors', () => {
  it('shows why a device is unusable, and clears it when the device is back', async () => {
    devices = new DeviceRegistry();
    const seen: DeviceInfo[] = [];
    devices.on('changed', (d) => seen.push(d));
    devices.add(
      { id: 'cam', kind: 'camera', name: 'camera', simulated: false },
      { attached: false },
    );
    expect(devices.get('cam')).toEqual({
      id: 'cam',
      kind: 'camera',
      name: 'camera',
      state: 'absent',
      simulated: false,
    });
    devices.detach('cam', {
      code: 'camera_virtual_refused',
      message: 'refusing virtual camera "OBS Virtual Camera"',
    });
    expect(devices.get('cam')).toMatchObject({
      state: 'absent',
      error: { code: 'camera_virtual_refused' },
    });
    await Promise.resolve(); // listeners hear of it once the device's transition is done
    expect(seen.at(-1)).toMatchObject({
      state: 'absent',
      error: { code: 'camera_virtual_refused' },
    });
    const count = seen.length;
    devices.detach('cam', {
      code: 'camera_virtual_refused',
      message: 'refusing virtual camera "OBS Virtual Camera"',
    });
    await Promise.resolve();
    expect(seen).toHaveLength(count); // the same reason again is no change
    devices.attach('cam');
    await new Promise((r) => setTimeout(r, 0));
    expect(devices.get('cam')).toEqual({
      id: 'cam',
      kind: 'camera',
      name: 'camera',
      state: 'ready',
      simulated: false,
    });
    devices.detach('cam');
    expect(devices.get('cam')).toMatchObject({
      state: 'absent',
      error: { code: 'device_detached' },
    });
    devices.attach('cam');
    await new Promise((r) => setTimeout(r, 0));
    devices.detach('cam', { code: 'camera_unplugged', message: 'ffmpeg: device gone' });
    expect(devices.get('cam')).toMatchObject({
      state: 'absent',
      error: { code: 'camera_unplugged' },
    });
  });

  it('tells listeners of a new device and then of each state it reaches, in order, once each', async () => {
    devices = new DeviceRegistry();
    const seen: string[] = [];
    devices.on('changed', (d) => seen.push(`${d.id}:${d.state}`));
    devices.add({ id: 'cam', kind: 'camera', name: 'camera', simulated: false });
    devices.add(
      { id: 'sam', kind: 'sam-reader', name: 'SAM', simulated: false },
      { attached: false },
    );
    expect(devices.get('cam')?.state).toBe('opening'); // the registry itself is never behind
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual(['cam:absent', 'cam:present', 'cam:opening', 'sam:absent', 'cam:ready']);
  });

  it('shows the code of a fault while the device is in error', async () => {
    devices = new DeviceRegistry();
    devices.add({ id: 'r', kind: 'pcsc-reader', name: 'reader', simulated: false });
    await new Promise((r) => setTimeout(r, 0));
    devices.fault('r', { code: 'device_fault', message: 'reader reset' });
    expect(devices.get('r')).toMatchObject({
      state: 'error',
      error: { code: 'device_fault', message: 'reader reset' },
    });
  });
});
