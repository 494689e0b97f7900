/**
 * The daemon-side writer of the 200-registration crash test: it confirms registrations
 * `s-0 … s-(N-1)` (continuing after the last one already in the store) through exactly the
 * modules the daemon uses — `startRegistrationService` (terminal key, outbox worker, retention)
 * and `createRegistrationServices().submitRegistration` (the session's confirmation: record,
 * outbox entry, session row and audit row in one transaction) — with the session row written
 * as the daemon's `persistSession` writes it when the flow enters `registration.submitting`.
 * Only the camera, the chip and the socket are left out, so that 200 registrations and a dozen
 * restarts fit in well under a minute; test/registration/daemonCrash.test.ts SIGKILLs the real
 * `kycd start --sim` daemon for the full path.
 *
 * Usage: node --conditions=@kycd/source --import tsx crashWriter.ts <dataDir> <endpoint> <N>
 * Prints `ready <queued>` (registrations still queued from before a crash), then
 * `confirmed <registrationId> <sessionId>` after each commit, then `done`.
 */
import { writeSync } from 'node:fs';
import { parseConfig } from '../../config/loadConfig.js';
import { openStore } from '../../store/openStore.js';
import {
  CONFIRMABLE_SESSION_STATES,
  createRegistrationServices,
} from '../createRegistrationServices.js';
import { startRegistrationService } from '../startRegistrationService.js';
import { SAMPLE_DOCUMENT, SAMPLE_LIVENESS, SAMPLE_MATCH } from './sampleDocument.js';

const [dataDir, endpoint, countArg] = process.argv.slice(2);
if (dataDir === undefined || endpoint === undefined || countArg === undefined)
  throw new TypeError('usage: crashWriter <dataDir> <endpoint> <N>');
const total = Number(countArg);
const say = (line: string): void => {
  writeSync(1, `${line}\n`);
};

const store = openStore({ dataDir });
const config = parseConfig({
  store: { storeId: 'store-1' },
  registration: {
    endpoint,
    concurrency: 4,
    requestTimeoutMs: 500,
    retry: { initialDelayMs: 20, maxDelayMs: 200, jitter: 0.2 },
  },
});
const queuedAtStart = store.registrations.counts().queued;
const service = startRegistrationService({
  store,
  config,
  onError: (err) => say(`error ${err instanceof Error ? err.message : String(err)}`),
});
const services = createRegistrationServices({ service, storeId: config.store.storeId });
say(`ready ${queuedAtStart}`);

let next = (store.db.prepare('SELECT COUNT(*) AS n FROM registrations').get() as { n: number }).n;
while (next < total) {
  const sessionId = `s-${next}`;
  // The flow entered the submitting step (persistSession wrote the row; maybe before a crash).
  if (store.sessions.get(sessionId) === undefined)
    store.sessions.upsert({
      id: sessionId,
      terminalId: 'till-1',
      state: CONFIRMABLE_SESSION_STATES[0] as string,
      step: 'registration',
    });
  const registrationId = `reg-${next}`;
  await services.submitRegistration({
    sessionId,
    terminalId: 'till-1',
    registrationId,
    confirmation: { msisdn: `+86138${String(next).padStart(8, '0')}`, operatorId: 'op-7' },
    document: SAMPLE_DOCUMENT,
    liveness: {
      verdict: { passed: true, reasons: [] },
      evidence: {
        challenges: SAMPLE_LIVENESS.challenges,
        antiSpoofScore: SAMPLE_LIVENESS.antiSpoofScore,
      },
    },
    match: { score: SAMPLE_MATCH.similarity, threshold: SAMPLE_MATCH.threshold, decision: 'match' },
    signal: new AbortController().signal,
    publish: () => undefined,
  });
  say(`confirmed ${registrationId} ${sessionId}`);
  next++;
  // Paced like a busy shop (and so that the SIGKILLs land among the registrations).
  await new Promise((r) => setTimeout(r, 8));
}
for (;;) {
  await service.worker.idle();
  if (store.registrations.counts().queued === 0) break;
  await new Promise((r) => setTimeout(r, 20));
}
say('done');
await service.close();
store.close();
