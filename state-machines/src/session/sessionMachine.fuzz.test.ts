import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialTransition, transition, type AnyEventObject } from 'xstate';
import { isLiveActorEvent } from '../__fixtures__/isLiveActorEvent.js';
import { CONSENT, SESSION_ID } from '../__fixtures__/sessionEvents.js';
import { sessionMachine } from './sessionMachine.js';
import { sessionStateOf } from './sessionStateOf.js';

const TYPES = [
  'CANCEL',
  'CONSENT.GIVEN',
  'DOCUMENT.PRESENTED',
  'DOCUMENT.REMOVED',
  'CREDENTIALS.PROVIDED',
  'REGISTRATION.CONFIRMED',
  'DEVICE.LOST',
  'DEVICE.RESTORED',
  'REVIEW.DECIDED',
  'DOCUMENT.PROGRESS',
  'FACE.PROGRESS',
  'xstate.done.actor.readDocument',
  'xstate.error.actor.readDocument',
  'xstate.done.actor.captureFace',
  'xstate.error.actor.captureFace',
  'xstate.done.actor.matchFace',
  'xstate.done.actor.submitRegistration',
] as const;

/** Events of known types with hostile payloads: any field, any value. */
const hostileEvent: fc.Arbitrary<AnyEventObject> = fc
  .tuple(
    fc.constantFrom(...TYPES),
    fc.dictionary(
      fc.constantFrom(
        'reason',
        'consent',
        'documentKind',
        'credentials',
        'confirmation',
        'device',
        'operatorId',
        'approve',
        'note',
        'stage',
        'percent',
        'output',
        'error',
      ),
      fc.oneof(
        fc.anything(),
        fc.constant(null),
        fc.record({
          kind: fc.constantFrom('camera', 'documentReader', 'mrz', 'can'),
          id: fc.string(),
        }),
      ),
    ),
  )
  .map(([type, payload]) => ({ ...payload, type }));

/** Well-formed events that move the flow along, so the hostile ones reach every step. */
const happyEvent: fc.Arbitrary<AnyEventObject> = fc.constantFrom<AnyEventObject>(
  { type: 'CONSENT.GIVEN', consent: CONSENT },
  { type: 'DOCUMENT.PRESENTED', documentKind: 'emrtd' },
  {
    type: 'xstate.done.actor.readDocument',
    output: { kind: 'emrtd', hasPhoto: true, genuine: true },
  },
  { type: 'xstate.error.actor.readDocument', error: { code: 'document_credentials_required' } },
  { type: 'CREDENTIALS.PROVIDED', credentials: { kind: 'can', can: '123456' } },
  { type: 'xstate.done.actor.captureFace', output: { passed: true, reasons: [] } },
  {
    type: 'xstate.done.actor.matchFace',
    output: { score: 0.3, threshold: 0.35, decision: 'inconclusive' },
  },
  {
    type: 'xstate.done.actor.matchFace',
    output: { score: 0.9, threshold: 0.35, decision: 'match' },
  },
  { type: 'REGISTRATION.CONFIRMED', confirmation: { msisdn: '+861', operatorId: 'op' } },
  { type: 'DEVICE.LOST', device: { kind: 'camera', id: 'c' } },
  { type: 'DEVICE.RESTORED', device: { kind: 'camera', id: 'c' } },
);

describe('sessionMachine (fuzz)', () => {
  it('never throws, never errors and never emits a malformed session.state on hostile event payloads', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.oneof(hostileEvent, happyEvent), { maxLength: 25 }),
        (withConsent, events) => {
          const input = withConsent
            ? { sessionId: SESSION_ID, consent: CONSENT }
            : { sessionId: SESSION_ID };
          let [snapshot] = initialTransition(sessionMachine, input);
          for (const event of events) {
            // an actor's done/error event only arrives while it runs (see isLiveActorEvent)
            if (!isLiveActorEvent(snapshot, event)) continue;
            const [next, actions] = transition(sessionMachine, snapshot, event as never);
            expect(next.status, `after ${event.type}`).not.toBe('error');
            for (const a of actions as unknown as {
              type: string;
              params: {
                event?: { type: string; state?: unknown; step?: unknown; reason?: unknown };
              };
            }[]) {
              if (a.type !== 'xstate.emit' || a.params.event?.type !== 'session.state') continue;
              const e = a.params.event;
              expect(typeof e.state).toBe('string');
              expect(['consent', 'document', 'face', 'match', 'registration', 'done']).toContain(
                e.step,
              );
              if (e.reason !== undefined) {
                const r = e.reason as { code: unknown; message: unknown };
                expect(r.code).toMatch(/^[a-z][a-z0-9_]*$/);
                expect(typeof r.message).toBe('string');
              }
            }
            expect(sessionStateOf(next).state.length).toBeGreaterThan(0);
            snapshot = next;
            if (snapshot.status === 'done') break;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
