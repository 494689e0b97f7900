import type { SessionMilestones } from '../store/SessionTable.js';

/** The wire events that end a step, and the milestone each one sets. */
const MILESTONE_EVENTS: Readonly<Record<string, keyof SessionMilestones>> = {
  'document.read': 'documentReadAt',
  'liveness.result': 'livenessCompletedAt',
  'match.result': 'matchedAt',
};

/** What {@link SessionMilestoneTracker.update} reads of a session: its event log. */
export interface MilestoneSource {
  readonly log: {
    since(
      afterSeq: number,
    ): readonly { readonly seq: number; readonly event: string }[] | undefined;
  };
}

/**
 * Keeps, per session, when its steps finished, for the registration record's timestamps: each
 * call to {@link update} (the daemon calls it on every state change, right after the event that
 * ended the step was published) stamps `now` on the milestones whose events appeared since the
 * last call. The last occurrence counts: a document read again after a failed attempt, or a
 * second liveness attempt, replaces the earlier time.
 */
export class SessionMilestoneTracker {
  private readonly seen = new WeakMap<
    MilestoneSource,
    { seq: number; milestones: SessionMilestones }
  >();

  /** Scan the events published since the last call and return the session's milestones. */
  update(session: MilestoneSource, now: number = Date.now()): SessionMilestones {
    const state = this.seen.get(session) ?? { seq: 0, milestones: {} };
    const events = session.log.since(state.seq) ?? [];
    let milestones = state.milestones;
    for (const e of events) {
      const key = MILESTONE_EVENTS[e.event];
      if (key !== undefined) milestones = { ...milestones, [key]: now };
      state.seq = Math.max(state.seq, e.seq);
    }
    state.milestones = milestones;
    this.seen.set(session, state);
    return milestones;
  }
}
