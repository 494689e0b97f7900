import { Type, type Static, type TSchema } from '@sinclair/typebox';
import {
  AccessControl,
  DocumentKind,
  LivenessChallengeKind,
  MatchDecision,
  Reason,
  RegistrationStatus,
} from './schemas/common.js';
import { DeviceInfo } from './schemas/DeviceInfo.js';
import { DocumentSummary, SessionStateName, SessionStep } from './schemas/SessionSnapshot.js';

/** What every entry of {@link EVENTS} declares. */
export interface EventSpec {
  /** Schema of the event's `data`. */
  readonly data: TSchema;
  /** One paragraph for docs/protocol.md. */
  readonly description: string;
  /** True for events that belong to a session (they carry `sessionId` and a per-session `seq`). */
  readonly session: boolean;
}

/**
 * Every event of wire protocol v1 with the schema of its `data`. Session events go to the
 * connections of the session's terminal and carry `sessionId` and `seq`.
 */
export const EVENTS = {
  'session.state': {
    data: Type.Object(
      {
        state: SessionStateName,
        step: SessionStep,
        previous: Type.Optional(
          Type.String({ maxLength: 64, description: 'The state before, when known.' }),
        ),
        reason: Type.Optional(Reason),
      },
      { additionalProperties: false },
    ),
    description:
      'The session moved. `reason` says why when it failed, was cancelled or expired, or a step is retried. A final state (completed, failed, cancelled, expired) is the last session.state of a session.',
    session: true,
  },
  'document.progress': {
    data: Type.Union(
      [
        Type.Object(
          {
            phase: Type.Optional(Type.Literal('read')),
            file: Type.String({
              maxLength: 32,
              description:
                'The file being read, e.g. DG1, DG2, EF.SOD, or "card" for a resident ID.',
            }),
            bytesRead: Type.Integer({ minimum: 0 }),
            totalBytes: Type.Integer({
              minimum: 0,
              description: 'The file length (0 until its header was read).',
            }),
          },
          { additionalProperties: false, title: 'DocumentReadProgress' },
        ),
        Type.Object(
          { phase: Type.Literal('accessControl'), protocol: AccessControl },
          {
            additionalProperties: false,
            title: 'DocumentAccessControlProgress',
            description: 'Access control (PACE, BAC) is running.',
          },
        ),
        Type.Object(
          { phase: Type.Literal('verify') },
          {
            additionalProperties: false,
            title: 'DocumentVerifyProgress',
            description: 'Authenticity checks are running.',
          },
        ),
      ],
      {
        description:
          'A file read (phase `read`, or no phase), or the access-control / verify phase starting.',
      },
    ),
    description:
      'Chip reading progress, for a progress bar: access control starts, each file read advances, verification starts.',
    session: true,
  },
  'document.read': {
    data: Type.Object(
      {
        kind: DocumentKind,
        summary: DocumentSummary,
        accessControl: AccessControl,
        genuine: Type.Boolean(),
      },
      { additionalProperties: false },
    ),
    description: 'The document was read and its authenticity checked.',
    session: true,
  },
  'face.guidance': {
    data: Type.Object(
      {
        code: Type.String({
          maxLength: 64,
          description:
            'Stable guidance code: no_face, multiple_faces, too_far, too_close, off_centre, too_dark, too_bright, blurred, look_straight, hold_still, turn_left, turn_right, blink, face_ok.',
        }),
        message: Type.Object(
          { en: Type.String({ maxLength: 256 }), 'zh-CN': Type.String({ maxLength: 256 }) },
          { additionalProperties: false, description: 'Ready-to-show text for the customer.' },
        ),
      },
      { additionalProperties: false },
    ),
    description: 'Tell the customer how to position their face.',
    session: true,
  },
  'face.preview': {
    data: Type.Object(
      {
        jpeg: Type.String({
          maxLength: 1_000_000,
          contentEncoding: 'base64',
          description: 'A downscaled camera frame, JPEG, base64.',
        }),
        width: Type.Integer({ minimum: 1, maximum: 4096 }),
        height: Type.Integer({ minimum: 1, maximum: 4096 }),
      },
      { additionalProperties: false },
    ),
    description:
      'A low-rate preview of what the camera sees, for the POS screen. Off unless the operator enables camera.preview; never stored by the daemon.',
    session: true,
  },
  'liveness.challenge': {
    data: Type.Object(
      {
        challenge: LivenessChallengeKind,
        index: Type.Integer({ minimum: 0, description: 'Zero-based index of this challenge.' }),
        total: Type.Integer({ minimum: 1, description: 'Number of challenges in the sequence.' }),
        deadlineMs: Type.Integer({
          minimum: 0,
          description: 'Time allowed for this challenge, in milliseconds.',
        }),
      },
      { additionalProperties: false },
    ),
    description: 'Ask the customer to perform the next liveness challenge.',
    session: true,
  },
  'liveness.result': {
    data: Type.Object(
      {
        passed: Type.Boolean(),
        reasons: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 32 }),
      },
      { additionalProperties: false },
    ),
    description: 'The liveness verdict; `reasons` holds registered codes when it failed.',
    session: true,
  },
  'match.result': {
    data: Type.Object(
      { score: Type.Number(), threshold: Type.Number(), decision: MatchDecision },
      { additionalProperties: false },
    ),
    description: 'The 1:1 comparison of the live face with the chip photo.',
    session: true,
  },
  'registration.status': {
    data: Type.Object(
      {
        registrationId: Type.String({ maxLength: 128 }),
        status: RegistrationStatus,
        reason: Type.Optional(Reason),
      },
      { additionalProperties: false },
    ),
    description:
      'Delivery of the registration record changed (queued → delivered, or rejected with a reason).',
    session: true,
  },
  'device.changed': {
    data: Type.Object({ device: DeviceInfo }, { additionalProperties: false }),
    description:
      'A device was plugged, unplugged or changed state. Sent to every authenticated connection; no sessionId.',
    session: false,
  },
} as const satisfies Record<string, EventSpec>;

/** Every event name of wire protocol v1. */
export type EventName = keyof typeof EVENTS;

/** The data of an event. */
export type EventData<E extends EventName> = Static<(typeof EVENTS)[E]['data']>;

/** The event names, in declaration order. */
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];

/** True when `name` is an event of wire protocol v1. */
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(EVENTS, name);
}
