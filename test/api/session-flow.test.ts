import { afterEach, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/RawClient.js';
import { fakeServicesWiring, type FakeBehaviour } from '../helpers/fakeServicesWiring.js';
import { startTestDaemon, type TestDaemon } from '../helpers/startTestDaemon.js';

const CONSENT = { accepted: true, textVersion: '2026-01' };

describe('a session over the socket: real machine, fake devices', () => {
  let d: TestDaemon | undefined;
  afterEach(async () => d?.close());

  async function start(behaviour: FakeBehaviour = {}) {
    const wiring = fakeServicesWiring(behaviour);
    d = await startTestDaemon({ wiring });
    const c = await RawClient.hello(d.url, d.token);
    const res = await c.request('session.start', { consent: CONSENT });
    return { c, wiring, sessionId: (res.result as { sessionId: string }).sessionId };
  }
  const states = (c: RawClient) =>
    c.frames
      .filter((f) => f.event === 'session.state')
      .map((f) => (f.data as { state: string }).state);

  it('runs document → face → match → registration → completed, with every event in order', async () => {
    const { c, sessionId } = await start();
    await c.event(
      'session.state',
      (f) => (f.data as { state: string }).state === 'registration.awaitingConfirmation',
    );
    const read = await c.event('document.read');
    expect(read.data).toMatchObject({
      kind: 'emrtd',
      accessControl: 'PACE',
      genuine: true,
      summary: { documentNumber: '*****02C3' },
    });
    expect(JSON.stringify(c.frames)).not.toContain('L898902C3');
    expect((await c.event('match.result')).data).toEqual({
      score: 0.8,
      threshold: 0.35,
      decision: 'match',
    });
    const confirmed = await c.request('session.confirmRegistration', {
      sessionId,
      msisdn: '+8613800138000',
      operatorId: 'op-7',
    });
    expect(confirmed.result).toMatchObject({ status: 'queued' });
    await c.event('session.state', (f) => (f.data as { state: string }).state === 'completed');
    const seqs = c.frames.filter((f) => f.sessionId === sessionId).map((f) => f.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(states(c).slice(0, 2)).toEqual(['consent', expect.stringMatching(/^document/)]);
    // the read's and the capture's phases, as the reader and the face actor report them
    expect(states(c)).toEqual([
      'consent',
      'document.waiting',
      'document.reading.accessControl',
      'document.reading.files',
      'document.reading.authenticity',
      'document.verifying',
      'face.capturing.positioning',
      'face.capturing.liveness',
      'match',
      'registration.awaitingConfirmation',
      'registration.submitting',
      'completed',
    ]);
    // read progress comes through the machine, once each, before the read result
    const names = c.frames.filter((f) => f.sessionId === sessionId).map((f) => f.event);
    expect(c.frames.filter((f) => f.event === 'document.progress').map((f) => f.data)).toEqual([
      { phase: 'accessControl', protocol: 'PACE' },
      { phase: 'read', file: 'DG2', bytesRead: 100, totalBytes: 100 },
      { phase: 'verify' },
    ]);
    expect(names.lastIndexOf('document.progress')).toBeLessThan(names.indexOf('document.read'));
    expect(states(c).at(-1)).toBe('completed');
    const snapshot = await c.request('session.get', { sessionId });
    expect(snapshot.result).toMatchObject({
      state: 'completed',
      step: 'done',
      match: { decision: 'match' },
      liveness: { passed: true },
    });
    // The ended session's row, timeline and audit entry are in the store.
    const store = d!.daemon.store;
    expect(store.sessions.get(sessionId)).toMatchObject({ state: 'completed', step: 'done' });
    expect(store.events.since(sessionId, 0).map((e) => e.seq)).toEqual(seqs);
    expect(store.audit.verify().ok).toBe(true);
  });

  it('pauses for an MRZ when the chip needs credentials, then reads with them', async () => {
    const { c, sessionId, wiring } = await start({
      firstReadError: 'document_credentials_required',
    });
    await c.event('session.state', (f) => /credentials/i.test((f.data as { state: string }).state));
    const provided = await c.request('session.provideMrz', {
      sessionId,
      documentNumber: 'L898902C3',
      birthDate: '740812',
      expiryDate: '120415',
    });
    expect(provided.result).toEqual({ accepted: true });
    await c.event('document.read');
    expect(wiring.credentialsSeen.at(-1)).toEqual({
      kind: 'mrz',
      documentNumber: 'L898902C3',
      dateOfBirth: '740812',
      dateOfExpiry: '120415',
    });
  });

  it('never answers "queued" for a registration that was not written', async () => {
    const { c, sessionId } = await start({ registrationError: 'registration_store_full' });
    await c.event(
      'session.state',
      (f) => (f.data as { state: string }).state === 'registration.awaitingConfirmation',
    );
    const res = await c.request('session.confirmRegistration', {
      sessionId,
      msisdn: '+8613800138000',
      operatorId: 'op-7',
    });
    expect(res.result).toBeUndefined();
    expect(res.error).toMatchObject({
      code: 'conflict',
      data: { state: 'failed', reason: { code: 'registration_store_full' } },
    });
  });

  it('fails with a reason code when the face does not match', async () => {
    const { c } = await start({ matchScore: 0.1 });
    const failed = await c.event(
      'session.state',
      (f) => (f.data as { state: string }).state === 'failed',
    );
    expect(failed.data).toMatchObject({ step: 'done', reason: { code: 'session_face_no_match' } });
  });

  it('cancels from any state', async () => {
    const { c, sessionId } = await start({ firstReadError: 'document_credentials_required' });
    await c.event('session.state', (f) => /credentials/i.test((f.data as { state: string }).state));
    expect((await c.request('session.cancel', { sessionId })).result).toMatchObject({
      state: 'cancelled',
    });
    expect((await c.request('session.provideMrz', { sessionId, can: '123456' })).error?.code).toBe(
      'conflict',
    );
  });
});
