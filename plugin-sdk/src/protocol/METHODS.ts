import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { PROTOCOL } from './protocolConstants.js';
import { DocumentKind, MrzDate, SeqNumber, SessionId } from './schemas/common.js';
import { DeviceInfo } from './schemas/DeviceInfo.js';
import { SessionSnapshot } from './schemas/SessionSnapshot.js';

/** What every entry of {@link METHODS} declares. */
export interface MethodSpec {
  /** Schema of `params` (always an object with `additionalProperties: false`). */
  readonly params: TSchema;
  /** Schema of `result`. */
  readonly result: TSchema;
  /** One paragraph for docs/protocol.md. */
  readonly description: string;
  /** True when the method needs an authenticated connection (everything but `hello`). */
  readonly auth: boolean;
  /** True for the simulator-control methods, which exist only when the daemon runs with `--sim`. */
  readonly simOnly?: boolean;
}

const NoParams = Type.Object({}, { additionalProperties: false });
const SimOk = Type.Object({ ok: Type.Literal(true) }, { additionalProperties: false });

const SessionRef = { sessionId: SessionId };

const OperatorId = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'The shop operator who acts (recorded with the decision).',
});

const Msisdn = Type.String({
  pattern: '^\\+?[1-9][0-9]{6,14}$',
  minLength: 7,
  maxLength: 16,
  description: 'The phone number being registered, E.164 (optional leading +, 7–15 digits).',
});

/** `hello` result: who the daemon is and what it offers. */
const HelloResult = Type.Object(
  {
    protocol: Type.Literal(PROTOCOL),
    daemonVersion: Type.String({ maxLength: 64 }),
    capabilities: Type.Array(Type.String({ maxLength: 64 }), {
      maxItems: 64,
      description: 'Feature flags, e.g. "sim", "emrtd", "cn-resident-id", "liveness".',
    }),
    devices: Type.Array(DeviceInfo, { maxItems: 256 }),
    terminal: Type.Object(
      { id: Type.String({ maxLength: 128 }), name: Type.String({ maxLength: 256 }) },
      {
        additionalProperties: false,
        description: 'The paired terminal this token belongs to (from `kycd pair --name`).',
      },
    ),
  },
  { additionalProperties: false },
);

const ProvideMrzByMrz = Type.Object(
  {
    ...SessionRef,
    mrz: Type.String({
      minLength: 30,
      maxLength: 128,
      pattern: '^[A-Z0-9<\\r\\n ]+$',
      description:
        'The full machine-readable zone as scanned (TD1, TD2 or TD3), lines separated by newlines.',
    }),
  },
  { additionalProperties: false, title: 'ProvideMrzByMrz' },
);
const ProvideMrzByFields = Type.Object(
  {
    ...SessionRef,
    documentNumber: Type.String({
      minLength: 1,
      maxLength: 20,
      pattern: '^[A-Za-z0-9<]+$',
      description: 'Document number as in the MRZ.',
    }),
    birthDate: MrzDate,
    expiryDate: MrzDate,
  },
  { additionalProperties: false, title: 'ProvideMrzByFields' },
);
const ProvideMrzByCan = Type.Object(
  {
    ...SessionRef,
    can: Type.String({
      pattern: '^[0-9]{6}$',
      minLength: 6,
      maxLength: 6,
      description: 'The 6-digit Card Access Number printed on the card (PACE).',
    }),
  },
  { additionalProperties: false, title: 'ProvideMrzByCan' },
);

const SimHolder = Type.Object(
  {
    fullName: Type.Optional(Type.String({ maxLength: 128 })),
    surname: Type.Optional(Type.String({ maxLength: 64 })),
    givenNames: Type.Optional(Type.String({ maxLength: 64 })),
    documentNumber: Type.Optional(Type.String({ maxLength: 20, pattern: '^[A-Za-z0-9<]*$' })),
    nationality: Type.Optional(Type.String({ maxLength: 3, pattern: '^[A-Z<]*$' })),
    sex: Type.Optional(
      Type.Union([Type.Literal('male'), Type.Literal('female'), Type.Literal('unspecified')]),
    ),
    birthDate: Type.Optional(
      Type.String({
        pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
        maxLength: 10,
        description: 'ISO YYYY-MM-DD.',
      }),
    ),
    expiryDate: Type.Optional(
      Type.String({
        pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
        maxLength: 10,
        description: 'ISO YYYY-MM-DD.',
      }),
    ),
    address: Type.Optional(Type.String({ maxLength: 256 })),
    photo: Type.Optional(
      Type.String({
        maxLength: 64,
        pattern: '^[A-Za-z0-9_-]*$',
        description: 'A built-in sample face for the chip photo.',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'Holder data written to the virtual chip; omitted fields take sample values.',
  },
);

/**
 * Every method of wire protocol v1: params and result schemas, a description, and whether it
 * needs authentication or the simulator. The daemon validates every incoming frame against
 * these; the SDK derives its types from them; docs/protocol.md is generated from them.
 */
export const METHODS = {
  hello: {
    params: Type.Object(
      {
        token: Type.String({
          minLength: 1,
          maxLength: 256,
          description: 'The pairing token printed by `kycd pair`.',
        }),
        client: Type.Optional(
          Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 64 }),
              version: Type.String({ minLength: 1, maxLength: 32 }),
            },
            { additionalProperties: false, description: 'The POS software, for the daemon log.' },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    result: HelloResult,
    description:
      'Authenticate the connection with a pairing token. Must be the first request; anything else before it answers `unauthenticated`, and repeated bad tokens close the socket (1008). Revoking the terminal (`kycd tokens revoke`) closes its open connections with 1008 within about a second.',
    auth: false,
  },
  'devices.list': {
    params: NoParams,
    result: Type.Object(
      { devices: Type.Array(DeviceInfo, { maxItems: 256 }) },
      { additionalProperties: false },
    ),
    description: 'List the cameras and card readers the daemon knows about, with their state.',
    auth: true,
  },
  'session.start': {
    params: Type.Object(
      {
        consent: Type.Object(
          {
            accepted: Type.Literal(true, {
              description: 'The customer accepted the consent text. Must be literally true.',
            }),
            textVersion: Type.String({
              minLength: 1,
              maxLength: 64,
              description: 'Version of the consent text that was shown.',
            }),
          },
          {
            additionalProperties: false,
            description: 'Explicit consent of the customer, required.',
          },
        ),
        documentKinds: Type.Optional(
          Type.Array(DocumentKind, {
            minItems: 1,
            maxItems: 2,
            uniqueItems: true,
            description: 'Accepted document kinds (default: all).',
          }),
        ),
        msisdn: Type.Optional(Msisdn),
        reference: Type.Optional(
          Type.String({
            maxLength: 128,
            description: "The POS's own reference for this sale, echoed in the registration.",
          }),
        ),
      },
      { additionalProperties: false },
    ),
    result: SessionSnapshot,
    description:
      'Start a verification session for this terminal. Requires `consent.accepted: true` and the version of the consent text shown. Events for the session follow with seq 1, 2, … Answers `device_unavailable` (with `data.missing`) when every camera, or every reader for the accepted document kinds, is absent or failed.',
    auth: true,
  },
  'session.get': {
    params: Type.Object(SessionRef, { additionalProperties: false }),
    result: SessionSnapshot,
    description:
      "Read a session's current snapshot. Only sessions of the caller's terminal are visible (others answer `not_found`).",
    auth: true,
  },
  'session.cancel': {
    params: Type.Object(
      {
        ...SessionRef,
        reason: Type.Optional(
          Type.String({ maxLength: 256, description: 'Why, for the audit log.' }),
        ),
      },
      { additionalProperties: false },
    ),
    result: SessionSnapshot,
    description: 'Cancel a session. Cancelling a session in a final state answers `conflict`.',
    auth: true,
  },
  'session.provideMrz': {
    params: Type.Union([ProvideMrzByMrz, ProvideMrzByFields, ProvideMrzByCan], {
      description:
        'One of: the full MRZ; the document number, birth date and expiry date; or the CAN.',
    }),
    result: Type.Object({ accepted: Type.Literal(true) }, { additionalProperties: false }),
    description:
      'Give the access-control key an eMRTD needs (BAC/PACE from MRZ data, or PACE with the CAN) when the session waits for it (state `document.credentials`). Otherwise answers `conflict`.',
    auth: true,
  },
  'session.confirmRegistration': {
    params: Type.Object(
      {
        ...SessionRef,
        msisdn: Msisdn,
        operatorId: OperatorId,
        confirmedFields: Type.Optional(
          Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
            maxItems: 32,
            uniqueItems: true,
            description: 'Summary fields the operator checked with the customer.',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    result: Type.Object(
      {
        registrationId: Type.String({ maxLength: 128 }),
        status: Type.Union([Type.Literal('queued'), Type.Literal('delivered')]),
      },
      { additionalProperties: false },
    ),
    description:
      'Confirm the verified details (state `registration.awaitingConfirmation`) and submit the registration. It is stored durably in the outbox before this answers; `registration.status` events report delivery.',
    auth: true,
  },
  'session.review': {
    params: Type.Object(
      {
        ...SessionRef,
        operatorId: OperatorId,
        approve: Type.Boolean({ description: 'The operator approves (true) or rejects (false).' }),
        note: Type.Optional(Type.String({ maxLength: 1000 })),
      },
      { additionalProperties: false },
    ),
    result: SessionSnapshot,
    description:
      'Record an operator decision for a session in state `review` (only when the configured policy allows manual review). Otherwise answers `conflict`.',
    auth: true,
  },
  'session.resume': {
    params: Type.Object(
      {
        ...SessionRef,
        afterSeq: SeqNumber('The last seq the client has seen for this session (0 for none).'),
      },
      { additionalProperties: false },
    ),
    result: Type.Object(
      {
        snapshot: SessionSnapshot,
        replayed: SeqNumber('How many events the daemon re-sends after this response.'),
      },
      { additionalProperties: false },
    ),
    description:
      'After a reconnect: subscribe this connection to a session again. The daemon answers, then re-sends every event with seq > afterSeq, in order, and continues live.',
    auth: true,
  },
  'sim.insertDocument': {
    params: Type.Object(
      {
        kind: DocumentKind,
        holder: Type.Optional(SimHolder),
        fault: Type.Optional(
          Type.String({
            maxLength: 64,
            pattern: '^[A-Za-z0-9_.-]*$',
            description:
              'Inject a fault. eMRTD: pulledMidRead, wrongMacOnRead, truncateOnRead, corruptTlvInDataGroup, expiredDs, untrustedDs, hashMismatch, chipClone (alias cloned), hideCloneDetection, bacOnly. Resident ID: pulledMidRead, bad-checksum, truncated-frame, sam-self-test-failure, card-auth-failure, read-failure. An unknown name is invalid_params.',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    result: SimOk,
    description: 'Simulator: put a virtual document on the reader.',
    auth: true,
    simOnly: true,
  },
  'sim.removeDocument': {
    params: NoParams,
    result: SimOk,
    description: 'Simulator: take the virtual document off the reader.',
    auth: true,
    simOnly: true,
  },
  'sim.presentFace': {
    params: Type.Object(
      {
        photo: Type.Optional(
          Type.String({
            maxLength: 64,
            pattern: '^[A-Za-z0-9_-]*$',
            description:
              'A built-in sample face, e.g. "sample5-0" (default: the first one); an unknown name is invalid_params listing the known ones.',
          }),
        ),
        behavior: Type.String({
          minLength: 1,
          maxLength: 64,
          pattern: '^[A-Za-z0-9_.-]+$',
          description:
            'How the virtual face behaves: "live" (a cooperative person who follows the challenges), "print" (a printed photo, tilted when asked to turn), "screen" (the photo replayed on a phone screen), "neverBlinks", "wrongWay" (turns the other way), "secondFace" (another person enters the frame), "swap" (another person takes over mid-check), "noFace" (nobody there), "dark" (a person in near darkness). Anything else is invalid_params.',
        }),
      },
      { additionalProperties: false },
    ),
    result: SimOk,
    description:
      'Simulator: put a face (or a presentation attack) before the virtual camera; it follows the liveness challenges as the given behavior does.',
    auth: true,
    simOnly: true,
  },
  'sim.removeFace': {
    params: NoParams,
    result: SimOk,
    description: 'Simulator: the face leaves the virtual camera.',
    auth: true,
    simOnly: true,
  },
  'sim.setCarrier': {
    params: Type.Object(
      {
        mode: Type.Union(
          [Type.Literal('ok'), Type.Literal('fail'), Type.Literal('stall'), Type.Literal('reject')],
          {
            description: 'How the simulated carrier back end answers registrations.',
          },
        ),
      },
      { additionalProperties: false },
    ),
    result: SimOk,
    description: 'Simulator: set how the simulated carrier back end behaves.',
    auth: true,
    simOnly: true,
  },
  'sim.cameraFault': {
    params: Type.Object(
      {
        mode: Type.Union([Type.Literal('ok'), Type.Literal('stall'), Type.Literal('fail')], {
          description:
            'How the plugged-in virtual camera misbehaves: "stall" (no more frames, a hung driver, until "ok"), "fail" (the open stream fails once with camera_stream_failed, as ffmpeg exits on a driver error), "ok" (normal again).',
        }),
      },
      { additionalProperties: false },
    ),
    result: SimOk,
    description:
      'Simulator: make the virtual camera fail the way real capture does while it stays plugged in.',
    auth: true,
    simOnly: true,
  },
  'sim.unplug': {
    params: Type.Object(
      { deviceId: Type.String({ minLength: 1, maxLength: 128 }) },
      { additionalProperties: false },
    ),
    result: SimOk,
    description: 'Simulator: unplug a simulated device (hot-unplug).',
    auth: true,
    simOnly: true,
  },
  'sim.plug': {
    params: Type.Object(
      { deviceId: Type.String({ minLength: 1, maxLength: 128 }) },
      { additionalProperties: false },
    ),
    result: SimOk,
    description: 'Simulator: plug a simulated device back in.',
    auth: true,
    simOnly: true,
  },
} as const satisfies Record<string, MethodSpec>;

/** Every method name of wire protocol v1. */
export type MethodName = keyof typeof METHODS;

/** The params a method takes. */
export type MethodParams<M extends MethodName> = Static<(typeof METHODS)[M]['params']>;

/** The result a method answers. */
export type MethodResult<M extends MethodName> = Static<(typeof METHODS)[M]['result']>;

/** The method names, in declaration order. */
export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

/** True when `name` is a method of wire protocol v1. */
export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(METHODS, name);
}
