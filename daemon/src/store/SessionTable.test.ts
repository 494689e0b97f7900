import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from './openStore.js';
import type { Store } from './Store.js';

let dir: string;
let store: Store;
let now = 1_000;
beforeEach(() => {
  now = 1_000;
  dir = mkdtempSync(join(tmpdir(), 'kycd-sessions-'));
  store = openStore({ dataDir: dir, now: () => now });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SessionTable', () => {
  it('inserts and updates a session, keeping its terminal and creation time', () => {
    store.sessions.upsert({
      id: 's-1',
      terminalId: 't-1',
      state: 'reading_document',
      step: 'place_card',
      expiresAt: 9_000,
    });
    now = 2_000;
    const updated = store.sessions.upsert({
      id: 's-1',
      terminalId: 't-other',
      state: 'failed',
      failureCode: 'document_removed',
      summary: { genuine: false },
    });
    expect(updated).toEqual({
      id: 's-1',
      terminalId: 't-1',
      state: 'failed',
      createdAt: 1_000,
      updatedAt: 2_000,
      expiresAt: 9_000,
      failureCode: 'document_removed',
      summary: { genuine: false },
    });
    expect(store.sessions.list({ since: 1_500 }).map((s) => s.id)).toEqual(['s-1']);
    expect(store.sessions.get('nope')).toBeUndefined();
  });
  it('moves a session on, keeping its terminal, creation time, expiry, review summary, milestones and evidence when an update leaves them out', () => {
    store.sessions.upsert({
      id: 's-1',
      terminalId: 't-1',
      state: 'consent',
      step: 'consent',
      expiresAt: 900_000,
      summary: { review: { decision: 'approve', operatorId: 'op-7' } },
    });
    now = 2_000;
    store.sessions.upsert({
      id: 's-1',
      state: 'face.liveness',
      step: 'face',
      milestones: { documentReadAt: 1_500 },
    });
    now = 3_000;
    const evidence = [{ passed: false, reasons: ['liveness_challenge_timeout'] }];
    store.sessions.upsert({
      id: 's-1',
      state: 'failed',
      step: 'done',
      failureCode: 'session_face_attempts_exhausted',
      livenessEvidence: evidence,
    });
    now = 4_000;
    const last = store.sessions.upsert({
      id: 's-1',
      state: 'failed',
      step: 'done',
      failureCode: 'session_face_attempts_exhausted',
    });
    expect(last).toEqual({
      id: 's-1',
      terminalId: 't-1',
      state: 'failed',
      step: 'done',
      createdAt: 1_000,
      updatedAt: 4_000,
      expiresAt: 900_000,
      summary: { review: { decision: 'approve', operatorId: 'op-7' } },
      failureCode: 'session_face_attempts_exhausted',
      milestones: { documentReadAt: 1_500 },
      livenessEvidence: evidence,
    });
    expect(store.sessions.list({ since: 3_500 }).map((s) => s.id)).toEqual(['s-1']);
    expect(store.sessions.list({ since: 4_001 })).toEqual([]);
  });
});
