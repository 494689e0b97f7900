import { existsSync } from 'node:fs';

/**
 * Watch a camera's device node and call `onChange` when it disappears (unplugged) or comes
 * back (replugged); polls every `intervalMs` (default 1000). Returns the unsubscribe function
 * (what an XState `fromCallback` actor returns as cleanup). Where the `usb` package's hot-plug
 * events are available they can drive the same callback; polling works for every V4L2 device.
 */
export function watchCameraPresence(
  devicePath: string,
  onChange: (event: { type: 'unplugged' | 'replugged'; device: string }) => void,
  options: { intervalMs?: number; exists?: (path: string) => boolean } = {},
): () => void {
  const exists = options.exists ?? existsSync;
  let present = exists(devicePath);
  const timer = setInterval(() => {
    const now = exists(devicePath);
    if (now === present) return;
    present = now;
    onChange({ type: now ? 'replugged' : 'unplugged', device: devicePath });
  }, options.intervalMs ?? 1000);
  timer.unref();
  return () => clearInterval(timer);
}
