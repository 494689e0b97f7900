import { EventEmitter } from 'node:events';
import { Socket } from 'node:net';
import { VpcdError } from './VpcdError.js';

/** What vpcd needs from a virtual card: an ATR, power control and APDU processing. */
export interface VpcdCard {
  readonly atr: Uint8Array;
  powerOn(): void;
  powerOff(): void;
  /** The response APDU, or `null` when the card has left the field (the connection is then dropped). */
  transmit(command: Uint8Array): Uint8Array | null;
}

/** Options of {@link VpcdConnection}; defaults in {@link VPCD_DEFAULTS}. */
export interface VpcdConnectionOptions {
  /** vpcd host (loopback; vpcd in server mode listens here). */
  readonly host?: string;
  /** vpcd port of the reader slot (35963 is "Virtual PCD 00 00", 35964 "… 00 01"). */
  readonly port?: number;
  /** How long {@link VpcdConnection.connect} keeps retrying a refused connection. */
  readonly connectTimeoutMs?: number;
  /** Reconnect after vpcd drops the link (pcscd restarted) while the card is inserted. */
  readonly reconnect?: boolean;
  /** Delay between connection attempts. */
  readonly retryDelayMs?: number;
}

/** Defaults of {@link VpcdConnectionOptions}. */
export const VPCD_DEFAULTS = {
  host: '127.0.0.1',
  port: 35963,
  connectTimeoutMs: 5000,
  reconnect: true,
  retryDelayMs: 100,
} as const;

/** Events of {@link VpcdConnection}. */
export interface VpcdConnectionEvents {
  /** The card is in the virtual field (TCP link to vpcd up). */
  connect: [];
  /** The card answered nothing and left the field (a `removeAfterBytes` fault). */
  removed: [];
  /** The link went down without {@link VpcdConnection.close} (a reconnect follows when enabled). */
  disconnect: [];
  /** An APDU was exchanged (for tracing). `response` is null when the card left the field. */
  apdu: [command: Uint8Array, response: Uint8Array | null];
  /** vpcd refuses the card after dropping it (emitted once per outage; retries continue). Listen to it. */
  error: [error: VpcdError];
}

/** vpcd control codes (a 1-byte payload). */
const CONTROL = { powerOff: 0, powerOn: 1, reset: 2, getAtr: 4 } as const;

/**
 * The virtual card's TCP link to vpcd (vsmartcard's PC/SC driver, loaded by pcscd): every frame
 * is a 2-byte big-endian length and a payload; a 1-byte payload is a control code (0 power off,
 * 1 power on, 2 reset, 4 get ATR), anything longer a command APDU answered with the response APDU.
 * Connecting inserts the card into the reader, closing removes it.
 *
 * @example
 * const link = new VpcdConnection(card, { port: 35963 });
 * link.on('error', console.error);
 * await link.connect(); // pcscd now reports a card in "Virtual PCD 00 00"
 * await link.close();   // … and now it is gone
 */
export class VpcdConnection extends EventEmitter<VpcdConnectionEvents> {
  readonly card: VpcdCard;
  readonly options: Required<VpcdConnectionOptions>;
  #socket: Socket | undefined;
  #buffer: Buffer = Buffer.alloc(0);
  #wanted = false;
  #retryTimer: NodeJS.Timeout | undefined;

  constructor(card: VpcdCard, options: VpcdConnectionOptions = {}) {
    super();
    this.card = card;
    this.options = {
      ...VPCD_DEFAULTS,
      ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    };
    const { port } = this.options;
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new RangeError(`port must be 1..65535, got ${port}`);
  }

  /** True while the TCP link to vpcd is up. */
  get connected(): boolean {
    return (
      this.#socket !== undefined && !this.#socket.destroyed && this.#socket.readyState === 'open'
    );
  }

  /**
   * Inserts the card: connects to vpcd, retrying refused connections for `connectTimeoutMs`.
   * Rejects with {@link VpcdError} `sim_vpcd_unreachable` when vpcd never answers.
   */
  async connect(): Promise<void> {
    if (this.connected) return;
    this.#wanted = true;
    const deadline = Date.now() + this.options.connectTimeoutMs;
    let lastError: unknown;
    while (this.#wanted) {
      try {
        await this.#open();
        return;
      } catch (error) {
        lastError = error;
        if (Date.now() + this.options.retryDelayMs > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs));
      }
    }
    this.#wanted = false;
    throw new VpcdError(
      'sim_vpcd_unreachable',
      `vpcd at ${this.options.host}:${this.options.port} did not accept the virtual card within ${this.options.connectTimeoutMs} ms (is pcscd with the vpcd driver running?)`,
      { cause: lastError },
    );
  }

  /** Removes the card: closes the link; no reconnect. */
  async close(): Promise<void> {
    this.#wanted = false;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    const socket = this.#socket;
    this.#socket = undefined;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      setTimeout(() => socket.destroy(), 200).unref();
    });
  }

  #open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new Socket();
      socket.setNoDelay(true);
      const onError = (error: Error): void => {
        socket.destroy();
        reject(error);
      };
      socket.once('error', onError);
      socket.connect(this.options.port, this.options.host, () => {
        socket.off('error', onError);
        this.#attach(socket);
        resolve();
      });
    });
  }

  #attach(socket: Socket): void {
    this.#socket = socket;
    this.#buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => this.#onData(socket, chunk));
    socket.on('error', () => {
      // 'close' follows; a broken link is handled there
    });
    socket.on('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.card.powerOff();
      this.emit('disconnect');
      if (this.#wanted && this.options.reconnect) this.#scheduleReconnect();
    });
    this.emit('connect');
  }

  #scheduleReconnect(attempt = 0): void {
    // back off to at most 1 s between attempts; report the outage once
    const delay = Math.min(1000, this.options.retryDelayMs * 2 ** Math.min(attempt, 4));
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (!this.#wanted) return;
      this.#open().catch((error: unknown) => {
        if (!this.#wanted) return;
        if (attempt === 0) {
          this.emit(
            'error',
            new VpcdError(
              'sim_vpcd_unreachable',
              `vpcd at ${this.options.host}:${this.options.port} dropped the virtual card and refuses it now; retrying`,
              { cause: error },
            ),
          );
        }
        this.#scheduleReconnect(attempt + 1);
      });
    }, delay);
    this.#retryTimer.unref();
  }

  #onData(socket: Socket, chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    while (this.#buffer.length >= 2) {
      const length = this.#buffer.readUInt16BE(0);
      if (this.#buffer.length < 2 + length) return;
      const payload = new Uint8Array(this.#buffer.subarray(2, 2 + length));
      this.#buffer = this.#buffer.subarray(2 + length);
      if (!this.#handle(socket, payload)) return;
    }
  }

  /** Handles one frame; false when the link was dropped. */
  #handle(socket: Socket, payload: Uint8Array): boolean {
    if (payload.length === 0) return true;
    if (payload.length === 1) {
      switch (payload[0]) {
        case CONTROL.powerOff:
          this.card.powerOff();
          break;
        case CONTROL.powerOn:
        case CONTROL.reset:
          this.card.powerOn();
          break;
        case CONTROL.getAtr:
          this.#send(socket, this.card.atr);
          break;
        default:
          break; // unknown control codes are ignored, as vicc does
      }
      return true;
    }
    const response = this.card.transmit(payload);
    this.emit('apdu', payload, response);
    if (response === null) {
      // the card left the field mid-command: no answer, link dropped, no reconnect
      this.#wanted = false;
      this.#socket = undefined;
      socket.destroy();
      this.card.powerOff();
      this.emit('removed');
      return false;
    }
    this.#send(socket, response);
    return true;
  }

  #send(socket: Socket, data: Uint8Array): void {
    // a vpcd frame holds at most 65535 bytes; a larger response is a card error (6F00)
    const payload = data.length > 0xffff ? Uint8Array.of(0x6f, 0x00) : data;
    const frame = Buffer.alloc(2 + payload.length);
    frame.writeUInt16BE(payload.length, 0);
    frame.set(payload, 2);
    socket.write(frame);
  }
}
