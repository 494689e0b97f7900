import { KycdError } from '@kycd/plugin-sdk';
import type { DeviceRegistry } from '../devices/DeviceRegistry.js';
import type { DocumentReaderDevice } from '../devices/DocumentReaderDevice.js';
import type { FaceCaptureOutcome, SessionServices } from './SessionServices.js';

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
  /** Device lifecycle: a camera or reader that goes absent suspends the session. */
  devices?: DeviceRegistry;
}): SessionServices {
  let current: DocumentReaderDevice | undefined;
  const { devices } = parts;
  return {
    ...(devices === undefined
      ? {}
      : {
          watchDevices(onEvent) {
            const onChanged = (device: { id: string; kind: string; state: string }): void => {
              const kind = device.kind === 'camera' ? 'camera' : 'documentReader';
              if (device.state === 'absent' || device.state === 'error') onEvent({ type: 'lost', device: { kind, id: device.id } });
              else if (device.state === 'ready') onEvent({ type: 'restored', device: { kind, id: device.id } });
            };
            devices.on('changed', onChanged);
            return () => devices.off('changed', onChanged);
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
    async readDocument({ kind, credentials, signal, publish }) {
      // The reader that reported the document the machine is waiting on (its kind wins over a
      // stale presence on another reader).
      const present = parts.readers().filter((r) => r.present);
      const reader = (current?.documentKind === kind ? current : undefined) ?? present.find((r) => r.documentKind === kind) ?? current ?? present[0];
      if (reader === undefined) throw new KycdError('document_no_card', 'no document is on a reader');
      return reader.read({ credentials, signal, onProgress: (p) => publish('document.progress', p) });
    },
    captureFace: (input): Promise<FaceCaptureOutcome> => parts.face.captureFace(input),
    matchFace: (input) => parts.face.matchFace(input),
    submitRegistration: (input) => parts.registration.submitRegistration(input),
  };
}
