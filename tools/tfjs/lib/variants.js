'use strict';
// The ways a case's model is laid out on disk. Each takes what tfjs-layers'
// save() produced (artifacts + their packed weight bytes) and returns
// {modelJSON, shards}.
const {tfjsModelJSON, shardBytes} = require('./artifacts');
const {quantizeGroup} = require('./quantize');
const tfjsVersion = require('@tensorflow/tfjs').version.tfjs;

// tfjs-layers' own save: one group, one shard.
function plain(artifacts, bytes) {
  const shards = shardBytes(bytes, Math.max(1, bytes.length));
  const manifest = [{paths: shards.map((s) => s.name), weights: artifacts.weightSpecs}];
  return {modelJSON: tfjsModelJSON(artifacts, manifest), shards};
}

// tf.io.browserDownloads: the weights file is model.weights.bin, named './model.weights.bin'.
function browser(artifacts, bytes) {
  const manifest = [{paths: ['./model.weights.bin'], weights: artifacts.weightSpecs}];
  return {modelJSON: tfjsModelJSON(artifacts, manifest), shards: [{name: 'model.weights.bin', bytes}]};
}

// The converter's sharding: the group's bytes cut every shardSize bytes.
function sharded(artifacts, bytes, shardSize) {
  const shards = shardBytes(bytes, shardSize);
  const manifest = [{paths: shards.map((s) => s.name), weights: artifacts.weightSpecs}];
  return {modelJSON: tfjsModelJSON(artifacts, manifest), shards};
}

// The converter's --quantize_uint8 / _uint16 / _float16 over every weight.
function quantized(artifacts, bytes, dtype) {
  const q = quantizeGroup(artifacts.weightSpecs, bytes, dtype);
  const shards = shardBytes(q.bytes, Math.max(1, q.bytes.length));
  const manifest = [{paths: shards.map((s) => s.name), weights: q.specs}];
  return {modelJSON: tfjsModelJSON(artifacts, manifest), shards};
}

// tensorflowjs_converter --input_format keras (keras_h5_conversion.py): the h5
// root attributes wrapped as modelTopology, the converter's key order, weight
// names "<layer>/<weight>" and entries in h5 group order, i.e. sorted by layer
// name (a stable sort keeps each layer's own weight order).
function converter(artifacts, bytes, kerasVersion, modelConfig) {
  const offsets = [];
  let at = 0;
  for (const spec of artifacts.weightSpecs) {
    const n = spec.shape.reduce((a, b) => a * b, 1) * 4;
    offsets.push({spec, bytes: bytes.subarray(at, at + n)});
    at += n;
  }
  const layerOf = (e) => e.spec.name.split('/')[0];
  const order = offsets.slice().sort((a, b) => (layerOf(a) < layerOf(b) ? -1 : layerOf(a) > layerOf(b) ? 1 : 0));
  const out = new Uint8Array(bytes.length);
  let w = 0;
  for (const e of order) {
    out.set(e.bytes, w);
    w += e.bytes.length;
  }
  const shards = shardBytes(out, Math.max(1, out.length));
  const modelJSON = {
    format: 'layers-model',
    generatedBy: `keras v${kerasVersion}`,
    convertedBy: `TensorFlow.js Converter v${tfjsVersion}`,
    modelTopology: {keras_version: kerasVersion, backend: 'tensorflow', model_config: modelConfig},
    weightsManifest: [{paths: shards.map((s) => s.name), weights: order.map((e) => e.spec)}],
  };
  return {modelJSON, shards};
}

module.exports = {plain, browser, sharded, quantized, converter};
