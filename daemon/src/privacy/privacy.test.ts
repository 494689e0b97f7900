import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/loadConfig.js';
import {
  SAMPLE_DOCUMENT,
  SAMPLE_LIVENESS,
  SAMPLE_MATCH,
} from '../registration/__fixtures__/sampleDocument.js';
import { confirmRegistration } from '../registration/confirmRegistration.js';
import { TerminalSigningKey } from '../registration/TerminalSigningKey.js';
import { openStore } from '../store/openStore.js';
import type { Store } from '../store/Store.js';
import { StoreError } from '../store/StoreError.js';
import { eraseSession } from './eraseSession.js';
import { EVIDENCE_KEY_FILE, EvidenceVault } from './EvidenceVault.js';
import { exportSession } from './exportSession.js';
import { LOG_REDACT_PATHS, maskIdNumber } from './maskIdNumber.js';
import { purgeExpired } from './purgeExpired.js';
import { shapePosResult } from './shapePosResult.js';

const DAY = 86_400_000;
let dir: string;
let store: Store;
let clock: number;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kycd-privacy-'));
  clock = Date.UTC(2026, 5, 1);
  store = openStore({ dataDir: dir, now: () => clock });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const privacy = (over: Record<string, unknown> = {}) => parseConfig({ privacy: over }).privacy;

function confirm(sessionId: string): string {
  const key = TerminalSigningKey.loadOrCreate(dir);
  store.sessions.upsert({ id: sessionId, state: 'awaiting_confirmation' });
  store.events.append(sessionId, 0, {
    event: 'session.state',
    data: { state: 'awaiting_confirmation' },
  });
  return confirmRegistration(
    { store, key, recordConfig: parseConfig({}).registration.record },
    {
      sessionId,
      terminalId: 't-1',
      msisdn: '+8613800138000',
      operatorId: 'op',
      storeId: 'st',
      document: SAMPLE_DOCUMENT,
      liveness: SAMPLE_LIVENESS,
      match: SAMPLE_MATCH,
      sessionUpdate: { state: 'registered' },
    },
  ).registrationId;
}

describe('maskIdNumber', () => {
  it('keeps at most the first and the last four characters', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('1*************002X');
    expect(maskIdNumber('L898902C3')).toBe('*****02C3');
    expect(maskIdNumber('1234')).toBe('****');
    expect(maskIdNumber('')).toBe('');
  });
  it('never reveals more than 5 characters and keeps the length (fuzz)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 0, maxLength: 40 }).map((s) => s.replace(/\s/g, '')),
        (s) => {
          const m = maskIdNumber(s);
          return [...m].length === [...s].length && [...m].filter((c) => c !== '*').length <= 5;
        },
      ),
    );
  });
});

describe('LOG_REDACT_PATHS', () => {
  it('keeps photos, numbers and the MRZ out of pino logs', () => {
    const lines: string[] = [];
    const log = pino(
      { redact: { paths: [...LOG_REDACT_PATHS], censor: '[redacted]' } },
      { write: (s: string) => lines.push(s) },
    );
    log.info(
      {
        document: { photo: 'BASE64PHOTO', documentNumber: '11010519491231002X' },
        fields: { mrz: 'P<UTOERIKSSON', personalNumber: 'ZE184226B' },
      },
      'document read',
    );
    const out = lines.join('');
    for (const secret of ['BASE64PHOTO', '11010519491231002X', 'P<UTOERIKSSON', 'ZE184226B'])
      expect(out).not.toContain(secret);
  });
});

describe('shapePosResult', () => {
  it('gives the POS a verdict, a summary with the masked number (default), or full data — never photo pixels', () => {
    expect(shapePosResult(SAMPLE_DOCUMENT, 'verdict')).toEqual({
      level: 'verdict',
      kind: 'cn-resident-id',
      genuine: true,
    });
    expect(shapePosResult(SAMPLE_DOCUMENT, privacy().posResult)).toEqual({
      level: 'summary',
      kind: 'cn-resident-id',
      genuine: true,
      documentType: 'cn-resident-id',
      fullName: '张三',
      documentNumberMasked: '1*************002X',
    });
    const full = shapePosResult(SAMPLE_DOCUMENT, 'full');
    expect(full).toMatchObject({
      level: 'full',
      fields: { documentNumber: '11010519491231002X' },
      photo: { format: 'wlt', bytes: 8 },
    });
    expect(JSON.stringify(full)).not.toContain('"encoded"');
  });
});

describe('EvidenceVault', () => {
  it('stores nothing when retention is off', () => {
    const vault = new EvidenceVault(store, privacy().evidence);
    expect(vault.put('s-1', 'chip_photo', 'image/jpeg', Buffer.from('jpeg'))).toBeUndefined();
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM evidence').get()).toEqual({ n: 0 });
    expect(() => statSync(join(dir, EVIDENCE_KEY_FILE))).toThrow();
  });

  it('encrypts with AES-256-GCM under a 0600 key file, decrypts, and detects tampering', () => {
    const vault = new EvidenceVault(
      store,
      privacy({ evidence: { retain: true, days: 7 } }).evidence,
    );
    const image = Buffer.from('pretend this is a face image '.repeat(20));
    const id = vault.put('s-1', 'liveness_frame', 'image/jpeg', image)!;
    expect(statSync(join(dir, EVIDENCE_KEY_FILE)).mode & 0o777).toBe(0o600);
    const row = store.db.prepare('SELECT ciphertext FROM evidence WHERE id = ?').get(id) as {
      ciphertext: Buffer;
    };
    expect(row.ciphertext.includes(Buffer.from('face image'))).toBe(false);
    expect(vault.get(id)?.data.equals(image)).toBe(true);
    expect(vault.list('s-1')).toEqual([
      expect.objectContaining({ id, kind: 'liveness_frame', expiresAt: clock + 7 * DAY }),
    ]);
    store.db.prepare(`UPDATE evidence SET session_id = 's-2' WHERE id = ?`).run(id);
    expect(() => vault.get(id)).toThrow(StoreError);
    try {
      vault.get(id);
    } catch (err) {
      expect((err as StoreError).code).toBe('registration_evidence_undecryptable');
    }
  });
});

describe('purgeExpired', () => {
  it('purges expired evidence, old sessions and old record bodies, never queued registrations', () => {
    const vault = new EvidenceVault(
      store,
      privacy({ evidence: { retain: true, days: 7 } }).evidence,
    );
    vault.put('s-1', 'chip_photo', 'image/jpeg', Buffer.from('x'));
    const delivered = confirm('s-1');
    store.registrations.markDelivered(delivered, 201, '{}');
    const queued = confirm('s-2');
    clock += 31 * DAY;
    const result = purgeExpired(store, privacy());
    expect(result).toEqual({ evidence: 1, sessions: 1, sessionEvents: 1, records: 1 });
    expect(store.sessions.get('s-1')).toBeUndefined();
    expect(store.registrations.get(delivered)?.recordJson).toBeUndefined();
    expect(store.registrations.get(delivered)?.status).toBe('delivered');
    expect(store.sessions.get('s-2')?.state).toBe('registered');
    expect(store.registrations.get(queued)?.recordJson).toBeDefined();
    expect(store.audit.list().at(-1)?.kind).toBe('retention.purged');
    expect(purgeExpired(store, privacy())).toEqual({
      evidence: 0,
      sessions: 0,
      sessionEvents: 0,
      records: 0,
    });
  });
});

describe('exportSession and eraseSession', () => {
  it('exports everything held about a session, then erases it (refusing a queued one without force)', () => {
    const vault = new EvidenceVault(store, privacy({ evidence: { retain: true } }).evidence);
    vault.put('s-1', 'chip_photo', 'image/jpeg', Buffer.from('photo'));
    const id = confirm('s-1');
    const exported = exportSession(store, vault, 's-1')!;
    expect(exported.session?.state).toBe('registered');
    expect(exported.events).toHaveLength(1);
    expect(exported.registration).toMatchObject({
      registrationId: id,
      status: 'queued',
      record: { msisdn: '+8613800138000' },
    });
    expect(exported.evidence[0]?.base64).toBe(Buffer.from('photo').toString('base64'));
    expect(exportSession(store, vault, 'nope')).toBeUndefined();

    expect(() => eraseSession(store, 's-1')).toThrow(/still queued/);
    store.registrations.markDelivered(id, 201, '{}');
    expect(eraseSession(store, 's-1')).toEqual({
      sessionId: 's-1',
      session: true,
      sessionEvents: 1,
      evidence: 1,
      record: true,
      walTruncated: true,
    });
    const after = exportSession(store, vault, 's-1')!;
    expect(after.session).toBeUndefined();
    expect(after.registration?.record).toBeUndefined();
    expect(after.registration?.status).toBe('delivered');
    expect(after.evidence).toEqual([]);
    expect(JSON.stringify(after)).not.toContain('11010519491231002X');
    expect(store.audit.verify().ok).toBe(true);
  });
});
