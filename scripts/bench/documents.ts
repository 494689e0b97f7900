/**
 * `pnpm bench documents`: reading an eMRTD (EF.COM, EF.SOD, DG1 and a ~20 KB DG2 — no DG14/15)
 * through the real PC/SC stack (pcsclite → pcscd → vpcd → the virtual chip), with short
 * (223-byte, AES secure messaging) versus extended-length (4096-byte responses, as the chip
 * declares in its ATR and EF.ATR/INFO: 4063 data bytes per protected read) READ BINARY in the
 * same run: APDU count against the minimum the chip's declared limits allow, with PASS / FAIL
 * against the "within 10 %" target (the harness verdict; `target` and `pass` in `--json`), bytes on the wire,
 * wall time, and the modelled ISO/IEC 14443 air time at 106 / 424 / 848 kbit/s.
 * `KYCD_BENCH_DOCUMENT_RUNS` sets the timed runs per mode (default 7).
 */
import {
  PcscManager,
  CscaTrustStore,
  readEmrtd,
  type ApduTrace,
  type EmrtdReadResult,
} from '@kycd/daemon';
import {
  SimulatedDocumentReader,
  createSampleHolder,
  createSamplePhoto,
  type EmrtdPhoto,
} from '@kycd/hardware-sim';
import { claimVpcdSlot, startPcscd } from '../../test/setup/pcscd.js';
import { median, type BenchContext } from './harness.js';

const RUNS = Number(process.env.KYCD_BENCH_DOCUMENT_RUNS ?? 7);
/** Largest short response APDU: 256 data-field bytes and SW1 SW2. */
const SHORT_RESPONSE = 258;
/** Largest extended response APDU the virtual chip declares in EF.ATR/INFO (and its ATR says extended length). */
const EXTENDED_RESPONSE = 0x1000;
/** AES secure messaging (PACE AES-128): 16-byte blocks. */
const SM_BLOCK = 16;
/** Target: file APDUs within 10 % of the minimum the chip's declared limits allow. */
const TARGET_RATIO = 1.1;

/**
 * Most data bytes one protected READ BINARY can return within `maxResponse` bytes of response
 * APDU: DO87 (87 ‖ L ‖ 01 ‖ data padded to whole blocks, ≥ 1 padding byte) ‖ DO99 (4) ‖
 * DO8E (10) ‖ SW (2). Worked out here from the declared limit, independently of the reader.
 */
function protectedReadLimit(maxResponse: number, block: number): number {
  let best = 0;
  for (let padded = block; ; padded += block) {
    const value = 1 + padded;
    const do87 = 1 + (value < 0x80 ? 1 : value < 0x100 ? 2 : 3) + value;
    if (do87 + 4 + 10 + 2 > maxResponse) return best;
    best = padded - 1;
  }
}
/** ISO/IEC 14443-4 frame: PCB + CRC_A (3 bytes) around ≤ FSD/FSC − 3 bytes of INF. */
const FRAME_SIZE = 256;
const FRAME_OVERHEAD = 3;
/** Bits per byte on the air (8 data + 1 parity, type A). */
const BITS_PER_BYTE = 9;

/** Bytes on the air for one APDU exchange, with I-block chaining and the R(ACK)s it needs. */
function airBytes(trace: ApduTrace): number {
  const leg = (length: number): { bytes: number; frames: number } => {
    const frames = Math.max(1, Math.ceil(length / (FRAME_SIZE - FRAME_OVERHEAD)));
    return { bytes: length + frames * FRAME_OVERHEAD, frames };
  };
  const cmd = leg(trace.commandLength);
  const rsp = leg(trace.responseLength);
  const acks = (cmd.frames - 1 + rsp.frames - 1) * FRAME_OVERHEAD;
  return cmd.bytes + rsp.bytes + acks;
}

async function photoOfAbout(bytes: number): Promise<EmrtdPhoto> {
  let best: EmrtdPhoto | undefined;
  for (let w = 240; w <= 960; w += 40) {
    const p = await createSamplePhoto({ width: w, height: Math.round((w * 4) / 3), quality: 92 });
    best = p;
    if (p.data.length >= bytes) break;
  }
  return best as EmrtdPhoto;
}

interface Mode {
  name: 'short' | 'extended';
  extendedLength: boolean;
  /** The largest response APDU the chip declares for this mode. */
  maxResponse: number;
}

export default async function bench(ctx: BenchContext): Promise<void> {
  const pcscd = await startPcscd();
  const slot = await claimVpcdSlot();
  const sim = await SimulatedDocumentReader.create({ port: slot.port });
  sim.on('error', () => undefined);
  const pcsc = PcscManager.start();
  pcsc.on('error', () => undefined);
  try {
    const reader = await pcsc.waitForReader({ name: slot.readerName, timeoutMs: 15_000 });
    reader.on('error', () => undefined);
    const trustStore = CscaTrustStore.fromCertificates([
      new Uint8Array(sim.pki.csca.certificate.rawData),
    ]);
    const photo = await photoOfAbout(20 * 1024);
    const holder = await createSampleHolder({ photo });
    const credentials = {
      kind: 'mrz',
      documentNumber: holder.documentNumber,
      birthDate: holder.dateOfBirth,
      expiryDate: holder.dateOfExpiry,
    } as const;
    ctx.log(`DG2 photo: ${photo.width}×${photo.height} JPEG, ${photo.data.length} bytes`);

    const results = new Map<
      string,
      { wall: number[]; result: EmrtdReadResult; traces: ApduTrace[] }
    >();
    for (const mode of [
      { name: 'short', extendedLength: false, maxResponse: SHORT_RESPONSE },
      { name: 'extended', extendedLength: true, maxResponse: EXTENDED_RESPONSE },
    ] satisfies Mode[]) {
      if (reader.card !== undefined) {
        const gone = new Promise<void>((resolve) => {
          const off = reader.on('card.off', () => {
            off();
            resolve();
          });
        });
        await sim.remove();
        await gone;
      }
      await sim.insertDocument({
        holder,
        extendedLength: mode.extendedLength,
        maxExtendedReadLength: EXTENDED_RESPONSE,
        chipAuthentication: false,
        activeAuthentication: false,
      });
      await PcscManager.waitForCard(reader, { timeoutMs: 10_000 });
      const wall: number[] = [];
      const fileLengths = new Map<string, number>();
      let last: { result: EmrtdReadResult; traces: ApduTrace[] } | undefined;
      for (let i = 0; i < RUNS + 1; i++) {
        const traces: ApduTrace[] = [];
        const transport = await reader.connect();
        const t0 = performance.now();
        const result = await readEmrtd(transport, {
          credentials,
          trustStore,
          optionalDataGroups: [],
          decodePhoto: false,
          onTrace: (t) => traces.push(t),
          onProgress: (p) => {
            if (p.phase === 'read') fileLengths.set(p.file, p.totalBytes);
          },
        });
        const ms = performance.now() - t0;
        await reader.disconnect({ reset: true });
        if (result.authenticity.passiveAuthentication.status !== 'passed')
          throw new Error(
            `bench read not verified: ${result.authenticity.passiveAuthentication.reason ?? ''}`,
          );
        if (i > 0) wall.push(ms); // the first run warms up JIT and pcscd
        last = { result, traces };
      }
      results.set(mode.name, {
        wall,
        ...(last as { result: EmrtdReadResult; traces: ApduTrace[] }),
      });

      const { result, traces } = last as { result: EmrtdReadResult; traces: ApduTrace[] };
      const protectedFiles = ['EF.COM', 'EF.SOD', 'DG1', 'DG2'].map((f) => fileLengths.get(f) ?? 0);
      const fileApdus = traces.filter(
        (t) => t.protected && (t.ins === 0xb0 || t.ins === 0xa4),
      ).length;
      // minimum: one SELECT and ceil(length / limit) READ BINARY per file, plus the protected SELECT of the application
      const limit = protectedReadLimit(mode.maxResponse, SM_BLOCK);
      const minimum = protectedFiles.reduce((sum, len) => sum + 1 + Math.ceil(len / limit), 0) + 1;
      ctx.log(
        `${mode.name}: ${fileApdus} file APDUs, minimum ${minimum} at ${limit} B/read (declared ${mode.maxResponse} B responses)`,
      );
      ctx.log(
        `${mode.name}: EF.COM ${protectedFiles[0]} B, EF.SOD ${protectedFiles[1]} B, DG1 ${protectedFiles[2]} B, DG2 ${protectedFiles[3]} B`,
      );
      const ms = median(wall);
      const air = traces.reduce((s, t) => s + airBytes(t), 0) * BITS_PER_BYTE;
      ctx.report({
        metric: `${mode.name}: APDUs (whole read incl. PACE)`,
        value: result.timing.apdus ?? 0,
        unit: 'APDUs',
      });
      ctx.report({
        metric: `${mode.name}: file APDUs (SELECT + READ BINARY)`,
        value: fileApdus,
        unit: 'APDUs',
        baseline: minimum,
        note: `baseline: the minimum at ${limit} B/read`,
        target: {
          maxRatio: TARGET_RATIO,
          description: `file APDUs within 10 % of the minimum (≤ ${TARGET_RATIO}×)`,
        },
      });
      ctx.report({
        metric: `${mode.name}: bytes sent + received`,
        value: (result.timing.bytesSent ?? 0) + (result.timing.bytesReceived ?? 0),
        unit: 'B',
        note: `file payload ${result.timing.fileBytes ?? 0} B`,
      });
      ctx.report({
        metric: `${mode.name}: wall time via pcscd+vpcd (median of ${RUNS})`,
        value: ms,
        unit: 'ms',
      });
      for (const kbps of [106, 424, 848]) {
        ctx.report({
          metric: `${mode.name}: modelled air time @ ${kbps} kbit/s`,
          value: air / kbps,
          unit: 'ms',
          note: '9 bits/byte, 14443-4 framing (FSC/FSD 256, PCB+CRC, R(ACK) per chained block); excludes chip compute and frame delay',
        });
      }
    }
    const s = results.get('short');
    const e = results.get('extended');
    if (s !== undefined && e !== undefined) {
      ctx.report({
        metric: 'extended vs short: APDUs',
        value: e.result.timing.apdus ?? 0,
        unit: 'APDUs',
        baseline: s.result.timing.apdus ?? 0,
      });
      ctx.report({
        metric: 'extended vs short: wall time',
        value: median(e.wall),
        unit: 'ms',
        baseline: median(s.wall),
      });
    }
  } finally {
    await sim.remove().catch(() => undefined);
    pcsc.close();
    slot.release();
    await pcscd.stop();
  }
}
