import { KycdError } from '@kycd/plugin-sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSessionServices } from '../sessions/createSessionServices.js';
import { DeviceRegistry } from './DeviceRegistry.js';
import type { DocumentReaderDevice } from './DocumentReaderDevice.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));
let devices: DeviceRegistry;
afterEach(() => {
  vi.useRealTimers();
  devices.close();
});

async function registry() {
  devices = new DeviceRegistry();
  const states: string[] = [];
  devices.on('changed', (d) => states.push(`${d.id}:${d.state}`));
  devices.add({ id: 'cam', kind: 'camera', name: 'camera', simulated: true });
  devices.add({ id: 'reader', kind: 'pcsc-reader', name: 'reader', simulated: true });
  await tick();
  states.length = 0;
  return states;
}

describe('DeviceRegistry: a session using a device (ready ⇄ busy) and its faults', () => {
  it('acquires a ready device for one owner and releases it', async () => {
    const states = await registry();
    expect(devices.acquire('cam', 'session-1')).toBe(true);
    expect(devices.get('cam')?.state).toBe('busy');
    expect(devices.acquire('cam', 'session-2')).toBe(false); // busy with session-1
    expect(devices.acquire('nope', 'session-1')).toBe(false);
    devices.release('cam');
    await Promise.resolve(); // listeners hear of a change once the device's transition is done
    expect(states).toEqual(['cam:busy', 'cam:ready']);
    devices.detach('cam');
    expect(devices.acquire('cam', 'session-1')).toBe(false);
  });

  it('use(): busy while the work runs, ready after, faulted (→ error → recovering → ready) on a listed code only', async () => {
    const states = await registry();
    let during: string | undefined;
    await devices.use('reader', 's', async () => void (during = devices.get('reader')?.state));
    expect(during).toBe('busy');
    expect(devices.get('reader')?.state).toBe('ready');
    await expect(
      devices.use(
        'reader',
        's',
        () => Promise.reject(new KycdError('document_card_removed', 'pulled')),
        ['document_reader_unavailable'],
      ),
    ).rejects.toThrow('pulled');
    expect(devices.get('reader')?.state).toBe('ready');
    vi.useFakeTimers();
    await expect(
      devices.use(
        'reader',
        's',
        () => Promise.reject(new KycdError('document_reader_unavailable', 'pcscd is down')),
        ['document_reader_unavailable'],
      ),
    ).rejects.toThrow();
    expect(devices.get('reader')).toMatchObject({ state: 'error' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(devices.get('reader')?.state).toBe('ready');
    expect(states.filter((s) => s.startsWith('reader:')).slice(-4)).toEqual([
      'reader:busy',
      'reader:error',
      'reader:recovering',
      'reader:ready',
    ]);
  });
  it('use(): a use that outlives an unplug and replug neither frees nor faults the device a later use holds', async () => {
    const states = await registry();
    let finishFirst!: (err: Error) => void;
    const first = devices.use(
      'cam',
      'session-1',
      () => new Promise<never>((_, reject) => (finishFirst = reject)),
      ['camera_stream_failed'],
    );
    devices.detach('cam');
    devices.attach('cam');
    await tick();
    expect(devices.get('cam')?.state).toBe('ready');
    let finishSecond!: () => void;
    const second = devices.use(
      'cam',
      'session-1',
      () => new Promise<void>((resolve) => (finishSecond = resolve)),
    );
    expect(devices.get('cam')?.state).toBe('busy');
    // The first (interrupted) capture ends late, with a fault code: the resumed capture keeps the camera.
    finishFirst(new KycdError('camera_stream_failed', 'the old stream ended'));
    await expect(first).rejects.toThrow('the old stream ended');
    expect(devices.get('cam')?.state).toBe('busy');
    finishSecond();
    await second;
    expect(devices.get('cam')?.state).toBe('ready');
    expect(states.slice(-2)).toEqual(['cam:busy', 'cam:ready']);
  });

  it('use() from a listener of the device turning ready (a session resuming) holds the device and gives it back', async () => {
    await registry();
    devices.detach('cam');
    await tick();
    let during: string | undefined;
    let resumed: Promise<void> | undefined;
    devices.on('changed', (d) => {
      if (d.id !== 'cam' || d.state !== 'ready' || resumed !== undefined) return;
      resumed = devices.use('cam', 'session-1', async () => {
        await tick();
        during = devices.get('cam')?.state;
      });
    });
    devices.attach('cam');
    await tick();
    expect(resumed).toBeDefined();
    await resumed;
    expect(during).toBe('busy');
    // not left busy by an acquisition the registry could not see take
    expect(devices.get('cam')?.state).toBe('ready');
  });
});

describe('createSessionServices with a DeviceRegistry', () => {
  function services(read: () => Promise<never>, capture: () => Promise<never>) {
    const reader: DocumentReaderDevice = {
      id: 'reader',
      documentKind: 'emrtd',
      present: true,
      watch: () => () => undefined,
      read,
    };
    return createSessionServices({
      readers: () => [reader],
      face: { captureFace: capture, matchFace: () => Promise.reject(new Error('unused')) },
      registration: { submitRegistration: () => Promise.reject(new Error('unused')) },
      devices,
    });
  }
  const readInput = {
    kind: 'emrtd' as const,
    credentials: undefined,
    attempt: 1,
    sessionId: 's-1',
    signal: new AbortController().signal,
    publish: () => undefined,
    onProgress: () => undefined,
  };

  it('marks the reader and the camera busy while a session uses them, and faults them on device errors', async () => {
    await registry();
    const seen: string[] = [];
    const s = services(
      () => {
        seen.push(`read:${devices.get('reader')?.state}`);
        return Promise.reject(
          new KycdError('document_reader_unavailable', 'the reader is gone from pcscd'),
        );
      },
      () => {
        seen.push(`capture:${devices.get('cam')?.state}`);
        return Promise.reject(new KycdError('camera_stalled', 'no frame for 3000 ms'));
      },
    );
    const watched: string[] = [];
    s.watchDevices!((e) => watched.push(`${e.type} ${e.device.id}`));
    await expect(s.readDocument(readInput)).rejects.toThrow();
    await expect(
      s.captureFace({
        attempt: 1,
        sessionId: 's-1',
        signal: new AbortController().signal,
        publish: () => undefined,
      }),
    ).rejects.toThrow();
    expect(seen).toEqual(['read:busy', 'capture:busy']);
    expect(devices.get('reader')?.state).toBe('error');
    expect(devices.get('cam')?.state).toBe('error');
    expect(watched).toEqual(['lost reader', 'lost cam']);
  });

  it('does not report busy → ready as a device coming back', async () => {
    await registry();
    const s = services(
      () => Promise.reject(new KycdError('document_card_removed', 'pulled')),
      () => Promise.reject(new Error('unused')),
    );
    const watched: string[] = [];
    s.watchDevices!((e) => watched.push(`${e.type} ${e.device.id}`));
    await expect(s.readDocument(readInput)).rejects.toThrow('pulled');
    await tick();
    expect(devices.get('reader')?.state).toBe('ready');
    expect(watched).toEqual([]);
  });
});
