import type { DocumentCredentials, ReviewDecision } from '@kycd/state-machines';
import type { Session } from './Session.js';

export type { DocumentCredentials };

/** Events the API delivers to a running flow. */
export type SessionFlowEvent =
  | { type: 'CANCEL'; reason?: string }
  | { type: 'CREDENTIALS.PROVIDED'; credentials: DocumentCredentials }
  | {
      type: 'REGISTRATION.CONFIRMED';
      confirmation: { msisdn: string; operatorId: string; registrationId: string };
    }
  | ({ type: 'REVIEW.DECIDED' } & ReviewDecision);

/** A running flow of one session (the session state machine with its actors). */
export interface SessionFlow {
  /** Whether the flow would take this event in its current state. */
  accepts(event: SessionFlowEvent): boolean;
  /** Deliver an event (call {@link accepts} first). */
  send(event: SessionFlowEvent): void;
  /** Stop the flow and release its devices. Idempotent. */
  stop(): void;
}

export interface SessionStartOptions {
  documentKinds?: readonly string[];
  msisdn?: string;
  reference?: string;
  consent?: { textVersion: string; givenAt: Date };
}

/** Creates the flow of a new session; the daemon wires machines and devices here. */
export type SessionFlowFactory = (session: Session, options: SessionStartOptions) => SessionFlow;
