'use strict';
// Checks that models written by xkeras's save_tfjs load and predict in tfjs:
//   node round_trip.js DIR...
// Each DIR holds model.json + shards and xkeras_io.json
// {"inputs": [{"shape", "data"}], "outputs": [{"shape", "data"}]} (xkeras's
// own predictions). Writes DIR/tfjs_round_trip.json
// {tfjs_version, max_abs_diff, ok, error}; exits 1 if any DIR is not ok.
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const {dirHandler} = require('./lib/artifacts');

const TOLERANCE = 1e-5;

function sameShape(a, b) {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

// Largest |tfjs - xkeras| over all outputs; throws on a count or shape mismatch.
function compare(got, want) {
  if (got.length !== want.length) throw new Error(`tfjs gives ${got.length} outputs, xkeras_io.json has ${want.length}`);
  let max = 0;
  got.forEach((t, i) => {
    if (!sameShape(t.shape, want[i].shape)) {
      throw new Error(`output ${i}: tfjs shape [${t.shape}], xkeras shape [${want[i].shape}]`);
    }
    const x = t.dataSync();
    const y = want[i].data;
    if (x.length !== y.length) throw new Error(`output ${i}: ${x.length} values from tfjs, ${y.length} in xkeras_io.json`);
    for (let j = 0; j < x.length; j++) {
      const d = Math.abs(x[j] - y[j]);
      // NaN on either side is a mismatch, not a silent pass.
      if (!(d <= max)) max = Number.isNaN(d) ? Infinity : d;
    }
  });
  return max;
}

async function check(dir) {
  const result = {tfjs_version: tf.version.tfjs, max_abs_diff: null, ok: false, error: null};
  try {
    const io = JSON.parse(fs.readFileSync(path.join(dir, 'xkeras_io.json'), 'utf8'));
    const model = await tf.loadLayersModel(dirHandler(dir));
    const inputs = io.inputs.map((t) => tf.tensor(t.data, t.shape, 'float32'));
    const out = model.predict(inputs.length === 1 ? inputs[0] : inputs);
    const diff = compare(Array.isArray(out) ? out : [out], io.outputs);
    result.max_abs_diff = Number.isFinite(diff) ? diff : null;
    result.ok = diff <= TOLERANCE;
    if (!Number.isFinite(diff)) result.error = 'NaN or infinite difference between tfjs and xkeras outputs';
  } catch (e) {
    result.error = e && e.message ? e.message : String(e);
  }
  fs.writeFileSync(path.join(dir, 'tfjs_round_trip.json'), JSON.stringify(result, null, 1) + '\n');
  return result;
}

async function main() {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) {
    console.error('usage: node round_trip.js DIR...');
    process.exit(2);
  }
  await tf.setBackend('cpu');
  let failed = 0;
  for (const dir of dirs) {
    const r = await check(dir);
    if (!r.ok) failed++;
    const diff = r.max_abs_diff === null ? '-' : r.max_abs_diff.toExponential(3);
    console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${dir} max_abs_diff=${diff}${r.error ? ` error: ${r.error}` : ''}`);
  }
  console.log(`${dirs.length - failed}/${dirs.length} ok (tfjs ${tf.version.tfjs}, tolerance ${TOLERANCE})`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
