import { KycdError } from '@kycd/plugin-sdk';
import type { SessionDevice } from '@kycd/state-machines';
import {
  isUnusableDeviceState as isLost,
  type DeviceInfo,
  type DeviceRegistry,
} from '../devices/DeviceRegistry.js';
import type { DocumentReaderDevice } from '../devices/DocumentReaderDevice.js';
import type { FaceCaptureOutcome, SessionServices } from './SessionServices.js';

/** Read failures that mean the reader itself is in trouble (pcscd down, reader gone): fault it so it recovers. */
export const READER_FAULT_CODES: readonly string[] = [
  'document_reader_unavailable',
  'document_sam_transport_failed',
];

/** Capture failures that mean the camera itself is in trouble: fault it so it recovers. */
export const CAMERA_FAULT_CODES: readonly string[] = ['camera_stream_failed', 'camera_stalled'];

/** The face side of a session: liveness capture and matching (see daemon/src/face). */
export type FaceServices = Pick<SessionServices, 'captureFace' | 'matchFace'>;

/** The registration side: signing and the outbox (see daemon/src/registration). */
export type RegistrationServices = Pick<SessionServices, 'submitRegistration'>;

/**
 * Compose a session's services from the document readers, the face services and the
 * registration services. Documents: the session watches every reader and reads the one the
 * customer put a document on.
 */
export function createSessionServices(parts: {
  readers: () => readonly DocumentReaderDevice[];
  face: FaceServices;
  registration: RegistrationServices;
  /**
   * Device lifecycle: the camera, the reader holding the document, or every reader going
   * unusable suspends the session (`watchDevices`).
   */
  devices?: DeviceRegistry;
}): SessionServices {
  let current: DocumentReaderDevice | undefined;
  const { devices } = parts;
  return {
    ...(devices === undefined
      ? {}
      : {
          watchDevices(onEvent) {
            const kindOf = (device: DeviceInfo): SessionDevice['kind'] =>
              device.kind === 'camera' ? 'camera' : 'documentReader';
            const isReader = (device: DeviceInfo): boolean => device.kind !== 'camera';
            /**
             * Whether an unusable device blocks the session: the camera always; a reader when it
             * holds the document being read, or when no reader is usable at all (a broken SAM
             * reader does not stop a passport on a working PC/SC reader).
             */
            const blocks = (device: DeviceInfo, all: readonly DeviceInfo[]): boolean =>
              isLost(device.state) &&
              (!isReader(device) ||
                current?.id === device.id ||
                all.filter(isReader).every((r) => isLost(r.state)));
            const reported = new Set<string>();
            const sync = (): void => {
              const all = devices.list();
              for (const device of all) {
                const ref = { kind: kindOf(device), id: device.id };
                if (blocks(device, all)) {
                  if (reported.has(device.id)) continue;
                  reported.add(device.id);
                  onEvent({ type: 'lost', device: ref });
                } else if (
                  reported.has(device.id) &&
                  (device.state === 'ready' ||
                    device.state === 'busy' ||
                    (isReader(device) && isLost(device.state)))
                ) {
                  // back, or a reader that no longer blocks (another one is usable)
                  reported.delete(device.id);
                  onEvent({ type: 'restored', device: ref });
                }
              }
            };
            devices.on('changed', sync);
            // Changes alone miss a device that is already gone when the session starts: report
            // those now (after the caller's setup), so a step that needs one suspends at once.
            let watching = true;
            queueMicrotask(() => {
              if (watching) sync();
            });
            return () => {
              watching = false;
              devices.off('changed', sync);
            };
          },
        }),
    presentDocument() {
      return parts.readers().find((r) => r.present)?.documentKind;
    },
    watchDocument(onEvent) {
      const unsubscribes = parts.readers().map((reader) =>
        reader.watch((event) => {
          if (event.type === 'presented') current = reader;
          else if (current === reader) current = undefined;
          onEvent(event);
        }),
      );
      const present = parts.readers().find((r) => r.present);
      if (present !== undefined) {
        current = present;
        queueMicrotask(() => onEvent({ type: 'presented', kind: present.documentKind }));
      }
      return () => {
        for (const u of unsubscribes) u();
      };
    },
    async readDocument({ kind, credentials, signal, onProgress, sessionId }) {
      // The reader that reported the document the machine is waiting on (its kind wins over a
      // stale presence on another reader).
      const present = parts.readers().filter((r) => r.present);
      const reader =
        (current?.documentKind === kind ? current : undefined) ??
        present.find((r) => r.documentKind === kind) ??
        current ??
        present[0];
      if (reader === undefined)
        throw new KycdError('document_no_card', 'no document is on a reader');
      const read = () => reader.read({ credentials, signal, onProgress });
      // The reader is busy for this session while it reads; a reader fault puts it into recovery.
      return devices === undefined
        ? read()
        : devices.use(reader.id, sessionId ?? 'session', read, READER_FAULT_CODES);
    },
    captureFace: (input): Promise<FaceCaptureOutcome> => {
      const capture = () => parts.face.captureFace(input);
      const camera = devices?.list().find((d) => d.kind === 'camera' && d.state === 'ready');
      if (devices === undefined || camera === undefined) return capture();
      return devices.use(camera.id, input.sessionId ?? 'session', capture, CAMERA_FAULT_CODES);
    },
    matchFace: (input) => parts.face.matchFace(input),
    submitRegistration: (input) => parts.registration.submitRegistration(input),
  };
}
