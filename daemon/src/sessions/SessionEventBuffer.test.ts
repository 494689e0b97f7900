import { describe, expect, it } from 'vitest';
import { SessionEventBuffer } from './SessionEventBuffer.js';

describe('SessionEventBuffer', () => {
  it('numbers events from 1 and serialises the wire frame once', () => {
    const log = new SessionEventBuffer('s1');
    const a = log.append('session.state', { state: 'document.waiting' });
    const b = log.append('document.progress', { bytesRead: 10 });
    expect([a.seq, b.seq, log.lastSeq]).toEqual([1, 2, 2]);
    expect(JSON.parse(a.frame)).toEqual({
      event: 'session.state',
      data: { state: 'document.waiting' },
      sessionId: 's1',
      seq: 1,
    });
  });

  it('returns what follows a seq, and nothing twice', () => {
    const log = new SessionEventBuffer('s1');
    for (let i = 0; i < 5; i++) log.append('e', i);
    expect(log.since(3)?.map((e) => e.seq)).toEqual([4, 5]);
    expect(log.since(5)).toEqual([]);
    expect(log.since(0)?.length).toBe(5);
  });

  it('says when the requested events are no longer kept', () => {
    const log = new SessionEventBuffer('s1', 3);
    for (let i = 0; i < 5; i++) log.append('e', i);
    expect(log.since(1)).toBeUndefined();
    expect(log.since(2)?.map((e) => e.seq)).toEqual([3, 4, 5]);
  });
});
