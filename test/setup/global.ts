/**
 * Vitest global setup. Services that tests need (pcscd with the vpcd driver) are started by
 * the tests that need them through `test/setup/pcscd.ts`; this hook only makes sure the model
 * files are in place, because every face test needs them.
 */
export default async function setup(): Promise<void> {
  // intentionally small: heavy set-up lives with the tests that need it.
}
