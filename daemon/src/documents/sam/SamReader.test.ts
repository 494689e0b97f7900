import fc from 'fast-check';
import { KycdError } from '@kycd/plugin-sdk';
import { VirtualSamReader } from '@kycd/hardware-sim';
import { describe, expect, it } from 'vitest';
import { memorySamTransport, scriptedSamTransport } from './__fixtures__/memorySamTransport.js';
import { encodeSamResponse } from './SamFrame.js';
import { SamError } from './SamError.js';
import { SamReader } from './SamReader.js';
import { SAM_STATUS } from './SamStatus.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(KycdError);
    return (err as KycdError).code;
  }
  throw new Error('expected a rejection');
}

describe('SamReader against the virtual SAM (in memory)', () => {
  it('runs find → select → read and sends the exact command frames', async () => {
    const sim = new VirtualSamReader({ card: {} });
    const t = memorySamTransport(sim, { chunk: 7 });
    const reader = new SamReader(t);
    await reader.getSamStatus();
    const samId = await reader.readSamId();
    expect(samId.formatted).toBe('05.01-20101126-0000000042-0123456789');
    await reader.findCard();
    await reader.selectCard();
    const base = await reader.readBaseInfo();
    expect(base.text.length).toBe(256);
    expect(base.photo.length).toBe(1024);
    expect(hex(base.photo.subarray(0, 6))).toBe('574C66007E00');
    expect(await reader.readAppendedAddress()).toEqual([]);
    expect(t.written.map(hex)).toEqual([
      'AAAAAA9669000311FFED',
      'AAAAAA9669000312FFEE',
      'AAAAAA96690003200122',
      'AAAAAA96690003200221',
      'AAAAAA96690003300132',
      'AAAAAA96690003300330',
    ]);
    await reader.close();
  });

  it('after a read the card must leave the field before find-card succeeds again', async () => {
    const sim = new VirtualSamReader({ card: {} });
    const reader = new SamReader(memorySamTransport(sim));
    await reader.findCard();
    await reader.selectCard();
    await reader.readBaseInfo();
    expect(reader.cardMustLeaveField).toBe(true);
    const err = await reader.findCard().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SamError);
    expect((err as SamError).code).toBe('document_no_card');
    expect((err as SamError).data).toMatchObject({
      hint: 'card_must_leave_field',
      sw3: '80',
      step: 'findCard',
    });
    sim.removeCard();
    sim.insertCard();
    await reader.findCard();
    expect(reader.cardMustLeaveField).toBe(false);
  });

  it('reads appended addresses', async () => {
    const sim = new VirtualSamReader({
      card: { appendedAddresses: ['北京市朝阳区测试路2号', '上海市浦东新区测试路3号'] },
    });
    const reader = new SamReader(memorySamTransport(sim));
    await reader.findCard();
    await reader.selectCard();
    await reader.readBaseInfo();
    expect(await reader.readAppendedAddress()).toEqual([
      '北京市朝阳区测试路2号',
      '上海市浦东新区测试路3号',
    ]);
  });

  it('select without a found card is 81 → document_sam_card_select_failed', async () => {
    const reader = new SamReader(memorySamTransport(new VirtualSamReader()));
    expect(await codeOf(reader.selectCard())).toBe('document_sam_card_select_failed');
    expect(await codeOf(reader.findCard())).toBe('document_no_card');
  });

  it('one command at a time even when called concurrently', async () => {
    const sim = new VirtualSamReader({ card: {} });
    const reader = new SamReader(memorySamTransport(sim));
    await Promise.all([
      reader.getSamStatus(),
      reader.readSamId(),
      reader.findCard(),
      reader.selectCard(),
    ]);
    expect(sim.commandLog).toEqual(['getSamStatus', 'readSamId', 'findCard', 'selectCard']);
  });

  it('a slow SAM times out with document_sam_timeout, and its late reply does not answer the next command', async () => {
    const sim = new VirtualSamReader({ card: {} });
    sim.injectFault({ kind: 'slow', delayMs: 80, command: 'findCard' });
    const reader = new SamReader(memorySamTransport(sim), { timeouts: { findCard: 20 } });
    const err = (await reader.findCard().catch((e: unknown) => e)) as SamError;
    expect(err.code).toBe('document_sam_timeout');
    expect(err.data).toMatchObject({ step: 'findCard', timeoutMs: 20 });
    sim.clearFaults();
    // The late 9F arrives during this wait; selectCard must get its own answer.
    await new Promise((r) => setTimeout(r, 100));
    await reader.selectCard();
  });

  it('aborting rejects with document_aborted', async () => {
    const sim = new VirtualSamReader({ card: {} });
    sim.injectFault({ kind: 'slow', delayMs: 1000, command: 'findCard' });
    const reader = new SamReader(memorySamTransport(sim));
    const ac = new AbortController();
    const p = reader.findCard({ signal: ac.signal });
    ac.abort();
    expect(await codeOf(p)).toBe('document_aborted');
    sim.stop();
  });

  it('a link that fails rejects the pending command and every later one with document_sam_transport_failed', async () => {
    const sim = new VirtualSamReader({ card: {} });
    sim.injectFault({ kind: 'slow', delayMs: 1000, command: 'findCard' });
    const t = memorySamTransport(sim);
    const reader = new SamReader(t);
    const p = reader.findCard();
    t.fail(new Error('unplugged'));
    expect(await codeOf(p)).toBe('document_sam_transport_failed');
    expect(await codeOf(reader.getSamStatus())).toBe('document_sam_transport_failed');
    sim.stop();
  });

  it.each([...SAM_STATUS.values()].filter((s) => s.errorCode !== undefined))(
    'SAM status $sw3 ($meaning) maps to its stable code',
    async (status) => {
      const reader = new SamReader(scriptedSamTransport([encodeSamResponse(status.sw3)]));
      const err = (await reader.getSamStatus().catch((e: unknown) => e)) as SamError;
      expect(err).toBeInstanceOf(SamError);
      expect(err.code).toBe(status.errorCode);
      expect(err.sw3).toBe(status.sw3);
      expect(err.message).toContain(status.meaning);
    },
  );

  it('an undocumented status is document_sam_status_unknown', async () => {
    const reader = new SamReader(scriptedSamTransport([encodeSamResponse(0x77)]));
    expect(await codeOf(reader.getSamStatus())).toBe('document_sam_status_unknown');
  });

  it('frame faults answer the command that was waiting, named by step', async () => {
    const bad = encodeSamResponse(0x90);
    bad[bad.length - 1]! ^= 1;
    const reader = new SamReader(
      scriptedSamTransport([
        bad,
        Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x02, 0, 0),
        encodeSamResponse(0x90),
      ]),
    );
    const e1 = (await reader.resetSam().catch((e: unknown) => e)) as SamError;
    expect([e1.code, e1.step]).toEqual(['document_sam_frame_checksum', 'resetSam']);
    const e2 = (await reader.getSamStatus().catch((e: unknown) => e)) as SamError;
    expect([e2.code, e2.step]).toEqual(['document_sam_frame_length', 'getSamStatus']);
    await reader.getSamStatus();
  });

  it('read-base-info with wrong inner lengths is document_sam_response_malformed', async () => {
    const data = new Uint8Array(4 + 256 + 1000);
    data.set([0x01, 0x00, 0x03, 0xe8]);
    const reader = new SamReader(
      scriptedSamTransport([
        encodeSamResponse(0x90, data),
        encodeSamResponse(0x90, Uint8Array.of(1, 0, 4, 0, 1)),
      ]),
    );
    expect(await codeOf(reader.readBaseInfo())).toBe('document_sam_response_malformed');
    expect(await codeOf(reader.readBaseInfo())).toBe('document_sam_response_malformed');
  });

  it('refuses bad timeouts synchronously', () => {
    expect(() => new SamReader(scriptedSamTransport([]), { timeouts: { findCard: 0 } })).toThrow(
      RangeError,
    );
  });

  it('fuzz: a hostile SAM (random bytes, random statuses, mutated read frames) only ever yields a result or a KycdError', async () => {
    const sim = new VirtualSamReader({ card: {} });
    const goodRead = await (async () => {
      const reader = new SamReader(memorySamTransport(sim));
      await reader.findCard();
      await reader.selectCard();
      return encodeSamResponse(
        0x90,
        Uint8Array.from([
          1,
          0,
          4,
          0,
          ...(await reader.readBaseInfo()).text,
          ...new Uint8Array(1024),
        ]),
      );
    })();
    const reply = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc
        .tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 40 }))
        .map(([sw3, data]) => encodeSamResponse(sw3, data)),
      fc
        .array(fc.tuple(fc.nat(goodRead.length - 1), fc.integer({ min: 0, max: 255 })), {
          maxLength: 3,
        })
        .map((edits) => {
          const b = goodRead.slice();
          for (const [i, v] of edits) b[i] = v;
          return b;
        }),
    );
    await fc.assert(
      fc.asyncProperty(
        reply,
        fc.constantFrom(
          'getSamStatus',
          'readSamId',
          'findCard',
          'readBaseInfo',
          'readAppendedAddress',
        ),
        async (bytes, step) => {
          const reader = new SamReader(scriptedSamTransport([bytes]), {
            timeouts: {
              getSamStatus: 15,
              readSamId: 15,
              findCard: 15,
              readBaseInfo: 15,
              readAppendedAddress: 15,
            },
          });
          try {
            await reader[step as 'getSamStatus']();
          } catch (err) {
            expect(err).toBeInstanceOf(KycdError);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
