'use strict';
// Gathers the per-folder results of round_trip.js into one summary:
//   node round_trip_summary.js ROUND_TRIP_DIR OUT.json
// OUT.json = {tfjs_version, date, cases: {<case>: {ok, max_abs_diff, error[, tfjs_limitation]}}}.
// A case listed in LIMITATIONS fails in tfjs because tfjs 4.22 lacks (or computes differently) what the
// model uses: it is recorded with the reason and does not count as an xkeras failure. Exits 1 if any
// other case is not ok, or a listed case unexpectedly passes (the list is then out of date).
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

// Case -> what tfjs 4.22 lacks. Checked against the error tfjs gives (recorded next to it).
const LIMITATIONS = {
  conv1d_causal: 'tfjs loads Conv1D padding "causal" but cannot run it (NotImplementedError in conv1dWithBias, ' +
      'layers/convolutional.ts)',
  conv1d_transpose: 'tfjs has no Conv1DTranspose layer',
  cropping1d: 'tfjs has no Cropping1D layer',
  normalization: 'tfjs has no Normalization layer',
  upsampling1d: 'tfjs has no UpSampling1D layer',
  zero_padding1d: 'tfjs has no ZeroPadding1D layer',
  upsampling2d_bilinear: 'tfjs runs and differs: its UpSampling2D bilinear calls resizeBilinear without half-pixel ' +
      'centres (src = dst * in / out, TF1), Keras 3 and xkeras sample at half-pixel centres (layers/convolutional.ts)',
};

function main() {
  const [root, out] = process.argv.slice(2);
  if (!root || !out) {
    console.error('usage: node round_trip_summary.js ROUND_TRIP_DIR OUT.json');
    process.exit(2);
  }
  const cases = {};
  let unexpected = 0;
  for (const name of fs.readdirSync(root).sort()) {
    const file = path.join(root, name, 'tfjs_round_trip.json');
    if (!fs.existsSync(file)) continue;
    const r = JSON.parse(fs.readFileSync(file, 'utf8'));
    const entry = {ok: r.ok, max_abs_diff: r.max_abs_diff, error: r.error};
    if (LIMITATIONS[name]) entry.tfjs_limitation = LIMITATIONS[name];
    if (r.ok === Boolean(LIMITATIONS[name])) {
      unexpected++;
      console.log(`${r.ok ? 'passes although listed as a tfjs limitation' : 'FAILS'}: ${name}${r.error ? ': ' + r.error : ''}`);
    }
    cases[name] = entry;
  }
  const summary = {tfjs_version: tf.version.tfjs, date: new Date().toISOString().slice(0, 10), cases};
  fs.writeFileSync(out, JSON.stringify(summary, null, 1) + '\n');
  const n = Object.keys(cases).length;
  const ok = Object.values(cases).filter((c) => c.ok).length;
  console.log(`${ok}/${n} ok in tfjs ${tf.version.tfjs}; ${n - ok - (n - ok > 0 ? unexpected : 0)} expected tfjs limitations; ` +
              `${unexpected} unexpected; summary in ${out}`);
  process.exit(unexpected ? 1 : 0);
}

main();
