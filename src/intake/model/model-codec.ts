/** Compact, text-safe encodings for the model and example files: delta varints and int16 weights, in base64. */

export function encodeSortedInts(values: ArrayLike<number>): string {
  const bytes: number[] = [];
  let prev = 0;
  for (let i = 0; i < values.length; i++) {
    let d = values[i]! - prev;
    prev = values[i]!;
    if (d < 0) throw new RangeError('values must be sorted');
    while (d >= 0x80) { bytes.push((d & 0x7f) | 0x80); d = Math.floor(d / 128); }
    bytes.push(d);
  }
  return Buffer.from(bytes).toString('base64');
}

export function decodeSortedInts(text: string): number[] {
  const bytes = Buffer.from(text, 'base64');
  const out: number[] = [];
  let prev = 0;
  let value = 0;
  let scale = 1;
  for (const b of bytes) {
    value += (b & 0x7f) * scale;
    if (b & 0x80) { scale *= 128; continue; }
    prev += value;
    out.push(prev);
    value = 0;
    scale = 1;
  }
  return out;
}

/** Weights as int16 with one scale: plenty for a linear model's probabilities. */
export function encodeWeights(weights: Float32Array): { scale: number; data: string } {
  let max = 0;
  for (const w of weights) max = Math.max(max, Math.abs(w));
  const scale = max > 0 ? max / 32767 : 1;
  const q = new Int16Array(weights.length);
  for (let i = 0; i < weights.length; i++) q[i] = Math.round(weights[i]! / scale);
  return { scale, data: Buffer.from(q.buffer, q.byteOffset, q.byteLength).toString('base64') };
}

export function decodeWeights(enc: { scale: number; data: string }): Float32Array {
  const buf = Buffer.from(enc.data, 'base64');
  const q = new Int16Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = q[i]! * enc.scale;
  return out;
}
