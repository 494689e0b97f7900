import { FaceAnalysis } from '@kycd/models';
import { SimulatedCamera, loadSimFace, FACE_BEHAVIORS, type FaceBehavior } from '@kycd/hardware-sim';
import { runLiveness } from './runLiveness.js';
const analysis = await FaceAnalysis.load();
const ids = (process.argv[3] ?? 'sample3-0,sample6-0').split(',');
const behaviors = (process.argv[2]?.split(',') ?? FACE_BEHAVIORS) as FaceBehavior[];
for (const id of ids) {
  const face = await loadSimFace(id, analysis);
  const other = await loadSimFace(id === 'sample5-2' ? 'sample3-1' : 'sample5-2', analysis);
  for (const behavior of behaviors) for (const seed of [1, 2]) {
    const camera = new SimulatedCamera({ pacing: 'virtual', seed });
    camera.presentFace({ face, behavior, other });
    let r = seed * 0.37;
    const t0 = performance.now();
    const res = await runLiveness({ frames: camera.frames(), analysis, random: () => (r = (r * 9301 + 0.49297) % 1), onChallenge: (e) => { if (e.type === 'challenge.started') camera.cue(e.challenge); } });
    const ms = performance.now() - t0;
    console.log(id, behavior, seed, res.verdict.passed ? 'PASS' : 'FAIL', res.verdict.reasons.join(','), `frames ${res.evidence.framesAnalysed} sim ${(res.evidence.durationMs / 1000).toFixed(1)}s wall ${(ms / 1000).toFixed(1)}s`, JSON.stringify(res.evidence.scores), res.evidence.timeline.map((e) => e.tMs.toFixed(0) + ':' + e.event + (e.data?.['challenge'] ?? '')).join(' '));
  }
}
await analysis.release();
