import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from './openStore.js';
import type { Store } from './Store.js';

let dir: string;
let store: Store;
const clock = 1_000;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kycd-sessions-'));
  store = openStore({ dataDir: dir, now: () => clock });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SessionEventLog', () => {
  it('replays events after a seq, in order, and refuses a duplicate seq', () => {
    for (let seq = 0; seq < 5; seq++)
      store.events.append('s-1', seq, { event: 'session.state', data: { seq }, seq });
    store.events.append('s-2', 0, { event: 'other' });
    expect(store.events.since('s-1', 2).map((e) => e.seq)).toEqual([3, 4]);
    expect(store.events.since('s-1', -1)).toHaveLength(5);
    expect(store.events.since('s-1', 2)[0]?.event).toEqual({
      event: 'session.state',
      data: { seq: 3 },
      seq: 3,
    });
    expect(store.events.lastSeq('s-1')).toBe(4);
    expect(store.events.lastSeq('none')).toBe(-1);
    expect(() => store.events.append('s-1', 4, {})).toThrow(RangeError);
    expect(() => store.events.append('s-1', -1, {})).toThrow(RangeError);
    expect(() => store.events.append('s-1', 1.5, {})).toThrow(RangeError);
  });
});

describe('SessionEventLog privacy', () => {
  const jpegBase64 = Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
    Buffer.alloc(200, 7),
  ]).toString('base64');

  it('never stores a face.preview frame', () => {
    expect(
      store.events.append('s-1', 1, {
        event: 'face.preview',
        data: { jpeg: jpegBase64, width: 2, height: 2 },
        seq: 1,
      }),
    ).toBe(false);
    expect(store.events.since('s-1', -1)).toEqual([]);
    const raw = store.db.prepare('SELECT COUNT(*) AS n FROM session_events').get() as { n: number };
    expect(raw.n).toBe(0);
  });

  it('replaces image payloads and long number vectors inside other events', () => {
    const embedding = Array.from({ length: 128 }, (_, i) => i / 128);
    expect(
      store.events.append('s-1', 2, {
        event: 'custom.thing',
        data: {
          label: 'kept',
          nested: { image: jpegBase64, uri: 'data:image/png;base64,AAAA' },
          embedding,
          small: [1, 2, 3],
          buffer: new Uint8Array([1, 2, 3]).buffer,
        },
        seq: 2,
      }),
    ).toBe(true);
    const [stored] = store.events.since('s-1', -1);
    expect(stored?.event).toEqual({
      event: 'custom.thing',
      data: {
        label: 'kept',
        nested: { image: '[not stored]', uri: '[not stored]' },
        embedding: '[not stored]',
        small: [1, 2, 3],
        buffer: '[not stored]',
      },
      seq: 2,
    });
    expect(
      JSON.stringify(store.db.prepare('SELECT event_json FROM session_events').all()),
    ).not.toContain(jpegBase64.slice(0, 40));
  });
});
