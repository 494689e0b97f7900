/**
 * @kycd/hardware-sim public API: simulated devices that speak the real transports. One line per
 * export; keep them grouped by device.
 */
export {};
export { ReferenceCarrier, CARRIER_REGISTRATIONS_PATH } from './carrier/ReferenceCarrier.js';
export type { CarrierBehaviour, CarrierDelivery, CarrierRejection, ReferenceCarrierEvents, ReferenceCarrierOptions } from './carrier/ReferenceCarrier.js';
