import type { EventObject } from 'xstate';
import type { SessionEvent } from '../session/sessionTypes.js';

const err = (code: string): { code: string; message: string } => ({
  code,
  message: `simulated ${code}`,
});

export const SESSION_ID = 'session-under-test';

export const CONSENT = { givenAtMs: 1_700_000_000_000, textId: 'consent-v1' } as const;

/** External events the traversals send (the daemon's and the POS's). */
export const EXTERNAL_EVENTS: readonly SessionEvent[] = [
  { type: 'CANCEL', reason: 'customer left' },
  { type: 'CONSENT.GIVEN', consent: CONSENT },
  { type: 'DOCUMENT.PRESENTED', documentKind: 'emrtd' },
  { type: 'DOCUMENT.REMOVED' },
  { type: 'CREDENTIALS.PROVIDED', credentials: { kind: 'can', can: '123456' } },
  {
    type: 'REGISTRATION.CONFIRMED',
    confirmation: { msisdn: '+8613800000000', operatorId: 'op-7' },
  },
  { type: 'DEVICE.LOST', device: { kind: 'documentReader', id: 'reader-0' } },
  { type: 'DEVICE.RESTORED', device: { kind: 'documentReader', id: 'reader-0' } },
  { type: 'DEVICE.LOST', device: { kind: 'camera', id: 'cam-0' } },
  { type: 'DEVICE.RESTORED', device: { kind: 'camera', id: 'cam-0' } },
  { type: 'REVIEW.DECIDED', operatorId: 'op-7', approve: true, note: 'old photo' },
  { type: 'REVIEW.DECIDED', operatorId: 'op-7', approve: false },
  {
    type: 'DOCUMENT.PROGRESS',
    progress: { phase: 'read', file: 'DG1', bytesRead: 10, totalBytes: 100 },
  },
  { type: 'DOCUMENT.PROGRESS', progress: { phase: 'verify' } },
  { type: 'FACE.PHASE', phase: 'liveness' },
  { type: 'FACE.PHASE', phase: 'bestFrame' },
];

/** Actor results, written as the done / error events XState delivers for each invoke id. */
export const ACTOR_EVENTS: readonly (EventObject & Record<string, unknown>)[] = [
  {
    type: 'xstate.done.actor.readDocument',
    output: { kind: 'emrtd', hasPhoto: true, genuine: true },
  },
  {
    type: 'xstate.done.actor.readDocument',
    output: {
      kind: 'emrtd',
      hasPhoto: true,
      genuine: false,
      authenticityCode: 'document_ds_untrusted',
    },
  },
  {
    type: 'xstate.done.actor.readDocument',
    output: { kind: 'emrtd', hasPhoto: false, genuine: true },
  },
  { type: 'xstate.error.actor.readDocument', error: err('document_credentials_required') },
  { type: 'xstate.error.actor.readDocument', error: err('document_card_removed') },
  { type: 'xstate.error.actor.readDocument', error: err('document_sod_invalid') },
  { type: 'xstate.error.actor.documentPresence', error: err('document_reader_unavailable') },
  { type: 'xstate.done.actor.captureFace', output: { passed: true, reasons: [] } },
  {
    type: 'xstate.done.actor.captureFace',
    output: { passed: false, reasons: ['liveness_challenge_timeout'] },
  },
  { type: 'xstate.error.actor.captureFace', error: err('face_not_found') },
  { type: 'xstate.error.actor.captureFace', error: err('camera_unplugged') },
  {
    type: 'xstate.done.actor.matchFace',
    output: { score: 0.78, threshold: 0.35, decision: 'match' },
  },
  {
    type: 'xstate.done.actor.matchFace',
    output: { score: 0.1, threshold: 0.35, decision: 'no_match' },
  },
  {
    type: 'xstate.done.actor.matchFace',
    output: { score: 0.34, threshold: 0.35, decision: 'inconclusive' },
  },
  { type: 'xstate.error.actor.matchFace', error: err('model_inference_failed') },
  { type: 'xstate.done.actor.submitRegistration', output: { status: 'delivered' } },
  { type: 'xstate.done.actor.submitRegistration', output: { status: 'queued' } },
  { type: 'xstate.error.actor.submitRegistration', error: err('registration_store_full') },
];

/** Every event the session traversals may send. Delayed (`xstate.after.*`) events are added by xstate/graph. */
export const ALL_SESSION_EVENTS: readonly EventObject[] = [...EXTERNAL_EVENTS, ...ACTOR_EVENTS];
