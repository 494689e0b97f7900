/**
 * @kycd/daemon/sim: the daemon wired to @kycd/hardware-sim, for `kycd start --sim` and for
 * tests. A separate entry so that embedding the daemon never loads the simulator.
 */
export { simulatorWiring, SIM_DEVICE_IDS, SIM_DEFAULT_PHOTO } from './wiring/simulatorWiring.js';
export type { SimulatorRig, SimulatorWiringOptions } from './wiring/simulatorWiring.js';
