import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseServerFrame } from './parseServerFrame.js';

describe('parseServerFrame', () => {
  it('classifies results, errors, known and unknown events', () => {
    expect(parseServerFrame('{"id":1,"result":{"ok":true}}')).toEqual({
      kind: 'result',
      id: 1,
      result: { ok: true },
    });
    expect(
      parseServerFrame('{"id":null,"error":{"code":"invalid_json","message":"x"}}'),
    ).toMatchObject({ kind: 'error', id: null });
    expect(
      parseServerFrame(
        '{"event":"match.result","data":{"score":0.5,"threshold":0.4,"decision":"match"},"sessionId":"s1","seq":3}',
      ),
    ).toEqual({
      kind: 'event',
      event: 'match.result',
      data: { score: 0.5, threshold: 0.4, decision: 'match' },
      sessionId: 's1',
      seq: 3,
    });
    expect(parseServerFrame('{"event":"brand.new","data":{},"seq":1}')).toEqual({
      kind: 'unknownEvent',
      event: 'brand.new',
    });
  });

  it('marks off-schema frames invalid', () => {
    for (const text of [
      'x',
      '[]',
      'null',
      '{"id":1}',
      '{"id":1,"result":1,"error":{}}',
      '{"event":"match.result","data":{"score":"high"},"seq":1}',
      '{"event":7}',
    ]) {
      expect(parseServerFrame(text).kind).toBe('invalid');
    }
    expect(parseServerFrame(new Uint8Array([1, 2]))).toMatchObject({ kind: 'invalid' });
  });

  it('never throws on random input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc
            .anything()
            .map((v) => JSON.stringify({ event: 'session.state', data: v, seq: 1 }) ?? ''),
        ),
        (text) => {
          const frame = parseServerFrame(text);
          expect(['result', 'error', 'event', 'unknownEvent', 'invalid']).toContain(frame.kind);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('parseServerFrame forward compatibility', () => {
  it('accepts events with fields this SDK does not know (a newer daemon)', () => {
    const frame = parseServerFrame(
      '{"event":"match.result","data":{"score":0.5,"threshold":0.4,"decision":"match","model":"arcface-r100"},"sessionId":"s1","seq":3,"ts":1}',
    );
    expect(frame.kind).toBe('event');
  });
});
