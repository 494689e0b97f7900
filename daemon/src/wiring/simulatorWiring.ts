import { KycdError } from '@kycd/plugin-sdk';
import type { FaceAnalysis } from '@kycd/models';
import {
  FACE_BEHAVIORS,
  ReferenceCarrier,
  SAMPLE_FACE_PHOTOS,
  SimulatedCamera,
  SimulatedDocumentReader,
  TestPki,
  VirtualEmrtd,
  VirtualSamReader,
  createSamplePortrait,
  loadSimFace,
  startSamPty,
  type CarrierBehaviour,
  type EmrtdFaults,
  type EmrtdHolder,
  type EmrtdPhoto,
  type FaceBehavior,
  type FaceCue,
  type SamPty,
  type SimSamFault,
  type SimCnResidentIdHolder,
  SIM_DEFAULT_RESIDENT,
} from '@kycd/hardware-sim';
import type { MethodHandler } from '../api/createDispatcher.js';
import { parseConfig } from '../config/loadConfig.js';
import type { KycdConfig } from '../config/KycdConfig.js';
import type { FlowDeps } from '../daemon/startDaemon.js';
import { CscaTrustStore } from '../documents/authenticity/CscaTrustStore.js';
import { SamReader } from '../documents/sam/SamReader.js';
import { SerialSamTransport } from '../drivers/serial/SerialSamTransport.js';
import { PcscManager } from '../drivers/pcsc/PcscManager.js';
import type { DocumentReaderDevice } from '../devices/DocumentReaderDevice.js';
import { EmrtdReaderDevice, type CardSlot } from '../devices/EmrtdReaderDevice.js';
import { pcscCardSlot } from '../devices/pcscCardSlot.js';
import { SamReaderDevice } from '../devices/SamReaderDevice.js';
import {
  startRegistrationService,
  type RegistrationService,
} from '../registration/startRegistrationService.js';
import { createSessionFlow } from '../sessions/createSessionFlow.js';
import { createSessionServices } from '../sessions/createSessionServices.js';
import { createFaceServices } from './createFaceServices.js';
import { createRegistrationServices } from '../registration/createRegistrationServices.js';
import { MemoryCardSlot } from './sim/MemoryCardSlot.js';
import { loadFaceAnalysis } from './loadFaceAnalysis.js';
import { sessionFlowConfigOf } from './sessionFlowConfigOf.js';
import type { Wiring } from './Wiring.js';

/** Device ids of the simulator (as `devices.list` shows them and `sim.unplug` takes them). */
export const SIM_DEVICE_IDS = {
  camera: 'sim-camera',
  emrtdReader: 'sim-emrtd-reader',
  samReader: 'sim-sam-reader',
} as const;

/** The sample person the simulator uses unless told otherwise: the first of the catalogue. */
export const SIM_DEFAULT_PHOTO: string = SAMPLE_FACE_PHOTOS[0]?.id ?? '';

export interface SimulatorWiringOptions {
  /**
   * How the virtual eMRTD reaches the daemon: `memory` (APDUs in process; no pcscd needed) or
   * through the real PC/SC stack via the vpcd slot on this port (pcscd with vsmartcard-vpcd
   * must be running). Default: `memory`.
   */
  emrtd?: 'memory' | { vpcdPort: number };
  /** Camera pacing: `realtime` (a real camera's clock) or `virtual` (as fast as analysed). */
  cameraPacing?: 'realtime' | 'virtual';
  /** Randomness of the challenge order and the simulated person (seeded in tests). */
  seed?: number;
  modelsDir?: string;
}

/** The simulated devices, for tests that want to reach behind the API. */
export interface SimulatorRig {
  readonly camera: SimulatedCamera;
  readonly samReader: VirtualSamReader;
  readonly carrier: ReferenceCarrier;
  readonly pki: TestPki;
  readonly analysis: FaceAnalysis;
}

/**
 * `kycd start --sim`: the real daemon, flow, protocols and models against simulated devices —
 * a virtual eMRTD (memory or pcscd + vpcd), a virtual SAM reader on a pty (opened through the
 * serial driver like a USB-serial reader), a simulated camera and the reference carrier.
 */
export async function simulatorWiring(
  config: KycdConfig,
  options: SimulatorWiringOptions = {},
): Promise<Wiring & { rig: SimulatorRig }> {
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const random = mulberry32(seed);
  const analysis = await loadFaceAnalysis(
    config.face,
    options.modelsDir === undefined ? {} : { modelsDir: options.modelsDir },
  );
  const camera = new SimulatedCamera({ pacing: options.cameraPacing ?? 'realtime', seed });
  const pki = await TestPki.create();
  const trustStore = CscaTrustStore.fromCertificates([
    new Uint8Array(pki.csca.certificate.rawData),
  ]);
  const carrier = new ReferenceCarrier();
  await carrier.start();

  // eMRTD reader.
  let memorySlot: MemoryCardSlot | undefined;
  let vpcdReader: SimulatedDocumentReader | undefined;
  let pcsc: PcscManager | undefined;
  let emrtdSlot: CardSlot;
  if (options.emrtd === undefined || options.emrtd === 'memory') {
    memorySlot = new MemoryCardSlot();
    emrtdSlot = memorySlot;
  } else {
    vpcdReader = await SimulatedDocumentReader.create({ port: options.emrtd.vpcdPort, pki });
    pcsc = PcscManager.start();
    emrtdSlot = pcscCardSlot(
      await pcsc.waitForReader({ name: vpcdReader.readerName, timeoutMs: 15_000 }),
    );
  }
  const emrtdDevice = new EmrtdReaderDevice({
    id: SIM_DEVICE_IDS.emrtdReader,
    slot: emrtdSlot,
    trustStore: () => trustStore,
  });

  // SAM reader on a pty, opened like /dev/ttyUSB0.
  const samReader = new VirtualSamReader();
  // The "licensed decoder" of the simulator knows the photos its own SAM put on the cards.
  const wltDecoder = samReader.wltDecoder;
  const pty: SamPty = await startSamPty(samReader);
  const samTransport = await SerialSamTransport.open(pty.path, { baudRate: 115_200 });
  const samDevice = new SamReaderDevice({
    id: SIM_DEVICE_IDS.samReader,
    reader: new SamReader(samTransport),
    wltDecoder,
    readAppendedAddress: true,
  });

  let registration: RegistrationService | undefined;
  const readers: DocumentReaderDevice[] = [emrtdDevice, samDevice];

  const flowFactory = (deps: FlowDeps) => {
    const { devices, logger } = deps;
    devices.add({
      id: SIM_DEVICE_IDS.camera,
      kind: 'camera',
      name: 'kycd simulated camera',
      simulated: true,
    });
    devices.add({
      id: SIM_DEVICE_IDS.emrtdReader,
      kind: 'pcsc-reader',
      name: emrtdSlot.name,
      simulated: true,
    });
    devices.add({
      id: SIM_DEVICE_IDS.samReader,
      kind: 'sam-reader',
      name: `kycd virtual SAM reader (${pty.path})`,
      simulated: true,
    });
    // The built-in reference carrier receives the registrations (it trusts this terminal's key),
    // unless registration.endpoint names another one (a carrier that outlives the daemon, as the
    // crash test needs).
    const endpoint =
      deps.config.registration.endpoint === '' ? carrier.url : deps.config.registration.endpoint;
    const regConfig = parseConfig({
      ...structuredClone(deps.config),
      registration: { ...deps.config.registration, endpoint },
    });
    registration = startRegistrationService({
      store: deps.store,
      config: regConfig,
      onError: (err) => logger.warn({ err: String(err) }, 'registration delivery problem'),
    });
    carrier.trust(registration.key.publicKeyPem);
    const registrationServices = createRegistrationServices({
      service: registration,
      storeId: regConfig.store.storeId,
      models: { match: analysis.embedder.modelId, liveness: [analysis.antiSpoofModel.modelId] },
    });
    const face = createFaceServices({
      analysis,
      livenessParams: deps.config.liveness,
      ...(deps.config.camera.preview.enabled ? { preview: deps.config.camera.preview } : {}),
      random,
      openFrames: (signal) => camera.frames({ signal }),
      onChallenge: (e) =>
        camera.cue(e.type === 'challenge.started' ? (e.challenge as FaceCue) : 'frontal'),
    });
    const services = createSessionServices({
      readers: () => readers,
      face,
      registration: registrationServices,
      devices,
    });
    return (
      session: Parameters<ReturnType<Wiring['flowFactory']>>[0],
      start: Parameters<ReturnType<Wiring['flowFactory']>>[1],
    ) =>
      createSessionFlow(session, start, {
        services,
        logger,
        flowConfig: sessionFlowConfigOf(deps.config),
        posResult: deps.config.privacy.posResult,
      });
  };

  const simulator = (deps: FlowDeps): Readonly<Record<string, MethodHandler>> => ({
    'sim.insertDocument': (async (params: {
      kind: 'emrtd' | 'cn-resident-id';
      holder?: SimHolderParams;
      fault?: string;
    }) => {
      const photoId = params.holder?.photo ?? SIM_DEFAULT_PHOTO;
      assertSamplePhoto(photoId);
      const portrait = await createSamplePortrait(photoId);
      if (params.kind === 'emrtd') {
        const holder = toEmrtdHolder(params.holder ?? {}, portrait);
        const { faults, pace } = emrtdFault(params.fault);
        if (memorySlot !== undefined)
          memorySlot.insert(
            await VirtualEmrtd.create({
              holder,
              pki,
              faults,
              ...(pace === undefined ? {} : { pace }),
            }),
          );
        else
          await vpcdReader?.insertDocument({
            holder,
            faults,
            ...(pace === undefined ? {} : { pace }),
          });
        // Answer once the daemon's reader sees the card, so that the POS's next step is deterministic.
        await until(() => emrtdSlot.hasCard, 5000);
      } else {
        samReader.clearFaults();
        const fault = samFault(params.fault);
        if (fault !== undefined) samReader.injectFault(fault);
        samReader.insertCard({
          photoJpeg: portrait.data,
          holder: toResidentHolder(params.holder ?? {}),
        });
      }
      deps.logger.info({ kind: params.kind, fault: params.fault }, 'sim: document inserted');
      return { ok: true };
    }) as MethodHandler,
    'sim.removeDocument': (async () => {
      memorySlot?.remove();
      await vpcdReader?.remove();
      samReader.removeCard();
      await until(() => !emrtdSlot.hasCard, 5000);
      return { ok: true };
    }) as MethodHandler,
    'sim.presentFace': (async (params: { photo?: string; behavior: string }) => {
      if (!(FACE_BEHAVIORS as readonly string[]).includes(params.behavior)) {
        throw new KycdError(
          'invalid_params',
          `unknown behavior ${JSON.stringify(params.behavior)}`,
          { data: { behaviors: [...FACE_BEHAVIORS] } },
        );
      }
      const photoId = params.photo ?? SIM_DEFAULT_PHOTO;
      assertSamplePhoto(photoId);
      const face = await loadSimFace(photoId, analysis);
      const otherId =
        SAMPLE_FACE_PHOTOS.find((p) => p.id !== photoId && p.file !== photoId.split('-')[0])?.id ??
        SAMPLE_FACE_PHOTOS.find((p) => p.id !== photoId)!.id;
      const behavior = params.behavior as FaceBehavior;
      const other =
        behavior === 'secondFace' || behavior === 'swap'
          ? await loadSimFace(otherId, analysis)
          : undefined;
      camera.presentFace({ face, behavior, ...(other === undefined ? {} : { other }) });
      return { ok: true };
    }) as MethodHandler,
    'sim.removeFace': (() => {
      camera.clearFace();
      return { ok: true };
    }) as MethodHandler,
    'sim.setCarrier': ((params: { mode: 'ok' | 'fail' | 'stall' | 'reject' }) => {
      const behaviour: CarrierBehaviour =
        params.mode === 'ok'
          ? { mode: 'accept' }
          : params.mode === 'fail'
            ? { mode: 'fail' }
            : params.mode === 'stall'
              ? { mode: 'stall' }
              : { mode: 'reject', reason: 'rejected by the simulated carrier' };
      carrier.behave(behaviour);
      return { ok: true };
    }) as MethodHandler,
    'sim.cameraFault': ((params: { mode: 'ok' | 'stall' | 'fail' }) => {
      camera.inject(params.mode === 'ok' ? undefined : params.mode);
      return { ok: true };
    }) as MethodHandler,
    'sim.unplug': ((params: { deviceId: string }) => {
      const device = deps.devices.get(params.deviceId);
      if (device === undefined)
        throw new KycdError('not_found', `no device ${JSON.stringify(params.deviceId)}`);
      // Registry first: the session is suspended before the frames stop.
      deps.devices.detach(params.deviceId);
      if (params.deviceId === SIM_DEVICE_IDS.camera) camera.unplug();
      return { ok: true };
    }) as MethodHandler,
    'sim.plug': ((params: { deviceId: string }) => {
      const device = deps.devices.get(params.deviceId);
      if (device === undefined)
        throw new KycdError('not_found', `no device ${JSON.stringify(params.deviceId)}`);
      if (params.deviceId === SIM_DEVICE_IDS.camera) camera.replug();
      deps.devices.attach(params.deviceId);
      return { ok: true };
    }) as MethodHandler,
  });

  return {
    rig: { camera, samReader, carrier, pki, analysis },
    flowFactory,
    simulator,
    dispose: async () => {
      await registration?.close();
      camera.close();
      await samTransport.close().catch(() => undefined);
      await pty.close();
      samReader.stop();
      await vpcdReader?.remove().catch(() => undefined);
      pcsc?.close();
      await carrier.stop();
      await analysis.release();
    },
  };
}

/** The holder fields `sim.insertDocument` takes (see plugin-sdk METHODS). */
interface SimHolderParams {
  fullName?: string;
  surname?: string;
  givenNames?: string;
  documentNumber?: string;
  nationality?: string;
  sex?: 'male' | 'female' | 'unspecified';
  birthDate?: string;
  expiryDate?: string;
  address?: string;
  photo?: string;
}

function toEmrtdHolder(h: SimHolderParams, portrait: EmrtdPhoto): EmrtdHolder {
  const yymmdd = (iso: string | undefined, fallback: string): string =>
    iso === undefined ? fallback : iso.slice(2).replaceAll('-', '');
  return {
    issuingState: h.nationality ?? 'UTO',
    nationality: h.nationality ?? 'UTO',
    surname: (h.surname ?? 'ERIKSSON').toUpperCase(),
    givenNames: (h.givenNames ?? 'ANNA MARIA').toUpperCase(),
    documentNumber: (h.documentNumber ?? 'L898902C3').toUpperCase(),
    dateOfBirth: yymmdd(h.birthDate, '740812'),
    dateOfExpiry: yymmdd(h.expiryDate, '300415'),
    sex: h.sex === 'male' ? 'M' : h.sex === 'female' ? 'F' : '<',
    photo: portrait,
  };
}

/**
 * Holder fields for a virtual resident-ID card; unset ones from the GB 11643 example person.
 * An ID number given without a valid check character is the caller's test of that check.
 */
function toResidentHolder(h: SimHolderParams): SimCnResidentIdHolder {
  const ymd = (iso: string | undefined, fallback: string): string =>
    iso === undefined ? fallback : iso.replaceAll('-', '');
  return {
    ...SIM_DEFAULT_RESIDENT,
    ...(h.fullName === undefined ? {} : { name: h.fullName }),
    ...(h.sex === undefined
      ? {}
      : { sexCode: h.sex === 'male' ? '1' : h.sex === 'female' ? '2' : '9' }),
    birthDate: ymd(h.birthDate, SIM_DEFAULT_RESIDENT.birthDate),
    validTo: ymd(h.expiryDate, SIM_DEFAULT_RESIDENT.validTo),
    ...(h.address === undefined ? {} : { address: h.address }),
    ...(h.documentNumber === undefined ? {} : { idNumber: h.documentNumber }),
  };
}

/** `sim.insertDocument`'s fault names for a virtual eMRTD. */
function emrtdFault(fault: string | undefined): { faults: EmrtdFaults; pace?: false } {
  switch (fault) {
    case undefined:
    case '':
      return { faults: {} };
    case 'removeAfterBytes':
    case 'pulledMidRead':
      return { faults: { removeAfterBytes: 600 } };
    case 'wrongMacOnRead':
      return { faults: { wrongMacOnRead: 2 } };
    case 'truncateOnRead':
      return { faults: { truncateOnRead: 2 } };
    case 'corruptTlvInDataGroup':
      return { faults: { corruptTlvInDataGroup: 1 } };
    case 'expiredDs':
      return { faults: { expiredDs: true } };
    case 'untrustedDs':
      return { faults: { untrustedDs: true } };
    case 'hashMismatch':
      return { faults: { hashMismatch: true } };
    case 'chipClone':
    case 'cloned':
      return { faults: { chipClone: true } };
    case 'hideCloneDetection':
      return { faults: { hideCloneDetection: true } };
    case 'bacOnly':
      return { faults: {}, pace: false };
    default:
      throw new KycdError('invalid_params', `unknown eMRTD fault ${JSON.stringify(fault)}`);
  }
}

/** `sim.insertDocument`'s fault names for a virtual resident-ID card. */
function samFault(fault: string | undefined): SimSamFault | undefined {
  switch (fault) {
    case undefined:
    case '':
      return undefined;
    case 'pulledMidRead':
    case 'card-removed-mid-read':
      return { kind: 'card-removed-mid-read' };
    case 'bad-checksum':
      return { kind: 'bad-checksum', command: 'readBaseInfo' };
    case 'truncated-frame':
      return { kind: 'truncated-frame', command: 'readBaseInfo' };
    case 'sam-self-test-failure':
      return { kind: 'sam-self-test-failure' };
    case 'card-auth-failure':
      return { kind: 'card-auth-failure', sw3: 0x32 };
    case 'read-failure':
      return { kind: 'read-failure' };
    default:
      throw new KycdError('invalid_params', `unknown resident-ID fault ${JSON.stringify(fault)}`);
  }
}

function assertSamplePhoto(id: string): void {
  if (!SAMPLE_FACE_PHOTOS.some((p) => p.id === id)) {
    throw new KycdError('invalid_params', `unknown sample photo ${JSON.stringify(id)}`, {
      data: { photos: SAMPLE_FACE_PHOTOS.map((p) => p.id) },
    });
  }
}

/** Resolve when `condition` holds (polled), or after `timeoutMs` regardless. */
async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 20));
}

/** A small seeded PRNG (mulberry32) for reproducible simulator runs. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
