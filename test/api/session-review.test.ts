import { afterEach, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/RawClient.js';
import { fakeServicesWiring } from '../helpers/fakeServicesWiring.js';
import { startTestDaemon, type TestDaemon } from '../helpers/startTestDaemon.js';

const CONSENT = { accepted: true, textVersion: '2026-01' };
const state = (f: { data?: unknown }) => (f.data as { state: string }).state;

describe('session.review over the socket', () => {
  let d: TestDaemon | undefined;
  afterEach(async () => d?.close());

  async function atReview(manualReview: boolean) {
    const wiring = fakeServicesWiring({ inconclusiveMatch: true, matchScore: 0.34, manualReview });
    d = await startTestDaemon({ wiring });
    const c = await RawClient.hello(d.url, d.token);
    const res = await c.request('session.start', { consent: CONSENT });
    return { c, wiring, sessionId: (res.result as { sessionId: string }).sessionId };
  }

  it('records an approval with the operator id: in the answer, session.get, the store row and the registration input', async () => {
    const { c, wiring, sessionId } = await atReview(true);
    await c.event('session.state', (f) => state(f) === 'review');
    const res = await c.request('session.review', {
      sessionId,
      operatorId: 'op-9',
      approve: true,
      note: 'old photo',
    });
    expect(res.error).toBeUndefined();
    expect(res.result).toMatchObject({
      state: 'registration.awaitingConfirmation',
      review: { operatorId: 'op-9', approve: true, note: 'old photo' },
    });
    const got = await c.request('session.get', { sessionId });
    const review = (got.result as { review: { decidedAt: string } }).review;
    expect(review).toMatchObject({ operatorId: 'op-9', approve: true, note: 'old photo' });
    expect(Number.isNaN(Date.parse(review.decidedAt))).toBe(false);
    expect(d!.daemon.store.sessions.get(sessionId)?.summary).toMatchObject({
      review: { operatorId: 'op-9', approve: true },
    });
    const confirmed = await c.request('session.confirmRegistration', {
      sessionId,
      msisdn: '+8613800138000',
      operatorId: 'op-7',
    });
    expect(confirmed.error).toBeUndefined();
    expect(wiring.reviewsSeen).toEqual([{ operatorId: 'op-9', approve: true, note: 'old photo' }]);
  });

  it('fails the session on a rejection and keeps who rejected it', async () => {
    const { c, sessionId } = await atReview(true);
    await c.event('session.state', (f) => state(f) === 'review');
    const res = await c.request('session.review', {
      sessionId,
      operatorId: 'op-9',
      approve: false,
    });
    expect(res.result).toMatchObject({
      state: 'failed',
      failure: { code: 'session_review_rejected' },
      review: { operatorId: 'op-9', approve: false },
    });
    expect(d!.daemon.store.sessions.get(sessionId)).toMatchObject({
      state: 'failed',
      failureCode: 'session_review_rejected',
      summary: { review: { operatorId: 'op-9' } },
    });
  });

  it('answers conflict outside the review state and logs the refusal without the payload', async () => {
    const { c, sessionId } = await atReview(false);
    await c.event('session.state', (f) => state(f) === 'failed');
    const res = await c.request('session.review', {
      sessionId,
      operatorId: 'op-secret-9',
      approve: true,
    });
    expect(res.error).toMatchObject({ code: 'conflict', data: { state: 'failed' } });
    const refused = d!.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'session event refused: not possible in this state');
    expect(refused).toEqual([
      expect.objectContaining({ session: sessionId, event: 'REVIEW.DECIDED', state: 'failed' }),
    ]);
    expect(JSON.stringify(refused)).not.toContain('op-secret-9');
  });
});
