/** Build a ustar archive in memory (tests only). */
export function makeTar(
  entries: readonly { path: string; data: Uint8Array; type?: string }[],
): Uint8Array {
  const blocks: Uint8Array[] = [];
  const enc = new TextEncoder();
  for (const e of entries) {
    const h = new Uint8Array(512);
    let name = e.path;
    let prefix = '';
    if (name.length > 100) {
      const cut = name.lastIndexOf('/', 155);
      prefix = name.slice(0, cut);
      name = name.slice(cut + 1);
    }
    h.set(enc.encode(name), 0);
    h.set(enc.encode('0000644\0'), 100);
    h.set(enc.encode('0000000\0'), 108);
    h.set(enc.encode('0000000\0'), 116);
    h.set(enc.encode(`${e.data.length.toString(8).padStart(11, '0')}\0`), 124);
    h.set(enc.encode('00000000000\0'), 136);
    h[156] = (e.type ?? '0').charCodeAt(0);
    h.set(enc.encode('ustar\0'), 257);
    h.set(enc.encode('00'), 263);
    h.set(enc.encode(prefix), 345);
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.set(enc.encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
    blocks.push(h);
    const padded = new Uint8Array(Math.ceil(e.data.length / 512) * 512);
    padded.set(e.data);
    blocks.push(padded);
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of blocks) {
    out.set(b, o);
    o += b.length;
  }
  return out;
}
