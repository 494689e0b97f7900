import type { KycdConfig } from '../config/KycdConfig.js';
import type { FlowDeps } from '../daemon/startDaemon.js';
import type { DocumentReaderDevice } from '../devices/DocumentReaderDevice.js';
import { EmrtdReaderDevice } from '../devices/EmrtdReaderDevice.js';
import { pcscCardSlot } from '../devices/pcscCardSlot.js';
import { SamReaderDevice } from '../devices/SamReaderDevice.js';
import { CscaTrustStore } from '../documents/authenticity/CscaTrustStore.js';
import { openSamReader, type OpenedSamReader } from '../documents/sam/openSamReader.js';
import { PcscManager } from '../drivers/pcsc/PcscManager.js';
import type { PcscReader } from '../drivers/pcsc/PcscReader.js';
import {
  startRegistrationService,
  type RegistrationService,
} from '../registration/startRegistrationService.js';
import { createSessionFlow } from '../sessions/createSessionFlow.js';
import { createSessionServices } from '../sessions/createSessionServices.js';
import type { SessionFlowFactory } from '../sessions/SessionFlow.js';
import { createFaceServices } from './createFaceServices.js';
import { createRegistrationServices } from '../registration/createRegistrationServices.js';
import { loadFaceAnalysis } from './loadFaceAnalysis.js';
import { createProductionCamera } from './productionCamera.js';
import { sessionFlowConfigOf } from './sessionFlowConfigOf.js';
import type { Wiring } from './Wiring.js';

/**
 * Production wiring: PC/SC readers through pcscd (hot-plug), the SAM reader when configured,
 * the pinned camera through ffmpeg (virtual cameras refused), the face models, and the
 * registration outbox to the configured carrier. A device that is missing at start is reported
 * by `devices.list` and `kycd doctor`; sessions wait for it.
 */
export async function productionWiring(config: KycdConfig): Promise<Wiring> {
  const analysis = await loadFaceAnalysis(config.face);
  const trustStore =
    config.documents.cscaDir === undefined
      ? CscaTrustStore.empty()
      : await CscaTrustStore.fromDirectory(config.documents.cscaDir);
  const readPolicy = {
    preferPace: config.documents.preferPace,
    useExtendedLength: config.documents.useExtendedLength,
    maxShortRead: config.documents.maxShortRead,
    decodePhoto: config.documents.decodePhoto,
  };
  const cleanups: Array<() => Promise<void> | void> = [() => analysis.release()];
  let registration: RegistrationService | undefined;

  const flowFactory = (deps: FlowDeps): SessionFlowFactory => {
    const { devices, logger } = deps;
    const readers = new Map<string, DocumentReaderDevice>();

    // PC/SC readers, including hot-plugged ones.
    try {
      const pcsc = PcscManager.start();
      cleanups.push(() => pcsc.close());
      pcsc.on('error', (err) => {
        logger.warn({ err: err.message }, 'PC/SC unavailable');
        // every PC/SC reader is unusable while pcscd fails: their machines go to error → recovering
        for (const id of readers.keys()) {
          if (id.startsWith('pcsc:'))
            devices.fault(id, {
              code: 'document_reader_unavailable',
              message: `PC/SC failed: ${err.message}`,
            });
        }
      });
      const wanted = config.documents.pcscReader;
      const onReader = (reader: PcscReader): void => {
        if (wanted !== undefined && !reader.name.includes(wanted)) return;
        const id = `pcsc:${reader.name}`;
        readers.set(
          id,
          new EmrtdReaderDevice({
            id,
            slot: pcscCardSlot(reader),
            trustStore: () => trustStore,
            readPolicy,
          }),
        );
        if (devices.get(id) === undefined)
          devices.add({ id, kind: 'pcsc-reader', name: reader.name, simulated: false });
        else devices.attach(id);
        reader.on('end', () => {
          readers.delete(id);
          devices.detach(id);
        });
      };
      pcsc.on('reader', onReader);
      for (const reader of pcsc.readers) onReader(reader);
    } catch (err) {
      logger.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'no PC/SC: eMRTDs cannot be read',
      );
    }

    // The SAM resident-ID reader: its device machine opens it, and re-opens it with backoff.
    if (config.documents.sam.enabled) {
      const sam = config.documents.sam;
      const id = `sam:${sam.transport === 'serial' ? sam.serialPath : 'usb'}`;
      let opened: OpenedSamReader | undefined;
      cleanups.push(() => opened?.close());
      devices.add(
        { id, kind: 'sam-reader', name: id, simulated: false },
        {
          driver: {
            open: async () => {
              await opened?.close().catch(() => undefined);
              opened = await openSamReader(sam);
              const reader = opened.reader;
              readers.set(
                id,
                new SamReaderDevice({
                  id,
                  reader,
                  wltDecoder: opened.wltDecoder,
                  readAppendedAddress: sam.readAppendedAddress,
                  onError: (err) =>
                    devices.fault(id, {
                      code: 'document_sam_transport_failed',
                      message: String(err),
                    }),
                }),
              );
            },
          },
        },
      );
    }

    // The camera: pinned, never a virtual driver in production; re-checked on every (re)appearance.
    const camera = createProductionCamera({
      config: config.camera,
      mode: config.mode,
      devices,
      logger,
    });
    cleanups.push(() => camera.close());

    registration = startRegistrationService({
      store: deps.store,
      config,
      onError: (err) => logger.warn({ err: String(err) }, 'registration delivery problem'),
    });
    const registrationServices = createRegistrationServices({
      service: registration,
      storeId: config.store.storeId,
      models: { match: analysis.embedder.modelId, liveness: [analysis.antiSpoofModel.modelId] },
    });

    const face = createFaceServices({
      analysis,
      livenessParams: deps.config.liveness,
      ...(deps.config.camera.preview.enabled ? { preview: deps.config.camera.preview } : {}),
      openFrames: (signal) => camera.openFrames(signal),
    });
    const services = createSessionServices({
      readers: () => [...readers.values()],
      face,
      registration: registrationServices,
      devices,
    });
    return (session, start) =>
      createSessionFlow(session, start, {
        services,
        logger,
        flowConfig: sessionFlowConfigOf(config),
        posResult: config.privacy.posResult,
      });
  };

  return {
    flowFactory,
    dispose: async () => {
      await registration?.close();
      for (const cleanup of cleanups.reverse()) await cleanup();
    },
  };
}
