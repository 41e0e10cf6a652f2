'use strict';
// Generates the TensorFlow.js reference fixtures of tests/data/tfjs:
//   node gen_fixtures.js ../../tests/data/tfjs [case-name-substring]
// Per case: model.json + weight shards as tfjs writes them, and expected.json
// with the inputs and what tfjs predicts after loading those very files.
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const {Lcg, seedOf} = require('./lib/lcg');
const {captureArtifacts, weightBytes, writeModelDir, dirHandler} = require('./lib/artifacts');
const variants = require('./lib/variants');

const CASES = [
  ...require('./cases/conv'),
  ...require('./cases/pool_reshape'),
  ...require('./cases/activations'),
  ...require('./cases/merge_misc'),
  ...require('./cases/format'),
  ...require('./cases/recurrent'),
  ...require('./cases/sequence'),
];

const size = (shape) => shape.reduce((a, b) => a * b, 1);

// Every weight from the case's LCG stream, in model.weights order: values in
// [-0.5, 0.5), except BatchNormalization's moving variance, in [0.5, 1.5).
function setWeights(model, rng) {
  const values = model.weights.map((w) => {
    const n = size(w.shape);
    const data = /moving_variance$/.test(w.originalName) ? rng.fill(n, 0.5, 1.5) : rng.fill(n, -0.5, 0.5);
    return tf.tensor(data, w.shape, 'float32');
  });
  model.setWeights(values);
}

function layout(c, artifacts, bytes) {
  switch (c.variant || 'plain') {
    case 'plain': return variants.plain(artifacts, bytes);
    case 'browser': return variants.browser(artifacts, bytes);
    case 'sharded': return variants.sharded(artifacts, bytes, c.shardSize);
    case 'uint8': case 'uint16': case 'float16': return variants.quantized(artifacts, bytes, c.variant);
    case 'converter': return variants.converter(artifacts, bytes, c.kerasVersion, c.modelConfig);
    default: throw new Error(`${c.name}: unknown variant ${c.variant}`);
  }
}

const asList = (t) => (Array.isArray(t) ? t : [t]);
const record = (t) => ({shape: t.shape, data: Array.from(t.dataSync())});

function maxAbsDiff(as, bs) {
  let m = 0;
  as.forEach((a, i) => {
    const x = a.dataSync();
    const y = bs[i].dataSync();
    for (let j = 0; j < x.length; j++) m = Math.max(m, Math.abs(x[j] - y[j]));
  });
  return m;
}

// One top-level key per line, each value compact: diffable and small.
function toJsonLines(obj) {
  const lines = Object.keys(obj).map((k) => ` ${JSON.stringify(k)}: ${JSON.stringify(obj[k])}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

async function runCase(c, outRoot) {
  const rng = new Lcg(seedOf(c.name));
  const model = await c.build();
  setWeights(model, rng);
  const inputs = c.inputs.map((shape) => {
    const [lo, hi] = c.inputRange || [-2, 2];
    return tf.tensor(rng.fill(size(shape), lo, hi), shape, 'float32');
  });
  const feed = inputs.length === 1 ? inputs[0] : inputs;
  // referenceBuild: a model tfjs can run that computes what the saved one
  // means, with the same weight list (for layers tfjs loads but cannot run).
  const predictWith = async (m) => {
    if (!c.referenceBuild) return asList(m.predict(feed));
    const ref = await c.referenceBuild();
    ref.setWeights(m.getWeights());
    return asList(ref.predict(feed));
  };
  const direct = await predictWith(model);

  const artifacts = await captureArtifacts(model);
  if (c.patchTopology) c.patchTopology(artifacts.modelTopology);
  const {modelJSON, shards} = layout(c, artifacts, weightBytes(artifacts));
  const dir = path.join(outRoot, c.name);
  fs.rmSync(dir, {recursive: true, force: true});
  writeModelDir(dir, modelJSON, shards);

  // The reference is what tfjs predicts after loading the files just written
  // (noReload: for files tfjs writes but cannot read back).
  const loaded = c.noReload ? model : await tf.loadLayersModel(dirHandler(dir));
  const outputs = await predictWith(loaded);
  const drift = maxAbsDiff(direct, outputs);
  const quantized = ['uint8', 'uint16', 'float16'].includes(c.variant);
  if (!quantized && drift > 0) throw new Error(`${c.name}: reloaded model differs from the built one by ${drift}`);

  let note = c.note || '';
  if (quantized) note += `${note ? ' ' : ''}Outputs are tfjs's after decoding the ${c.variant} weights (max |diff| to the float32 model: ${drift.toExponential(3)}).`;
  const expected = {
    case: c.name,
    tfjs_version: tf.version.tfjs,
    layers: model.layers.map((l) => l.getClassName()),
    inputs: inputs.map(record),
    outputs: outputs.map(record),
    note,
  };
  fs.writeFileSync(path.join(dir, 'expected.json'), toJsonLines(expected));
  return {name: c.name, files: shards.length + 2, drift};
}

async function main() {
  const outRoot = process.argv[2];
  const only = process.argv[3];
  if (!outRoot) {
    console.error('usage: node gen_fixtures.js OUT_DIR [case-name-substring]');
    process.exit(2);
  }
  await tf.setBackend('cpu');
  const names = new Set();
  for (const c of CASES) {
    if (names.has(c.name)) throw new Error(`duplicate case ${c.name}`);
    names.add(c.name);
    if (only && !c.name.includes(only)) continue;
    const r = await runCase(c, outRoot);
    console.log(`${r.name}: ${r.files} files${r.drift > 0 ? `, quantization drift ${r.drift.toExponential(3)}` : ''}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
