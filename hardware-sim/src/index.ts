/**
 * @kycd/hardware-sim public API: simulated devices that speak the real transports. One line per
 * export; keep them grouped by device.
 */
export {};
export { ReferenceCarrier, CARRIER_REGISTRATIONS_PATH } from './carrier/ReferenceCarrier.js';
export type { CarrierBehaviour, CarrierDelivery, CarrierRejection, ReferenceCarrierEvents, ReferenceCarrierOptions } from './carrier/ReferenceCarrier.js';
// Virtual SAM resident-ID reader (serial protocol on a pty)
export { VirtualSamReader } from './sam/VirtualSamReader.js';
export type { SimSamCard, SimSamFault, SimSamStep, VirtualSamReaderOptions } from './sam/VirtualSamReader.js';
export { startSamPty } from './sam/startSamPty.js';
export type { SamPty, StartSamPtyOptions } from './sam/startSamPty.js';
export { SimulatedWltDecoder, SimWltDecoderError, simulatedWltBlob, SIM_DEFAULT_PORTRAIT_JPEG } from './sam/SimulatedWltDecoder.js';
export { encodeResidentIdText } from './sam/encodeResidentIdText.js';
export { SIM_DEFAULT_RESIDENT } from './sam/SimResidentIdHolder.js';
export type { SimResidentIdHolder, SimCnResidentIdHolder, SimHmtResidencePermitHolder, SimForeignPermanentResident2017Holder, SimForeignPermanentResident2023Holder } from './sam/SimResidentIdHolder.js';
