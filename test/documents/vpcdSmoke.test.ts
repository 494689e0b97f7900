/**
 * Smoke test of the real PC/SC stack: a private pcscd with the vpcd driver sees the virtual
 * reader, the virtual eMRTD's ATR when it is inserted, answers an APDU through pcsclite, and
 * reports the card gone after removal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pcsclite from '@pokusew/pcsclite';
import { createSampleHolder, SimulatedDocumentReader, VirtualEmrtd } from '@kycd/hardware-sim';
import { claimVpcdSlot, startPcscd, type PcscdHandle, type VpcdSlot } from '../setup/pcscd.js';

type PcscLite = ReturnType<typeof pcsclite>;
type CardReader = Parameters<Parameters<PcscLite['on']>[1]>[0];

let pcscd: PcscdHandle;
let slot: VpcdSlot;
let pcsc: PcscLite | undefined;

beforeAll(async () => {
  pcscd = await startPcscd();
  slot = await claimVpcdSlot();
});

afterAll(async () => {
  pcsc?.close();
  slot?.release();
  await pcscd?.stop();
});

function waitForReader(p: PcscLite, name: string): Promise<CardReader> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`reader ${name} not seen`)), 10_000);
    p.on('reader', (reader: CardReader) => {
      reader.on('error', () => undefined);
      if (reader.name === name) {
        clearTimeout(timer);
        resolve(reader);
      }
    });
    p.on('error', reject);
  });
}

function waitForStatus(
  reader: CardReader,
  predicate: (state: number, atr?: Buffer) => boolean,
): Promise<{ state: number; atr?: Buffer }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('status not reached')), 10_000);
    const onStatus = (status: { state: number; atr?: Buffer }): void => {
      if (predicate(status.state, status.atr)) {
        clearTimeout(timer);
        reader.off('status', onStatus);
        resolve(status);
      }
    };
    reader.on('status', onStatus);
  });
}

describe('virtual eMRTD on pcscd + vpcd', () => {
  it('is seen by pcscd with its ATR and answers SELECT through PC/SC', async () => {
    const simReader = await SimulatedDocumentReader.create({ port: slot.port });
    simReader.on('error', () => undefined);
    expect(simReader.readerName).toBe(slot.readerName);
    pcsc = pcsclite();
    const reader = await waitForReader(pcsc, slot.readerName);
    const card = await VirtualEmrtd.create({
      holder: await createSampleHolder(),
      pki: simReader.pki,
    });
    const present = waitForStatus(
      reader,
      (state, atr) =>
        (state & reader.SCARD_STATE_PRESENT) !== 0 && atr !== undefined && atr.length > 0,
    );
    await simReader.insert(card);
    const status = await present;
    expect(
      Buffer.from(status.atr ?? [])
        .toString('hex')
        .toUpperCase(),
    ).toBe(Buffer.from(card.atr).toString('hex').toUpperCase());
    const protocol = await new Promise<number>((resolve, reject) =>
      reader.connect(
        { share_mode: reader.SCARD_SHARE_SHARED },
        (err: Error | undefined, p: number) => (err ? reject(err) : resolve(p)),
      ),
    );
    const response = await new Promise<Buffer>((resolve, reject) =>
      reader.transmit(
        Buffer.from('00A4040C07A0000002471001', 'hex'),
        258,
        protocol,
        (err: Error | undefined, data: Buffer) => (err ? reject(err) : resolve(data)),
      ),
    );
    expect(response.toString('hex')).toBe('9000');
    const gone = waitForStatus(reader, (state) => (state & reader.SCARD_STATE_EMPTY) !== 0);
    await simReader.remove();
    await gone;
    await new Promise<void>((resolve) =>
      reader.disconnect(reader.SCARD_LEAVE_CARD, () => resolve()),
    );
  });
});
