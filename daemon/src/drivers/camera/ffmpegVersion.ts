import { execFile } from 'node:child_process';

/** ffmpeg's version line (`ffmpeg version 6.1 …`), or `undefined` when ffmpeg cannot be run. */
export function ffmpegVersion(
  ffmpegPath = 'ffmpeg',
  timeoutMs = 5000,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      ffmpegPath,
      ['-hide_banner', '-version'],
      { timeout: timeoutMs, maxBuffer: 64 * 1024 },
      (err, stdout) => {
        if (err !== null) resolve(undefined);
        else resolve(String(stdout).split('\n')[0]?.slice(0, 200) ?? 'ffmpeg');
      },
    );
  });
}

/** Whether ffmpeg runs at all (the camera's capture backend; node-webcam stills otherwise). */
export async function ffmpegAvailable(): Promise<boolean> {
  return (await ffmpegVersion()) !== undefined;
}
