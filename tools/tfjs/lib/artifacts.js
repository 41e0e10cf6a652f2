'use strict';
// Reading and writing tfjs layers-model files (model.json + binary shards) on
// disk. Pure tfjs in node has no file:// handler, so both directions go
// through tf.io handlers we build here.
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

// The ModelArtifacts that model.save() hands to its save handler.
async function captureArtifacts(model) {
  let captured = null;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    captured = artifacts;
    return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
  }));
  return captured;
}

// weightData is one ArrayBuffer or (tfjs >= 4.10) a list of them.
function weightBytes(artifacts) {
  const data = artifacts.weightData;
  if (data == null) return new Uint8Array(0);
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
}

// The key order of tfjs-core's io_utils getModelJSONForModelArtifacts, which
// every tfjs save handler (browser downloads, http, tfjs-node file://) uses.
function tfjsModelJSON(artifacts, manifest) {
  return {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: manifest,
  };
}

// Cuts one group's byte stream into consecutive chunks of shardSize bytes,
// named like the converter's write_weights.py: group<g>-shard<i>of<n>.bin.
function shardBytes(bytes, shardSize, group = 1) {
  const n = Math.max(1, Math.ceil(bytes.length / shardSize));
  const shards = [];
  for (let i = 0; i < n; i++) {
    shards.push({
      name: `group${group}-shard${i + 1}of${n}.bin`,
      bytes: bytes.subarray(i * shardSize, Math.min(bytes.length, (i + 1) * shardSize)),
    });
  }
  return shards;
}

// model.json is written compact, as tfjs's save handlers do (JSON.stringify).
function writeModelDir(dir, modelJSON, shards) {
  fs.mkdirSync(dir, {recursive: true});
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(modelJSON));
  for (const s of shards) fs.writeFileSync(path.join(dir, s.name), s.bytes);
}

// An IOHandler that loads DIR/model.json and the shard files its manifest
// names (paths relative to DIR, as tfjs's http loader resolves them): all
// groups' specs in order, and all their bytes concatenated in the same order.
function dirHandler(dir) {
  return {
    load: async () => {
      const modelJSON = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      return tf.io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
        const specs = [];
        const buffers = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const b = fs.readFileSync(path.join(dir, p));
            buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
          }
        }
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}

module.exports = {captureArtifacts, weightBytes, tfjsModelJSON, shardBytes, writeModelDir, dirHandler};
