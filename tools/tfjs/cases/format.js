'use strict';
// Cases that exercise the file format rather than a layer (reference §12):
// the converter's layout, sharding, quantization, functional graphs.
const {tf, seq} = require('./helpers');
const L = tf.layers;

// The small conv net quantized three ways. Its Dense(1) bias is a single
// value (the converter's min == max branch: q = 0, scale = 1) and the moving
// variance is all positive (no zero-point nudge).
const quantNet = () => seq(
  L.conv2d({filters: 2, kernelSize: 2, activation: 'relu', inputShape: [4, 4, 2]}),
  L.batchNormalization({}),
  L.flatten(),
  L.dense({units: 1}));

const quantCase = (dtype) => ({
  name: `quantized_${dtype}`,
  variant: dtype,
  build: quantNet,
  inputs: [[2, 4, 4, 2]],
  note: `Every weight quantized like tensorflowjs_converter --quantize_${dtype} ` +
    '(manifest dtype float32 plus "quantization"; affine: nudged zero point, round half to even, decode q*scale+min).',
});

// tf.keras 2.15 spelling of a Sequential model_config as its .h5 root
// attribute holds it (module/registered_name/build_config included); layer
// names chosen so the h5 (alphabetical) weight order differs from the model's.
const keras215 = (cls, config, extra = {}) => ({module: 'keras.layers', class_name: cls, config, registered_name: null, ...extra});
const init = (cls, config = {}) => ({module: 'keras.initializers', class_name: cls, config, registered_name: null});
const denseConfig = (name, units, activation) => ({
  name, trainable: true, dtype: 'float32', units, activation, use_bias: true,
  kernel_initializer: init('GlorotUniform', {seed: null}), bias_initializer: init('Zeros'),
  kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
});
const converterConfig = {
  class_name: 'Sequential',
  config: {
    name: 'sequential',
    layers: [
      keras215('InputLayer', {batch_input_shape: [null, 4, 4, 1], dtype: 'float32', sparse: false, ragged: false, name: 'conv2d_1_input'}),
      keras215('Conv2D', {
        name: 'conv2d_1', trainable: true, dtype: 'float32', batch_input_shape: [null, 4, 4, 1], filters: 2, kernel_size: [2, 2],
        strides: [1, 1], padding: 'valid', data_format: 'channels_last', dilation_rate: [1, 1], groups: 1, activation: 'relu',
        use_bias: true, kernel_initializer: init('GlorotUniform', {seed: null}), bias_initializer: init('Zeros'),
        kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
      }, {build_config: {input_shape: [null, 4, 4, 1]}}),
      keras215('Flatten', {name: 'flatten', trainable: true, dtype: 'float32', data_format: 'channels_last'},
        {build_config: {input_shape: [null, 3, 3, 2]}}),
      keras215('Dense', denseConfig('dense_2', 3, 'tanh'), {build_config: {input_shape: [null, 18]}}),
      keras215('Dense', denseConfig('dense_10', 2, 'linear'), {build_config: {input_shape: [null, 3]}}),
    ],
  },
};

module.exports = [
  {
    name: 'converter_keras2_sequential',
    variant: 'converter',
    kerasVersion: '2.15.0',
    modelConfig: converterConfig,
    build: () => tf.models.modelFromJSON({modelTopology: {model_config: converterConfig}}),
    inputs: [[2, 4, 4, 1]],
    note: 'Laid out like tensorflowjs_converter output of a tf.keras 2.15 .h5: modelTopology = {keras_version, backend, model_config} ' +
      '(tf.keras spelling with module/registered_name/build_config), weights named <layer>/<weight> in h5 order ' +
      '(alphabetical layers: dense_10 before dense_2, unlike the model order).',
  },
  {
    name: 'sharded_3',
    variant: 'sharded',
    shardSize: 250,
    build: () => seq(L.conv2d({filters: 3, kernelSize: 3, inputShape: [5, 5, 2]}), L.flatten(), L.dense({units: 4})),
    inputs: [[2, 5, 5, 2]],
    note: '676 weight bytes cut every 250 bytes into group1-shard{1,2,3}of3.bin: the conv kernel and the dense kernel ' +
      'straddle files, and 250 is not a multiple of 4, so single float32 values are split across files.',
  },
  quantCase('uint8'),
  quantCase('uint16'),
  quantCase('float16'),
  {
    name: 'browser_download_paths',
    variant: 'browser',
    build: () => seq(L.dense({units: 3, inputShape: [4], activation: 'relu'}), L.dense({units: 2})),
    inputs: [[2, 4]],
    note: 'Layout of tf.io.browserDownloads: one weights file model.weights.bin, manifest path "./model.weights.bin".',
  },
  {
    name: 'functional_two_branches',
    build: () => {
      const inp = tf.input({shape: [3], name: 'x'});
      const right = L.dense({units: 4, name: 'right', activation: 'relu'}).apply(inp);
      const left = L.dense({units: 4, name: 'left'}).apply(inp);
      const cat = L.concatenate({name: 'cat'}).apply([left, right]);
      const out = L.dense({units: 2, name: 'head'}).apply(cat);
      return tf.model({inputs: inp, outputs: out, name: 'two_branches'});
    },
    inputs: [[2, 3]],
    note: 'Two Dense(4) with equal weight shapes on one input; "right" is created first but concatenated second. ' +
      'Weights must be matched by name, not position.',
  },
  {
    name: 'functional_nested_sequential',
    build: () => {
      const inner = seq(L.dense({units: 4, inputShape: [3], activation: 'relu'}), L.dense({units: 3}));
      const inp = tf.input({shape: [3]});
      const a = inner.apply(inp);
      const b = L.dense({units: 3}).apply(inp);
      const sum = L.add().apply([a, b]);
      return tf.model({inputs: inp, outputs: sum});
    },
    inputs: [[2, 3]],
    note: 'A Sequential used as a layer inside a functional model, added to a Dense on the same input.',
  },
  {
    name: 'functional_two_inputs_two_outputs',
    build: () => {
      const a = tf.input({shape: [4], name: 'in_a'});
      const b = tf.input({shape: [2], name: 'in_b'});
      const h = L.dense({units: 3, activation: 'tanh'}).apply(L.concatenate().apply([a, b]));
      const o1 = L.dense({units: 2, name: 'out_1'}).apply(h);
      const o2 = L.dense({units: 1, activation: 'sigmoid', name: 'out_2'}).apply(h);
      return tf.model({inputs: [a, b], outputs: [o1, o2]});
    },
    inputs: [[2, 4], [2, 2]],
  },
];
