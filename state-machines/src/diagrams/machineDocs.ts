import { deviceMachine } from '../device/deviceMachine.js';
import { livenessMachine } from '../liveness/livenessMachine.js';
import { sessionMachine } from '../session/sessionMachine.js';
import type { MachineDocSpec } from './renderMachineDoc.js';

/** The machines documented in docs/machines/, one page each. */
export const MACHINE_DOCS: readonly MachineDocSpec[] = [
  {
    name: 'session',
    title: 'sessionMachine',
    summary:
      'One verification session: consent → document (wait; read: access control → files → authenticity, moved by the reader’s `DOCUMENT.PROGRESS`; MRZ/CAN pauses and transient re-reads; verify) → face (capture: positioning → liveness → best frame, moved by `FACE.PHASE`; retried attempts) → match (→ operator review when allowed) → registration (confirm, submit) → `completed`, or `failed` / `cancelled` / `expired`. Lost devices are tracked in every state; a step whose reader or camera is lost (or already was when it started, or whose actor rejects with a device-lost code) is suspended. Resuming restarts an interrupted read or capture from its first phase and otherwise returns through the deep history state with the reason the step had. Every state entry emits `session.state`; read progress is emitted as `document.progress`.',
    machine: sessionMachine,
  },
  {
    name: 'liveness',
    title: 'livenessMachine',
    summary:
      'The active liveness check, driven by one `FRAME.OBSERVED` per camera frame: a frontal pose locks the baseline and track id, then a random sequence of challenges (turnLeft / turnRight in the customer’s own terms, blink, optionally nod) with a return to frontal between them; one face and the same person throughout; passive anti-spoof scores averaged. Output: the `LivenessVerdict`.',
    machine: livenessMachine,
  },
  {
    name: 'device',
    title: 'deviceMachine',
    summary:
      'The lifecycle of one device (camera, PC/SC reader, SAM reader): hot-plug in and out from anywhere, open, ready ⇄ busy, and after a fault or failed open an exponential `backoff` before each recovery attempt, giving up (→ absent) after `maxRecoveryAttempts`.',
    machine: deviceMachine,
  },
];
