import { beforeAll, describe, expect, it } from 'vitest';
import { TestPki } from '../pki/TestPki.js';
import { createSampleHolder } from './createSampleHolder.js';
import type { EmrtdFaults } from './EmrtdFaults.js';
import { EF } from './EmrtdFiles.js';
import type { EmrtdHolder } from './EmrtdHolder.js';
import { parseTlvs } from './Tlv.js';
import { TestTerminal } from './__fixtures__/TestTerminal.js';
import { verifySod } from './__fixtures__/verifySod.js';
import { VirtualEmrtd, type VirtualEmrtdCreateOptions } from './VirtualEmrtd.js';

let pki: TestPki;
let holder: EmrtdHolder;
beforeAll(async () => {
  pki = await TestPki.create();
  holder = await createSampleHolder();
});

async function session(
  faults: EmrtdFaults,
  options: Partial<VirtualEmrtdCreateOptions> = {},
): Promise<{ card: VirtualEmrtd; terminal: TestTerminal }> {
  const card = await VirtualEmrtd.create({
    holder,
    pki,
    faults,
    activeAuthentication: true,
    ...options,
  });
  card.powerOn();
  const terminal = new TestTerminal(card);
  await terminal.send('00A4040C07A0000002471001');
  expect((await terminal.pace({ mrz: card.files.mrz.mrzInformation })).sw).toBe(0x9000);
  return { card, terminal };
}

describe('Chip Authentication and Active Authentication', () => {
  it('a genuine chip passes CA (new SM keys work) and AA (signature verifies)', async () => {
    const { terminal } = await session({});
    const dg14 = await terminal.readFile(EF.dg14);
    const dg15 = await terminal.readFile(EF.dg15);
    expect(await terminal.activeAuthentication(dg15)).toBe(true);
    expect((await terminal.chipAuthentication(dg14)).sw).toBe(0x9000);
    expect((await terminal.readFile(EF.com)).length).toBeGreaterThan(0);
  });

  it('a cloned chip fails both: AA signature is wrong, and after CA the chip cannot verify the terminal (6988)', async () => {
    const { terminal } = await session({ chipClone: true });
    const dg14 = await terminal.readFile(EF.dg14);
    const dg15 = await terminal.readFile(EF.dg15);
    expect(await terminal.activeAuthentication(dg15)).toBe(false);
    expect((await terminal.chipAuthentication(dg14)).sw).toBe(0x9000);
    await expect(terminal.readFile(EF.com)).rejects.toMatchObject({ code: 'status', sw: 0x6988 });
  });

  it('a clone hiding DG14/DG15: EF.COM lists neither, selecting them answers 6A82, EF.SOD still lists both hashes', async () => {
    const { card, terminal } = await session({ hideCloneDetection: true });
    const com = parseTlvs(
      parseTlvs(await terminal.readFile(EF.com))[0]?.value ?? new Uint8Array(0),
    );
    const tags = [...(com.find((o) => o.tag === 0x5c)?.value ?? [])];
    expect(tags).toEqual([0x61, 0x75]);
    await expect(terminal.readFile(EF.dg14)).rejects.toMatchObject({ code: 'status', sw: 0x6a82 });
    await expect(terminal.readFile(EF.dg15)).rejects.toMatchObject({ code: 'status', sw: 0x6a82 });
    const sod = await verifySod(await terminal.readFile(EF.sod), pki.csca.certificate);
    expect(sod.signatureValid).toBe(true);
    expect([...sod.hashes.keys()].sort((a, b) => a - b)).toEqual([1, 2, 14, 15]);
    expect(card.files.files.has(EF.dg14)).toBe(true); // the generated files are intact; only the card hides them
  });

  it('runs 3DES Chip Authentication (MSE:Set KAT) on a BAC chip; a clone fails it', async () => {
    for (const chipClone of [false, true]) {
      const card = await VirtualEmrtd.create({
        holder,
        pki,
        accessControl: 'bac-only',
        chipAuthenticationCipher: '3DES',
        faults: { chipClone },
      });
      card.powerOn();
      const terminal = new TestTerminal(card);
      await terminal.send('00A4040C07A0000002471001');
      expect((await terminal.bac(card.files.mrz.mrzInformation)).sw).toBe(0x9000);
      const dg14 = await terminal.readFile(EF.dg14, 231);
      expect(Buffer.from(dg14).includes(Buffer.from('04007F00070202030201', 'hex'))).toBe(true);
      expect((await terminal.chipAuthentication(dg14, '3DES')).sw).toBe(0x9000);
      if (chipClone)
        await expect(terminal.readFile(EF.com, 231)).rejects.toMatchObject({
          code: 'status',
          sw: 0x6988,
        });
      else expect((await terminal.readFile(EF.com, 231)).length).toBeGreaterThan(0);
    }
  });

  it('answers INTERNAL AUTHENTICATE with 6D00 on a chip without DG15', async () => {
    const { terminal } = await session({}, { activeAuthentication: false });
    expect((await terminal.sendSecure(0, 0x88, 0, 0, new Uint8Array(8), 256)).sw).toBe(0x6d00);
  });
});

describe('fault modes', () => {
  it('removeAfterBytes: the read crossing the mark gets no answer and the card is gone', async () => {
    const { card, terminal } = await session({ removeAfterBytes: 1000 });
    await terminal.readFile(EF.com);
    await expect(terminal.readFile(EF.dg2)).rejects.toMatchObject({ code: 'removed' });
    expect(card.removed).toBe(true);
    expect(card.transmit(Uint8Array.of(0, 0xa4, 0, 0x0c))).toBeNull();
  });

  it('wrongMacOnRead: the N-th protected read has a bad response MAC', async () => {
    const { terminal } = await session({ wrongMacOnRead: 2 });
    await expect(terminal.readFile(EF.dg1)).rejects.toMatchObject({ code: 'mac' });
  });

  it('truncateOnRead: the N-th protected read is cut short', async () => {
    const { terminal } = await session({ truncateOnRead: 2 });
    await expect(terminal.readFile(EF.dg2)).rejects.toMatchObject({ code: 'malformed' });
  });

  it('corruptTlvInDataGroup: DG1 does not parse, though its hash is signed', async () => {
    const { terminal } = await session({ corruptTlvInDataGroup: 1 });
    const dg1 = await terminal.readFile(EF.dg1);
    expect(() => parseTlvs(parseTlvs(dg1)[0]!.value)).toThrow();
  });

  it('expiredDs / untrustedDs / hashMismatch show up in EF.SOD', async () => {
    const expired = await session({ expiredDs: true });
    expect(
      await verifySod(await expired.terminal.readFile(EF.sod), pki.csca.certificate),
    ).toMatchObject({ chainValid: true, dsValidNow: false });
    const untrusted = await session({ untrustedDs: true });
    expect(
      await verifySod(await untrusted.terminal.readFile(EF.sod), pki.csca.certificate),
    ).toMatchObject({ signatureValid: true, chainValid: false });
    const swapped = await session({ hashMismatch: true });
    const sod = await verifySod(await swapped.terminal.readFile(EF.sod), pki.csca.certificate);
    const dg2 = await swapped.terminal.readFile(EF.dg2);
    const { createHash } = await import('node:crypto');
    expect(sod.hashes.get(2)).not.toBe(createHash('sha256').update(dg2).digest('hex'));
    expect(sod.signatureValid).toBe(true);
  });
});
