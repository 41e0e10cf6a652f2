'use strict';
// Weight quantization the way the tfjs converter writes it
// (tfjs-converter/python/tensorflowjs/quantization.py quantize_weights and
// write_weights.py _get_weights_manifest_for_group), so tfjs's own decoder
// (tfjs-core/src/io/io_utils.ts decodeWeight) can be the reference.

// numpy's np.round: halves go to the even neighbour.
function roundHalfEven(x) {
  const r = Math.round(x);
  return (Math.abs(x % 1) === 0.5 && r % 2 !== 0) ? r - 1 : r;
}

// Affine uint8/uint16 with the zero point nudged onto the grid when min <= 0 <=
// max (so 0 stays exact). Arithmetic in float64 like the converter's
// np.float64 min/max; decode is q * scale + min.
function quantizeAffine(values, dtype) {
  const qmax = dtype === 'uint8' ? 255 : 65535;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const q = dtype === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
  if (min === max) return {q, meta: {min, scale: 1.0}};
  const scale = (max - min) / qmax;
  let lo = min;
  let hi = max;
  if (min <= 0 && 0 <= max) {
    const zero = roundHalfEven((0 - min) / scale);
    lo = -zero * scale;
    hi = qmax * scale + lo;
  }
  for (let i = 0; i < values.length; i++) {
    const c = Math.min(Math.max(values[i], lo), hi);
    q[i] = Math.min(qmax, Math.max(0, roundHalfEven((c - lo) / scale)));
  }
  return {q, meta: {min: lo, scale}};
}

// IEEE binary16 bits of a float32, round to nearest even (numpy astype(float16)).
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function toFloat16Bits(v) {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to inf).
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1))) half++;
  return sign | half;
}

// Quantizes every float32 entry of a weight group (specs + their packed
// float32 bytes) to dtype 'uint8' | 'uint16' | 'float16'. Returns the new
// manifest entries and byte stream, laid out back to back without padding.
function quantizeGroup(specs, bytes, dtype) {
  const outSpecs = [];
  const parts = [];
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32') throw new Error(`quantizeGroup: ${spec.name} is ${spec.dtype}`);
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + 4 * n));
    offset += 4 * n;
    let q;
    let quantization;
    if (dtype === 'float16') {
      q = new Uint16Array(n);
      for (let i = 0; i < n; i++) q[i] = toFloat16Bits(values[i]);
      quantization = {dtype: 'float16', original_dtype: 'float32'};
    } else {
      const r = quantizeAffine(values, dtype);
      q = r.q;
      quantization = {dtype, min: r.meta.min, scale: r.meta.scale, original_dtype: 'float32'};
    }
    outSpecs.push({name: spec.name, shape: spec.shape, dtype: 'float32', quantization});
    parts.push(new Uint8Array(q.buffer, q.byteOffset, q.byteLength));
  }
  const total = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return {specs: outSpecs, bytes: out};
}

module.exports = {quantizeGroup, toFloat16Bits, roundHalfEven};
