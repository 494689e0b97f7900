import { KycdError } from '@kycd/plugin-sdk';
import { trimPadding } from './ResidentIdTextBlock.js';
import { SamError, hexByte, type SamStep } from './SamError.js';
import { encodeSamCommand, parseSamResponse, type SamResponse } from './SamFrame.js';
import { SamFrameDecoder, type SamDecodeEvent } from './SamFrameDecoder.js';
import {
  SAM_SW3_CARD_FOUND,
  SAM_SW3_NO_SUCH_ITEM,
  SAM_SW3_OK,
  samStatusInfo,
} from './SamStatus.js';
import type { SamTransport } from './SamTransport.js';

/** Per-command response timeouts in milliseconds. */
export interface SamTimeouts {
  readonly resetSam: number;
  readonly getSamStatus: number;
  readonly readSamId: number;
  readonly findCard: number;
  readonly selectCard: number;
  readonly readBaseInfo: number;
  readonly readAppendedAddress: number;
}

/** Options of {@link SamReader}. */
export interface SamReaderOptions {
  /** Per-command timeouts; missing ones come from {@link SamReader.DEFAULTS}. */
  readonly timeouts?: Partial<SamTimeouts>;
}

/** Per-call options of the {@link SamReader} commands. */
export interface SamCallOptions {
  /** Aborting rejects the pending command with `document_aborted`. */
  readonly signal?: AbortSignal;
  /** Overrides the command's default timeout. */
  readonly timeoutMs?: number;
}

/** The SAM's management information (管理信息), i.e. its identity, which vendor decoders are licensed to. */
export interface SamId {
  /** The raw 16 data bytes as upper-case hex. */
  readonly hex: string;
  /** The usual printed form `AA.BB-CCCCCCCC-DDDDDDDDDD-EEEEEEEEEE` (little-endian fields), when 16 bytes long. */
  readonly formatted?: string;
}

/** What 读基本信息 (30 01) returns: the raw 256-byte text block and the 1024-byte WLT photo. */
export interface SamBaseInfo {
  readonly text: Uint8Array;
  readonly photo: Uint8Array;
}

const DEFAULT_TIMEOUTS: SamTimeouts = {
  resetSam: 1000,
  getSamStatus: 500,
  readSamId: 500,
  findCard: 300,
  selectCard: 500,
  readBaseInfo: 3500,
  readAppendedAddress: 1000,
};

const TEXT_BLOCK_BYTES = 256;
const MAX_QUEUED_EVENTS = 8;
const WLT_PHOTO_BYTES = 1024;
/** Appended addresses come in records of 70 bytes (35 UCS-2 characters), like the base address. */
const APPENDED_ADDRESS_RECORD_BYTES = 70;

type Pending = {
  resolve: (response: SamResponse) => void;
  reject: (error: Error) => void;
};

/**
 * The SAM reader protocol (GA 467 family) over one {@link SamTransport}: one method per command,
 * one command in flight at a time, a timeout per command, SAM status bytes mapped to
 * {@link SamError}s with stable codes. It also keeps the reader's one piece of state that callers
 * trip over: after a successful read the card must leave the field before find-card succeeds
 * again (身份证成功读取后必须移出机具读取感应区).
 *
 * @example
 * ```ts
 * const reader = new SamReader(transport);
 * await reader.findCard({ signal });
 * await reader.selectCard({ signal });
 * const { text, photo } = await reader.readBaseInfo({ signal });
 * ```
 */
export class SamReader {
  /** Default per-command timeouts (ms): the vendor SDKs use 300 (find), 500 (select), 3500 (read). */
  static readonly DEFAULTS: { readonly timeouts: SamTimeouts } = { timeouts: DEFAULT_TIMEOUTS };

  private readonly transport: SamTransport;
  private readonly timeouts: SamTimeouts;
  private readonly decoder = new SamFrameDecoder({ minLength: 4 });
  private readonly queued: SamDecodeEvent[] = [];
  private pending: Pending | undefined;
  private pumpStarted = false;
  private linkError: SamError | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private mustLeaveField = false;

  constructor(transport: SamTransport, options: SamReaderOptions = {}) {
    this.transport = transport;
    const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    for (const [name, ms] of Object.entries(timeouts)) {
      if (!Number.isFinite(ms) || ms <= 0)
        throw new RangeError(`SAM timeout ${name} must be a positive number of ms`);
    }
    this.timeouts = timeouts;
  }

  /**
   * True after a successful {@link readBaseInfo} until a find-card succeeds again: the card has to
   * leave the field (and come back) before the reader finds it.
   */
  get cardMustLeaveField(): boolean {
    return this.mustLeaveField;
  }

  /** 复位 (10 FF): resets the SAM. */
  async resetSam(options: SamCallOptions = {}): Promise<void> {
    await this.command('resetSam', 0x10, 0xff, options, [SAM_SW3_OK]);
  }

  /** 状态检测 (11 FF): rejects with `document_sam_self_test_failed` (SW3 60) when the SAM is unwell. */
  async getSamStatus(options: SamCallOptions = {}): Promise<void> {
    await this.command('getSamStatus', 0x11, 0xff, options, [SAM_SW3_OK]);
  }

  /** 管理信息 (12 FF): the SAM's identity. */
  async readSamId(options: SamCallOptions = {}): Promise<SamId> {
    const { data } = await this.command('readSamId', 0x12, 0xff, options, [SAM_SW3_OK]);
    const hex = Buffer.from(data).toString('hex').toUpperCase();
    if (data.length !== 16) return { hex };
    const v = Buffer.from(data);
    const formatted = `${pad(v.readUInt16LE(0), 2)}.${pad(v.readUInt16LE(2), 2)}-${pad(v.readUInt32LE(4), 8)}-${pad(v.readUInt32LE(8), 10)}-${pad(v.readUInt32LE(12), 10)}`;
    return { hex, formatted };
  }

  /**
   * 寻卡 (20 01): resolves when a card is in the field (SW3 9F). Rejects with `document_no_card`
   * (SW3 80); when the previous card was just read, the error's data says
   * `hint: 'card_must_leave_field'`.
   */
  async findCard(options: SamCallOptions = {}): Promise<void> {
    try {
      await this.command('findCard', 0x20, 0x01, options, [SAM_SW3_CARD_FOUND]);
      this.mustLeaveField = false;
    } catch (err) {
      if (err instanceof SamError && err.code === 'document_no_card' && this.mustLeaveField) {
        throw new SamError(
          'document_no_card',
          'SAM find-card (20 01) answered 80 寻找居民身份证失败: after a successful read the card must leave the reader field and be placed again',
          { step: 'findCard', sw3: err.sw3, data: { hint: 'card_must_leave_field' } },
        );
      }
      throw err;
    }
  }

  /** 选卡 (20 02): selects the found card; SW3 81 rejects with `document_sam_card_select_failed`. */
  async selectCard(options: SamCallOptions = {}): Promise<void> {
    await this.command('selectCard', 0x20, 0x02, options, [SAM_SW3_OK]);
  }

  /**
   * 读基本信息 (30 01): the 256-byte UCS-2 text block and the 1024-byte WLT photo. The SAM
   * authenticates the card on the way (status 31/32/33 on failure).
   */
  async readBaseInfo(options: SamCallOptions = {}): Promise<SamBaseInfo> {
    const { data } = await this.command('readBaseInfo', 0x30, 0x01, options, [SAM_SW3_OK]);
    if (data.length < 4)
      throw malformed(
        'readBaseInfo',
        `read-base-info data is ${data.length} bytes, too short for its two length words`,
      );
    const textLength = (data[0]! << 8) | data[1]!;
    const photoLength = (data[2]! << 8) | data[3]!;
    if (textLength !== TEXT_BLOCK_BYTES || photoLength !== WLT_PHOTO_BYTES) {
      throw malformed(
        'readBaseInfo',
        `read-base-info announces text ${textLength} B and photo ${photoLength} B; expected ${TEXT_BLOCK_BYTES} and ${WLT_PHOTO_BYTES}`,
        {
          textLength,
          photoLength,
        },
      );
    }
    if (data.length !== 4 + textLength + photoLength) {
      throw malformed(
        'readBaseInfo',
        `read-base-info data is ${data.length} bytes; its length words announce ${4 + textLength + photoLength}`,
        {
          dataLength: data.length,
        },
      );
    }
    this.mustLeaveField = true;
    return { text: data.slice(4, 4 + textLength), photo: data.slice(4 + textLength) };
  }

  /**
   * 读追加住址 (30 03): the appended (updated) addresses, newest last; an empty array when the card
   * has none (SW3 91 居民身份证中无此项内容).
   */
  async readAppendedAddress(options: SamCallOptions = {}): Promise<string[]> {
    const { sw3, data } = await this.command('readAppendedAddress', 0x30, 0x03, options, [
      SAM_SW3_OK,
      SAM_SW3_NO_SUCH_ITEM,
    ]);
    if (sw3 === SAM_SW3_NO_SUCH_ITEM || data.length === 0) return [];
    if (data.length % 2 !== 0)
      throw malformed(
        'readAppendedAddress',
        `appended address is ${data.length} bytes, not whole UCS-2 characters`,
      );
    const out: string[] = [];
    for (let off = 0; off < data.length; off += APPENDED_ADDRESS_RECORD_BYTES) {
      const text = Buffer.from(
        data.subarray(off, Math.min(data.length, off + APPENDED_ADDRESS_RECORD_BYTES)),
      ).toString('utf16le');
      const trimmed = trimPadding(text);
      if (trimmed.length > 0) out.push(trimmed);
    }
    return out;
  }

  /**
   * Polls find-card until a card is found or `signal` aborts: the card-presence loop a session runs
   * while it waits for the customer to place the card.
   */
  async waitForCard(
    options: { signal?: AbortSignal; pollIntervalMs?: number } = {},
  ): Promise<void> {
    const interval = options.pollIntervalMs ?? 250;
    for (;;) {
      try {
        await this.findCard({ signal: options.signal });
        return;
      } catch (err) {
        if (!(err instanceof KycdError) || err.code !== 'document_no_card') throw err;
      }
      await delay(interval, options.signal);
    }
  }

  /** Closes the transport. Pending commands reject with `document_sam_transport_failed`. */
  async close(): Promise<void> {
    this.failLink(
      new SamError(
        'document_sam_transport_failed',
        `SAM link ${this.transport.description} was closed`,
        { step: 'frame' },
      ),
    );
    await this.transport.close();
  }

  /** Sends one command and waits for its response; serialised so one command is in flight at a time. */
  private command(
    step: SamStep,
    cmd: number,
    para: number,
    options: SamCallOptions,
    okStatuses: readonly number[],
  ): Promise<SamResponse> {
    const run = (): Promise<SamResponse> => this.transceive(step, cmd, para, options, okStatuses);
    const result = this.chain.then(run, run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  private async transceive(
    step: SamStep,
    cmd: number,
    para: number,
    options: SamCallOptions,
    okStatuses: readonly number[],
  ): Promise<SamResponse> {
    const { signal } = options;
    const timeoutMs = options.timeoutMs ?? this.timeouts[step as keyof SamTimeouts];
    const label = `SAM ${step} (${hexByte(cmd)} ${hexByte(para)})`;
    if (signal?.aborted) throw aborted(step, signal);
    if (this.linkError !== undefined) throw this.linkError;
    this.startPump();
    // Anything that arrived since the last command is stale (a late reply): drop it.
    this.queued.length = 0;
    this.decoder.reset();
    const response = new Promise<SamResponse>((resolve, reject) => {
      this.pending = { resolve, reject };
    });
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    response.catch(() => undefined);
    const guards = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new SamError(
            'document_sam_timeout',
            `${label}: no complete response within ${timeoutMs} ms`,
            { step, data: { timeoutMs } },
          ),
        );
      }, timeoutMs);
      if (signal !== undefined) {
        onAbort = () => reject(aborted(step, signal));
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
    guards.catch(() => undefined);
    try {
      await Promise.race([
        this.transport.write(encodeSamCommand(cmd, para)).catch((cause: unknown) => {
          throw cause instanceof SamError
            ? cause
            : new SamError(
                'document_sam_transport_failed',
                `${label}: writing to ${this.transport.description} failed`,
                { step, cause },
              );
        }),
        guards,
      ]);
      this.deliver();
      const res = await Promise.race([response, guards]);
      if (okStatuses.includes(res.sw3)) return res;
      const info = samStatusInfo(res.sw3);
      throw new SamError(
        info.errorCode ?? 'document_sam_status_unknown',
        `${label}: SAM status ${hexByte(res.sw3)} ${info.meaning} (${info.description})`,
        {
          step,
          sw3: res.sw3,
        },
      );
    } catch (err) {
      if (err instanceof SamError && err.step === 'frame') {
        // A frame-level failure answers this command: name the step.
        throw new SamError(err.code, `${label}: ${err.message}`, {
          step,
          sw3: err.sw3,
          data: withoutStep(err.data),
          cause: err,
        });
      }
      throw err;
    } finally {
      clearTimeout(timer);
      if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
      this.pending = undefined;
      this.decoder.reset();
      this.queued.length = 0;
    }
  }

  private startPump(): void {
    if (this.pumpStarted) return;
    this.pumpStarted = true;
    void (async () => {
      try {
        for await (const chunk of this.transport.incoming) {
          for (const ev of this.decoder.push(chunk)) {
            this.queued.push(ev);
            this.deliver();
            // Unsolicited frames from a chattering device must not pile up between commands.
            if (this.queued.length > MAX_QUEUED_EVENTS) this.queued.shift();
          }
        }
        this.failLink(
          new SamError(
            'document_sam_transport_failed',
            `SAM link ${this.transport.description} ended`,
            { step: 'frame' },
          ),
        );
      } catch (cause) {
        this.failLink(
          new SamError(
            'document_sam_transport_failed',
            `SAM link ${this.transport.description} failed`,
            { step: 'frame', cause },
          ),
        );
      }
    })();
  }

  private deliver(): void {
    const pending = this.pending;
    if (pending === undefined) return;
    const ev = this.queued.shift();
    if (ev !== undefined) {
      this.pending = undefined;
      if (ev.kind === 'error') {
        pending.reject(ev.error);
        return;
      }
      try {
        pending.resolve(parseSamResponse(ev.frame));
      } catch (err) {
        pending.reject(err as Error);
      }
      return;
    }
    if (this.linkError !== undefined) {
      this.pending = undefined;
      pending.reject(this.linkError);
    }
  }

  private failLink(error: SamError): void {
    if (this.linkError === undefined) this.linkError = error;
    this.deliver();
  }
}

function malformed(step: SamStep, message: string, data?: Record<string, unknown>): SamError {
  return new SamError(
    'document_sam_response_malformed',
    `SAM ${step}: ${message}`,
    data === undefined ? { step } : { step, data },
  );
}

function aborted(step: SamStep, signal: AbortSignal): KycdError {
  return new KycdError('document_aborted', `SAM ${step} was cancelled`, {
    data: { protocol: 'SAM', step },
    cause: signal.reason,
  });
}

function withoutStep(data: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...data };
  delete rest['step'];
  delete rest['protocol'];
  delete rest['sw3'];
  return rest;
}

function pad(n: number, width: number): string {
  return n.toString().padStart(width, '0');
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(
        new KycdError('document_aborted', 'waiting for a card was cancelled', {
          cause: signal.reason,
        }),
      );
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(
        new KycdError('document_aborted', 'waiting for a card was cancelled', {
          cause: signal?.reason,
        }),
      );
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
