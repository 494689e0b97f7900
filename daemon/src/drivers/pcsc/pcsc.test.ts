import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PcscCardTransport, withLe, type PcscTransmitter } from './PcscCardTransport.js';
import { parseAtr } from './parseAtr.js';
import { PcscManager, type PcscliteContext } from './PcscManager.js';
import type { PcscliteReader } from './PcscReader.js';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

function scripted(pairs: [string, string | Error][]): PcscTransmitter & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    transmit(data, _len, _proto, cb) {
      sent.push(toHex(data));
      const next = pairs.shift();
      if (next === undefined) return cb(new Error('unexpected'), Buffer.alloc(0));
      if (next[0] !== toHex(data)) return cb(new Error(`expected ${next[0]}`), Buffer.alloc(0));
      const r = next[1];
      if (r instanceof Error) cb(r, Buffer.alloc(0));
      else cb(null, Buffer.from(hex(r)));
    },
  };
}

describe('parseAtr', () => {
  it('reads the extended-length bit from the card capabilities (the PC/SC contactless ATR)', () => {
    // 3B 85 80 01 | 80 73 B0 21 C0 | TCK
    const body = hex('3B858001807 3B021C0'.replace(/\s/g, ''));
    let tck = 0;
    for (const b of body.subarray(1)) tck ^= b;
    expect(parseAtr(Uint8Array.from([...body, tck])).extendedLength).toBe(true);
    const short = hex('3B8580018073B02180');
    expect(parseAtr(short).extendedLength).toBe(false);
    expect(toHex(parseAtr(short).historicalBytes)).toBe('8073B02180');
  });

  it('never throws on random bytes (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        const r = parseAtr(b);
        expect(typeof r.extendedLength).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('PcscCardTransport', () => {
  it('follows 61xx with GET RESPONSE and appends the data', async () => {
    const t = scripted([
      ['00B0000000', '0102036104'],
      ['00C0000004', '040506079000'],
    ]);
    const r = await new PcscCardTransport(t, 2, { extendedLength: false }).transmit(
      hex('00B0000000'),
    );
    expect(toHex(r)).toBe('010203040506079000');
  });

  it('checks every answer of a 61xx chain or a 6Cxx re-send like the first: cut-off status word, mute card', async () => {
    const codeOf = async (pairs: [string, string][], command: string): Promise<unknown> =>
      new PcscCardTransport(scripted(pairs), 2, { extendedLength: false })
        .transmit(hex(command))
        .then(
          () => 'resolved',
          (err: { code?: string }) => err.code,
        );
    expect(
      await codeOf(
        [
          ['00B0000000', '0102036104'],
          ['00C0000004', '90'],
        ],
        '00B0000000',
      ),
    ).toBe('document_response_truncated');
    expect(
      await codeOf(
        [
          ['00B0000000', '0102036104'],
          ['00C0000004', ''],
        ],
        '00B0000000',
      ),
    ).toBe('document_card_removed');
    expect(
      await codeOf(
        [
          ['00B0000010', '6C08'],
          ['00B0000008', '90'],
        ],
        '00B0000010',
      ),
    ).toBe('document_response_truncated');
  });

  it('passes a 6Cxx to a secure-messaging command up unchanged (its Le is inside the MAC; the reader re-authenticates)', async () => {
    for (const [sm, extendedLength] of [
      ['0CB000000D970101' + '8E080102030405060708' + '00', false],
      ['0CB0000000000D9701008E0811223344556677880000', true],
    ] as const) {
      const t = scripted([[sm, '6C00']]);
      expect(toHex(await new PcscCardTransport(t, 2, { extendedLength }).transmit(hex(sm)))).toBe(
        '6C00',
      );
      expect(t.sent).toEqual([sm]);
    }
  });

  it('re-sends with the Le of 6Cxx', async () => {
    const t = scripted([
      ['00B0000010', '6C08'],
      ['00B0000008', '11223344556677889000'],
    ]);
    expect(
      toHex(
        await new PcscCardTransport(t, 2, { extendedLength: false }).transmit(hex('00B0000010')),
      ),
    ).toBe('11223344556677889000');
  });

  it('re-sends an extended-length command after 6Cxx with the extended Le, and gives a command without Le one', async () => {
    // case 2E: READ BINARY with extended Le 0x0FDF
    const ext = scripted([
      ['00B00000000FDF', '6C80'],
      ['00B00000000080', '01029000'],
    ]);
    expect(
      toHex(
        await new PcscCardTransport(ext, 2, { extendedLength: true }).transmit(
          hex('00B00000000FDF'),
        ),
      ),
    ).toBe('01029000');
    // case 4E (extended Lc 000D, Le 0000); 6C00 means 256
    const ext4 = scripted([
      ['00CB3FFF00000D5C0B0102030405060708090A0B0000', '6C00'],
      ['00CB3FFF00000D5C0B0102030405060708090A0B0100', 'AB9000'],
    ]);
    expect(
      toHex(
        await new PcscCardTransport(ext4, 2, { extendedLength: true }).transmit(
          hex('00CB3FFF00000D5C0B0102030405060708090A0B0000'),
        ),
      ),
    ).toBe('AB9000');
    // case 3S: SELECT with data and no Le: the last data byte is kept, Le appended
    const noLe = scripted([
      ['00A4020C02011E', '6C10'],
      ['00A4020C02011E10', '9000'],
    ]);
    expect(
      toHex(
        await new PcscCardTransport(noLe, 2, { extendedLength: false }).transmit(
          hex('00A4020C02011E'),
        ),
      ),
    ).toBe('9000');
  });

  it('withLe sets Le in every command case and length form', () => {
    expect(toHex(withLe(hex('0084000008'), 8)!)).toBe('0084000008'); // 2S
    expect(toHex(withLe(hex('00840000'), 8)!)).toBe('0084000008'); // 1 → 2S
    expect(toHex(withLe(hex('00B0000000'), 256)!)).toBe('00B0000000');
    expect(toHex(withLe(hex('00B0000000'), 4063)!)).toBe('00B0000000' + '0FDF'); // 2S → 2E
    expect(toHex(withLe(hex('00B00000000FDF'), 65536)!)).toBe('00B00000000000'); // 2E
    expect(toHex(withLe(hex('00A4040C07A0000002471001'), 256)!)).toBe('00A4040C07A000000247100100'); // 3S
    expect(toHex(withLe(hex('00A4040C07A000000247100100'), 32)!)).toBe(
      '00A4040C07A000000247100120',
    ); // 4S
    expect(toHex(withLe(hex('00A4040C000007A0000002471001'), 32)!)).toBe(
      '00A4040C000007A00000024710010020',
    ); // 3E
    expect(withLe(hex('00A4040C07A00000'), 32)).toBeUndefined(); // Lc says 7, 4 bytes follow
    expect(withLe(hex('00A4040C07A0000002471001'), 300)).toBeUndefined(); // short command, long Le
  });

  it('maps a removed card to document_card_removed and other failures to document_transmission_failed', async () => {
    const removed = scripted([
      ['0084000008', new Error('SCardTransmit error: Card was removed.(0x80100069)')],
    ]);
    await expect(
      new PcscCardTransport(removed, 2, { extendedLength: false }).transmit(hex('0084000008')),
    ).rejects.toMatchObject({ code: 'document_card_removed' });
    const other = scripted([
      ['0084000008', new Error('SCardTransmit error: Transaction failed.(0x80100016)')],
    ]);
    await expect(
      new PcscCardTransport(other, 2, { extendedLength: false }).transmit(hex('0084000008')),
    ).rejects.toMatchObject({ code: 'document_transmission_failed' });
  });

  it('after a generic transmit failure asks the reader: a card that left is document_card_removed, a present one document_transmission_failed', async () => {
    const failing = (): PcscTransmitter =>
      scripted([['0084000008', new Error('SCardTransmit error: Transaction failed.(0x80100016)')]]);
    const asked: number[] = [];
    const gone = new PcscCardTransport(failing(), 2, {
      extendedLength: false,
      cardGone: async (ms) => (asked.push(ms), true),
    });
    await expect(gone.transmit(hex('0084000008'))).rejects.toMatchObject({
      code: 'document_card_removed',
    });
    expect(asked).toHaveLength(1);
    const present = new PcscCardTransport(failing(), 2, {
      extendedLength: false,
      cardGone: async () => false,
    });
    await expect(present.transmit(hex('0084000008'))).rejects.toMatchObject({
      code: 'document_transmission_failed',
    });
    // a removal pcscd already names is not second-guessed
    const named = new PcscCardTransport(
      scripted([['0084000008', new Error('SCardTransmit error: Card was removed.(0x80100069)')]]),
      2,
      { extendedLength: false, cardGone: async () => false },
    );
    await expect(named.transmit(hex('0084000008'))).rejects.toMatchObject({
      code: 'document_card_removed',
    });
  });

  it('a response without its status word is document_response_truncated', async () => {
    await expect(
      new PcscCardTransport(scripted([['0084000008', '90']]), 2, {
        extendedLength: false,
      }).transmit(hex('0084000008')),
    ).rejects.toMatchObject({ code: 'document_response_truncated' });
  });

  it('rejects with document_aborted when the signal is aborted', async () => {
    const c = new AbortController();
    c.abort();
    await expect(
      new PcscCardTransport(scripted([]), 2, { extendedLength: false }).transmit(
        hex('0084000008'),
        { signal: c.signal },
      ),
    ).rejects.toMatchObject({ code: 'document_aborted' });
  });
});

class FakeReader extends EventEmitter {
  readonly SCARD_SHARE_SHARED = 2;
  readonly SCARD_SHARE_EXCLUSIVE = 1;
  readonly SCARD_PROTOCOL_T0 = 1;
  readonly SCARD_PROTOCOL_T1 = 2;
  readonly SCARD_STATE_PRESENT = 0x20;
  readonly SCARD_STATE_EMPTY = 0x10;
  readonly SCARD_STATE_MUTE = 0x200;
  readonly SCARD_LEAVE_CARD = 0;
  readonly SCARD_RESET_CARD = 1;
  state = 0;
  connected = false;
  constructor(readonly name: string) {
    super();
  }
  connect(_o: unknown, cb: (err: unknown, protocol: number) => void): void {
    this.connected = true;
    cb(null, 2);
  }
  disconnect(_d: number, cb: (err: unknown) => void): void {
    this.connected = false;
    cb(null);
  }
  transmit(_d: Buffer, _l: number, _p: number, cb: (err: unknown, r: Buffer) => void): void {
    cb(null, Buffer.from([0x90, 0x00]));
  }
  close(): void {
    this.emit('end');
  }
}

describe('PcscManager / PcscReader', () => {
  it('cardGone: true at once when pcscd already reports the card gone, true when it reports it within the wait, false when the card stays', async () => {
    const ctx = new EventEmitter() as EventEmitter & PcscliteContext;
    (ctx as unknown as { close: () => void }).close = () => undefined;
    const pcsc = PcscManager.start(ctx);
    const raw = new FakeReader('Virtual PCD 00 01');
    ctx.emit('reader', raw as unknown as PcscliteReader);
    const reader = await pcsc.waitForReader({ name: 'Virtual PCD', timeoutMs: 100 });
    raw.emit('status', { state: 0x20, atr: Buffer.from(hex('3B8580018073B02180')) });
    const card = reader.card!;
    expect(await reader.cardGone(card, 30)).toBe(false);
    const later = reader.cardGone(card, 5000);
    setTimeout(() => raw.emit('status', { state: 0x10 }), 20);
    expect(await later).toBe(true);
    expect(await reader.cardGone(card, 5000)).toBe(true);
    raw.emit('status', { state: 0x20, atr: Buffer.from(hex('3B8580018073B02180')) });
    expect(await reader.cardGone(card, 10)).toBe(true); // another card is not the one that was read
    pcsc.close();
  });

  it('emits reader, card, card.off and end from pcsclite status changes', async () => {
    const ctx = new EventEmitter() as EventEmitter & PcscliteContext;
    (ctx as unknown as { close: () => void }).close = () => undefined;
    const pcsc = PcscManager.start(ctx);
    const events: string[] = [];
    pcsc.on('reader', (r) => {
      events.push(`reader:${r.name}`);
      r.on('card', (c) => events.push(`card:${c.extendedLength}`));
      r.on('card.off', () => events.push('card.off'));
      r.on('end', () => events.push('end'));
    });
    const raw = new FakeReader('Virtual PCD 00 00');
    ctx.emit('reader', raw as unknown as PcscliteReader);
    const reader = await pcsc.waitForReader({ name: 'Virtual PCD', timeoutMs: 100 });
    await expect(reader.connect()).rejects.toMatchObject({ code: 'document_no_card' });
    raw.emit('status', { state: 0x20, atr: Buffer.from(hex('3B8580018073B021C0')) });
    const transport = await reader.connect();
    expect(toHex(await transport.transmit(hex('00A4040C07A0000002471001')))).toBe('9000');
    raw.emit('status', { state: 0x10 });
    raw.close();
    expect(events).toEqual(['reader:Virtual PCD 00 00', 'card:true', 'card.off', 'end']);
    expect(pcsc.readers).toHaveLength(0);
    await expect(pcsc.waitForReader({ timeoutMs: 10 })).rejects.toMatchObject({
      code: 'document_reader_unavailable',
    });
    pcsc.close();
  });
});
