/**
 * The daemon-side writer of the crash test: confirms registrations `s-0 … s-(N-1)` (continuing
 * after the last one already in the store) and delivers them through the outbox to the carrier
 * at `endpoint`. test/registration/crash.test.ts SIGKILLs it at random moments and starts it
 * again. It imports the store modules directly so that it starts fast.
 *
 * Usage: node --conditions=@kycd/source --import tsx crashWriter.ts <dataDir> <endpoint> <N>
 * Prints `ready`, then `confirmed <registrationId> <sessionId>` after each commit, then `done`.
 */
import { writeSync } from 'node:fs';
import { parseConfig } from '../../config/loadConfig.js';
import { openStore } from '../../store/openStore.js';
import { OutboxWorker } from '../OutboxWorker.js';
import { TerminalSigningKey } from '../TerminalSigningKey.js';
import { SAMPLE_DOCUMENT, SAMPLE_LIVENESS, SAMPLE_MATCH } from './sampleDocument.js';

const [dataDir, endpoint, countArg] = process.argv.slice(2);
if (dataDir === undefined || endpoint === undefined || countArg === undefined)
  throw new TypeError('usage: crashWriter <dataDir> <endpoint> <N>');
const total = Number(countArg);
const say = (line: string): void => {
  writeSync(1, `${line}\n`);
};

const store = openStore({ dataDir });
const key = TerminalSigningKey.loadOrCreate(dataDir);
const config = parseConfig({
  registration: {
    endpoint,
    concurrency: 4,
    requestTimeoutMs: 500,
    retry: { initialDelayMs: 20, maxDelayMs: 200, jitter: 0.2 },
  },
}).registration;
const worker = new OutboxWorker({ store, key, config });
worker.on('error', (err) => say(`error ${err.message}`));
worker.start();
say('ready');

let next = (store.db.prepare('SELECT COUNT(*) AS n FROM registrations').get() as { n: number }).n;
while (next < total) {
  const sessionId = `s-${next}`;
  // The session reaches the confirmation step (it may already have, before a crash).
  if (store.sessions.get(sessionId) === undefined)
    store.sessions.upsert({ id: sessionId, terminalId: 'till-1', state: 'awaiting_confirmation' });
  const c = worker.confirm({
    sessionId,
    terminalId: 'till-1',
    msisdn: `+86138${String(next).padStart(8, '0')}`,
    operatorId: 'op-7',
    storeId: 'store-1',
    document: SAMPLE_DOCUMENT,
    liveness: SAMPLE_LIVENESS,
    match: SAMPLE_MATCH,
    requireSessionState: ['awaiting_confirmation'],
    sessionUpdate: { state: 'registered' },
  });
  say(`confirmed ${c.registrationId} ${sessionId}`);
  next++;
  // Paced like a busy shop (and so that the SIGKILLs land among the registrations).
  await new Promise((r) => setTimeout(r, 8));
}
for (;;) {
  await worker.idle();
  if (store.registrations.counts().queued === 0) break;
  await new Promise((r) => setTimeout(r, 20));
}
say('done');
await worker.stop();
store.close();
