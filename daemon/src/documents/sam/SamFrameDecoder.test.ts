import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeSamCommand, encodeSamResponse } from './SamFrame.js';
import { SamFrameDecoder, type SamDecodeEvent } from './SamFrameDecoder.js';

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function feed(decoder: SamFrameDecoder, bytes: Uint8Array, cuts: number[]): SamDecodeEvent[] {
  const events: SamDecodeEvent[] = [];
  let last = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b)) {
    events.push(...decoder.push(bytes.subarray(last, cut)));
    last = cut;
  }
  events.push(...decoder.push(bytes.subarray(last)));
  return events;
}

describe('SamFrameDecoder', () => {
  it('decodes a frame split byte by byte', () => {
    const frame = encodeSamResponse(0x9f, Uint8Array.of(0, 0, 0, 0));
    const d = new SamFrameDecoder();
    const events = feed(d, frame, [...frame.keys()]);
    expect(events.map((e) => e.kind)).toEqual(['frame']);
    expect(d.bufferedBytes).toBe(0);
  });

  it('skips garbage before a frame, including a false preamble start', () => {
    const frame = encodeSamResponse(0x90);
    const bytes = Uint8Array.from([0x00, 0xaa, 0xaa, 0x13, 0xaa, 0xaa, 0xaa, 0x96, ...frame]);
    const d = new SamFrameDecoder();
    const events = d.push(bytes);
    expect(events).toHaveLength(1);
    expect(events[0]!.kind).toBe('frame');
    expect(d.discardedBytes).toBe(8);
  });

  it('reports a bad checksum and still finds the next frame', () => {
    const bad = encodeSamResponse(0x90);
    bad[bad.length - 1]! ^= 0xff;
    const good = encodeSamResponse(0x9f, Uint8Array.of(0, 0, 0, 0));
    const events = new SamFrameDecoder().push(Uint8Array.from([...bad, ...good]));
    expect(events.map((e) => (e.kind === 'error' ? e.error.code : 'frame'))).toEqual([
      'document_sam_frame_checksum',
      'frame',
    ]);
  });

  it('reports an out-of-range LEN and resynchronises', () => {
    const good = encodeSamResponse(0x90);
    const bytes = Uint8Array.from([0xaa, 0xaa, 0xaa, 0x96, 0x69, 0xff, 0xff, ...good]);
    const events = new SamFrameDecoder({ minLength: 4 }).push(bytes);
    expect(events.map((e) => (e.kind === 'error' ? e.error.code : 'frame'))).toEqual([
      'document_sam_frame_length',
      'frame',
    ]);
  });

  it('reports a LEN below the minimum', () => {
    const events = new SamFrameDecoder({ minLength: 4 }).push(
      Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x01, 0x01),
    );
    expect(events[0]).toMatchObject({ kind: 'error' });
  });

  it('holds a truncated frame until reset', () => {
    const frame = encodeSamResponse(0x90, new Uint8Array(100));
    const d = new SamFrameDecoder();
    expect(d.push(frame.subarray(0, 50))).toEqual([]);
    expect(d.bufferedBytes).toBe(50);
    d.reset();
    expect(d.bufferedBytes).toBe(0);
    expect(d.push(frame.subarray(50))).toEqual([]);
  });

  it('fuzz: random bytes never throw and every yielded frame has a valid checksum and bounded LEN', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (chunks) => {
        const d = new SamFrameDecoder();
        for (const c of chunks) {
          for (const ev of d.push(c)) {
            if (ev.kind === 'frame') {
              let x = 0;
              for (const b of ev.frame.bytes.subarray(5, ev.frame.bytes.length - 1)) x ^= b;
              expect(x).toBe(ev.frame.bytes[ev.frame.bytes.length - 1]);
              expect(ev.frame.body.length + 1).toBeGreaterThanOrEqual(3);
            } else {
              expect(['document_sam_frame_checksum', 'document_sam_frame_length']).toContain(
                ev.error.code,
              );
            }
          }
        }
        expect(d.bufferedBytes).toBeLessThanOrEqual(7 + 0x0a00 + 64 * 20);
      }),
      { numRuns: 500 },
    );
  });

  it('fuzz: frames surrounded by preamble-free garbage, in random chunks, decode exactly', () => {
    const garbage = fc
      .uint8Array({ maxLength: 40 })
      .map((g) => g.map((b) => (b === 0xaa ? 0x55 : b)));
    const frame = fc
      .tuple(
        fc.boolean(),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ maxLength: 300 }),
      )
      .map(([isCmd, a, b, data]) =>
        isCmd ? encodeSamCommand(a, b, data) : encodeSamResponse(a, data),
      );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(garbage, frame), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(2000), { maxLength: 10 }),
        (parts, cuts) => {
          const bytes = Uint8Array.from(parts.flatMap(([g, f]) => [...g, ...f]));
          const events = feed(new SamFrameDecoder(), bytes, cuts);
          const frames = events
            .filter((e) => e.kind === 'frame')
            .map((e) => (e.kind === 'frame' ? toHex(e.frame.bytes) : ''));
          expect(frames).toEqual(parts.map(([, f]) => toHex(f)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
