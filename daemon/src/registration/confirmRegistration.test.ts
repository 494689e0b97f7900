import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/loadConfig.js';
import { openStore } from '../store/openStore.js';
import type { Store } from '../store/Store.js';
import { StoreError } from '../store/StoreError.js';
import { SAMPLE_DOCUMENT, SAMPLE_LIVENESS, SAMPLE_MATCH } from './__fixtures__/sampleDocument.js';
import { canonicalJson } from './canonicalJson.js';
import { confirmRegistration, type ConfirmRegistrationInput } from './confirmRegistration.js';
import { TerminalSigningKey } from './TerminalSigningKey.js';

let dir: string;
let store: Store;
let key: TerminalSigningKey;
const recordConfig = parseConfig({}).registration.record;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kycd-confirm-'));
  store = openStore({ dataDir: dir, now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });
  key = TerminalSigningKey.loadOrCreate(dir);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const input = (over: Partial<ConfirmRegistrationInput> = {}): ConfirmRegistrationInput => ({
  sessionId: 's-1',
  terminalId: 't-1',
  msisdn: '+8613800138000',
  operatorId: 'op-7',
  storeId: 'store-1',
  document: SAMPLE_DOCUMENT,
  liveness: SAMPLE_LIVENESS,
  match: SAMPLE_MATCH,
  ...over,
});

describe('confirmRegistration', () => {
  it('queues a signed canonical record, moves the session and audits it in one transaction', () => {
    store.sessions.upsert({ id: 's-1', state: 'awaiting_confirmation', terminalId: 't-1' });
    const c = confirmRegistration(
      { store, key, recordConfig },
      input({
        requireSessionState: ['awaiting_confirmation'],
        sessionUpdate: { state: 'registered' },
      }),
    );
    expect(c.entry.status).toBe('queued');
    expect(c.recordJson).toBe(canonicalJson(JSON.parse(c.recordJson)));
    expect(key.verify(c.recordJson, c.signature)).toBe(true);
    expect(c.record).toMatchObject({
      recordVersion: 1,
      registrationId: c.registrationId,
      msisdn: '+8613800138000',
      operatorId: 'op-7',
      storeId: 'store-1',
      terminalId: 't-1',
      keyId: key.keyId,
      timestamps: { confirmedAt: '2026-01-02T03:04:05.000Z' },
      liveness: SAMPLE_LIVENESS,
      match: SAMPLE_MATCH,
    });
    expect(c.record.document.fields.documentNumber).toBe('11010519491231002X');
    expect(c.record.document.photoSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(c.record.document.photoBase64).toBeUndefined();
    expect(store.sessions.get('s-1')?.state).toBe('registered');
    expect(store.registrations.bySession('s-1')?.recordJson).toBe(c.recordJson);
    expect(store.audit.list({ sessionId: 's-1' }).map((e) => e.kind)).toEqual([
      'registration.confirmed',
    ]);
  });

  it('signs the audit head into the record, so the carrier holds a witness of the trail', () => {
    store.audit.append({ kind: 'terminal.paired', actor: 'cli' });
    const head = store.audit.head()!;
    const c = confirmRegistration({ store, key, recordConfig }, input());
    expect(c.record.auditHead).toEqual(head);
    expect(JSON.parse(c.recordJson).auditHead).toEqual(head);
    // the confirmation's own audit row follows it; the witness stays true as the trail grows
    expect(store.audit.head()?.seq).toBe(head.seq + 1);
    expect(store.audit.verify({ witnesses: [c.record.auditHead!] }).ok).toBe(true);
  });

  it('masks and omits fields as configured', () => {
    const c = confirmRegistration(
      {
        store,
        key,
        recordConfig: {
          maskFields: ['documentNumber', 'address'],
          omitFields: ['ethnicity'],
          includeChipPhoto: true,
        },
      },
      input(),
    );
    expect(c.record.document.fields.documentNumber).toBe('1*************002X');
    expect(c.record.document.fields.address).not.toContain('测试路');
    expect(c.record.document.fields.ethnicity).toBeUndefined();
    expect(c.record.document.maskedFields).toEqual(['address', 'documentNumber']);
    expect(c.record.document.photoBase64).toBe(
      Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]).toString('base64'),
    );
  });

  it('refuses a second confirmation and a session in the wrong state, writing nothing', () => {
    const first = confirmRegistration(
      { store, key, recordConfig },
      input({ registrationId: 'reg-1' }),
    );
    expect(first.registrationId).toBe('reg-1');
    expect(first.entry.idempotencyKey).toBe('reg-1');
    expectCode(
      () => confirmRegistration({ store, key, recordConfig }, input()),
      'registration_already_confirmed',
    );
    expectCode(
      () =>
        confirmRegistration(
          { store, key, recordConfig },
          input({ sessionId: 's-9', registrationId: 'reg-1' }),
        ),
      'registration_already_confirmed',
    );
    store.sessions.upsert({ id: 's-2', state: 'reading_document' });
    expectCode(
      () =>
        confirmRegistration(
          { store, key, recordConfig },
          input({
            sessionId: 's-2',
            requireSessionState: ['awaiting_confirmation'],
            sessionUpdate: { state: 'registered' },
          }),
        ),
      'registration_not_confirmable',
    );
    expectCode(
      () =>
        confirmRegistration(
          { store, key, recordConfig },
          input({ sessionId: 's-3', requireSessionState: ['awaiting_confirmation'] }),
        ),
      'registration_not_confirmable',
    );
    expect(store.sessions.get('s-2')?.state).toBe('reading_document');
    expect(store.registrations.counts()).toEqual({ queued: 1, delivered: 0, rejected: 0 });
  });

  it('rolls the session move back when queueing fails', () => {
    store.sessions.upsert({ id: 's-1', state: 'awaiting_confirmation' });
    store.db.exec(
      `CREATE TRIGGER boom BEFORE INSERT ON registrations BEGIN SELECT RAISE(ABORT, 'boom'); END`,
    );
    expect(() =>
      confirmRegistration(
        { store, key, recordConfig },
        input({ sessionUpdate: { state: 'registered' } }),
      ),
    ).toThrow(/boom/);
    expect(store.sessions.get('s-1')?.state).toBe('awaiting_confirmation');
    expect(store.audit.list()).toHaveLength(0);
  });

  it('validates the MSISDN', () => {
    expect(() =>
      confirmRegistration({ store, key, recordConfig }, input({ msisdn: '13800138000' })),
    ).toThrow(TypeError);
    expect(() =>
      confirmRegistration({ store, key, recordConfig }, input({ operatorId: 'a b' })),
    ).toThrow(TypeError);
  });
});

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe(code);
    return;
  }
  expect.unreachable(`expected ${code}`);
}
