/**
 * @kycd/hardware-sim public API: simulated devices that speak the real transports. One line per
 * export; keep them grouped by device.
 */
export {};
