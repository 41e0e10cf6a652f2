'use strict';
// TensorFlow.js's predictions for the .keras -> TensorFlow.js check (keras_check.sh):
//   node keras_check.js DATA_DIR CONVERTED_DIR
// For each case folder DATA_DIR/<case> (inputs.json: {"case", "inputs": [{"shape", "data"}]}), loads the
// TensorFlow.js model xkeras-convert wrote into CONVERTED_DIR/<case>/ with tf.loadLayersModel, predicts on
// the inputs and writes DATA_DIR/<case>/tfjs_outputs.json {"case", "tfjs_version", "outputs": [{"shape",
// "data"}]} (float32 values written as the doubles they are). Exits 1 if any case cannot be loaded or run.
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const {dirHandler} = require('./lib/artifacts');

async function predictCase(dataDir, convertedDir, name) {
  const io = JSON.parse(fs.readFileSync(path.join(dataDir, name, 'inputs.json'), 'utf8'));
  const model = await tf.loadLayersModel(dirHandler(path.join(convertedDir, name)));
  const inputs = io.inputs.map((t) => tf.tensor(t.data, t.shape, 'float32'));
  const out = model.predict(inputs.length === 1 ? inputs[0] : inputs);
  const outputs = (Array.isArray(out) ? out : [out]).map((t) => ({shape: t.shape, data: Array.from(t.dataSync())}));
  for (const o of outputs) {
    if (o.data.some((v) => !Number.isFinite(v))) throw new Error('tfjs predicts NaN or infinity');
  }
  const result = {case: name, tfjs_version: tf.version.tfjs, outputs};
  fs.writeFileSync(path.join(dataDir, name, 'tfjs_outputs.json'), JSON.stringify(result) + '\n');
  return outputs;
}

async function main() {
  const [dataDir, convertedDir] = process.argv.slice(2);
  if (!dataDir || !convertedDir) {
    console.error('usage: node keras_check.js DATA_DIR CONVERTED_DIR');
    process.exit(2);
  }
  await tf.setBackend('cpu');
  const names = fs.readdirSync(dataDir).filter((n) => fs.existsSync(path.join(dataDir, n, 'inputs.json'))).sort();
  let failed = 0;
  for (const name of names) {
    try {
      const outputs = await predictCase(dataDir, convertedDir, name);
      console.log(`ok   ${name}: ${outputs.map((o) => `[${o.shape}]`).join(' ')}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}: ${e && e.message ? e.message : e}`);
    }
  }
  console.log(`${names.length - failed}/${names.length} cases predicted by tfjs ${tf.version.tfjs}`);
  process.exit(failed || names.length === 0 ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
