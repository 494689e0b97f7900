import { ModelError } from '../errors/ModelError.js';
import type { ModelManifest, ModelManifestEntry, ModelTask } from './ModelManifest.js';

const TASKS: readonly ModelTask[] = [
  'detection',
  'landmarks',
  'pose',
  'eye-state',
  'anti-spoof',
  'embedding',
];
const ORDERS = ['rgb', 'bgr', 'gray'] as const;
const SHA256 = /^[0-9a-f]{64}$/;

function fail(message: string): never {
  throw new ModelError('model_manifest_invalid', `manifest: ${message}`);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumArray = (v: unknown, n?: number): v is number[] =>
  Array.isArray(v) &&
  v.every((x) => typeof x === 'number' && Number.isFinite(x)) &&
  (n === undefined || v.length === n);

function str(o: Record<string, unknown>, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') fail(`${where}.${key} must be a non-empty string`);
  return v;
}

/**
 * Validate a manifest read from JSON (an operator's replacement models): every field a wrapper
 * reads is checked, so a wrong manifest fails at load with `model_manifest_invalid` naming the
 * field, never at inference. File names may not leave the models directory.
 */
export function parseManifest(raw: unknown): ModelManifest {
  if (!isObject(raw)) fail('not an object');
  if (raw.version !== 1) fail(`version must be 1, got ${JSON.stringify(raw.version)}`);
  if (!Array.isArray(raw.models)) fail('models must be an array');
  const ids = new Set<string>();
  const models = raw.models.map((m: unknown, i: number): ModelManifestEntry => {
    const where = `models[${i}]`;
    if (!isObject(m)) fail(`${where} is not an object`);
    const id = str(m, 'id', where);
    if (ids.has(id)) fail(`duplicate id ${id}`);
    ids.add(id);
    const task = m.task as ModelTask;
    if (!TASKS.includes(task)) fail(`${where}.task must be one of ${TASKS.join(', ')}`);
    const file = str(m, 'file', where);
    if (file.includes('/') || file.includes('\\') || file.startsWith('.'))
      fail(`${where}.file must be a plain file name inside the models directory`);
    const sha256 = str(m, 'sha256', where);
    if (!SHA256.test(sha256)) fail(`${where}.sha256 must be 64 lower-case hex digits`);
    const shape = m.inputShape;
    if (
      !isNumArray(shape, 4) ||
      shape[0] !== 1 ||
      (shape[1] !== 1 && shape[1] !== 3) ||
      !shape.every((d) => Number.isInteger(d) && d > 0 && d <= 4096)
    ) {
      fail(`${where}.inputShape must be [1, 1|3, height, width]`);
    }
    const channelOrder = m.channelOrder as (typeof ORDERS)[number];
    if (!ORDERS.includes(channelOrder)) fail(`${where}.channelOrder must be rgb, bgr or gray`);
    if ((channelOrder === 'gray') !== (shape[1] === 1))
      fail(`${where}: channelOrder ${channelOrder} does not fit ${shape[1]} input channel(s)`);
    const n = m.normalisation;
    if (
      !isObject(n) ||
      typeof n.scale !== 'number' ||
      !(n.scale > 0) ||
      !isNumArray(n.mean) ||
      !isNumArray(n.std) ||
      n.mean.length < 1 ||
      n.std.length < 1 ||
      n.std.some((s) => s === 0)
    ) {
      fail(`${where}.normalisation must be { scale > 0, mean: number[], std: non-zero number[] }`);
    }
    if (
      !Array.isArray(m.outputs) ||
      m.outputs.length === 0 ||
      !m.outputs.every((o) => typeof o === 'string' && o !== '')
    )
      fail(`${where}.outputs must be a non-empty array of names`);
    const transforms = m.transforms;
    if (
      transforms !== undefined &&
      (!Array.isArray(transforms) || !transforms.every((t) => t === 'flush-denormals'))
    )
      fail(`${where}.transforms may only contain "flush-denormals"`);
    if (m.source !== undefined) {
      const s = m.source;
      if (!isObject(s) || s.kind !== 'npm-tarball')
        fail(`${where}.source.kind must be "npm-tarball"`);
      for (const k of ['package', 'version', 'integrity', 'path', 'sha256'])
        str(s, k, `${where}.source`);
      if (!SHA256.test(s.sha256 as string))
        fail(`${where}.source.sha256 must be 64 lower-case hex digits`);
      if (!String(s.integrity).startsWith('sha512-'))
        fail(`${where}.source.integrity must be a sha512 SRI string`);
    }
    return {
      id,
      task,
      file,
      sha256,
      input: str(m, 'input', where),
      inputShape: [1, shape[1] as 1 | 3, shape[2] as number, shape[3] as number],
      channelOrder,
      normalisation: { scale: n.scale, mean: n.mean, std: n.std },
      outputs: m.outputs as string[],
      description: typeof m.description === 'string' ? m.description : '',
      licence: str(m, 'licence', where),
      ...(m.source === undefined
        ? {}
        : { source: m.source as unknown as ModelManifestEntry['source'] }),
      ...(transforms === undefined
        ? {}
        : { transforms: transforms as ModelManifestEntry['transforms'] }),
    };
  });
  return { version: 1, models };
}
