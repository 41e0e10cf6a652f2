'use strict';
// Merge layers (§8), noise/dropout and Rescaling (§7), BatchNormalization,
// initializers in configs (§10).
const {tf, seq} = require('./helpers');
const L = tf.layers;

// A functional model: n inputs of the given shapes merged by the layer.
function merged(layer, ...shapes) {
  const ins = shapes.map((s) => tf.input({shape: s}));
  return tf.model({inputs: ins, outputs: layer.apply(ins)});
}

module.exports = [
  {name: 'merge_add', build: () => merged(L.add(), [4], [4], [4]), inputs: [[2, 4], [2, 4], [2, 4]]},
  {name: 'merge_average', build: () => merged(L.average(), [4], [4]), inputs: [[2, 4], [2, 4]]},
  {name: 'merge_maximum', build: () => merged(L.maximum(), [2, 3], [2, 3]), inputs: [[2, 2, 3], [2, 2, 3]]},
  {name: 'merge_minimum', build: () => merged(L.minimum(), [2, 3], [2, 3], [2, 3]), inputs: [[2, 2, 3], [2, 2, 3], [2, 2, 3]]},
  {name: 'merge_multiply', build: () => merged(L.multiply(), [4], [4]), inputs: [[2, 4], [2, 4]]},
  {
    name: 'merge_concatenate_axis1',
    build: () => merged(L.concatenate({axis: 1}), [3, 2], [1, 2]),
    inputs: [[2, 3, 2], [2, 1, 2]],
  },
  {name: 'dot_axes1', build: () => merged(L.dot({axes: 1}), [4], [4]), inputs: [[2, 4], [2, 4]]},
  {
    name: 'dot_axes_normalize',
    build: () => merged(L.dot({axes: [2, 2], normalize: true}), [3, 4], [2, 4]),
    inputs: [[2, 3, 4], [2, 2, 4]],
    note: 'Cosine similarity: both inputs L2-normalized along their dot axis first; output (2, 3, 2).',
  },
  {
    name: 'dot_axes_1_2',
    build: () => merged(L.dot({axes: [1, 2]}), [3, 2], [2, 3]),
    inputs: [[2, 3, 2], [2, 2, 3]],
  },
  {
    name: 'batch_normalization',
    build: () => seq(L.dense({units: 4, inputShape: [3]}), L.batchNormalization({epsilon: 0.001})),
    inputs: [[2, 3]],
    note: 'Inference: gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta; moving variances in [0.5, 1.5).',
  },
  {
    name: 'batch_normalization_conv',
    build: () => seq(L.conv2d({filters: 3, kernelSize: 2, inputShape: [3, 3, 2]}),
      L.batchNormalization({axis: -1, epsilon: 0.01, momentum: 0.9})),
    inputs: [[2, 3, 3, 2]],
  },
  {
    name: 'batch_normalization_no_center_scale',
    build: () => seq(L.batchNormalization({center: false, scale: false, inputShape: [2, 3]})),
    inputs: [[2, 2, 3]],
    note: 'Only moving_mean and moving_variance are stored.',
  },
  {
    name: 'noise_dropout_identity',
    build: () => seq(L.conv1d({filters: 4, kernelSize: 2, inputShape: [5, 3]}), L.spatialDropout1d({rate: 0.3}),
      L.gaussianNoise({stddev: 0.3}), L.gaussianDropout({rate: 0.2}), L.alphaDropout({rate: 0.2}),
      L.dropout({rate: 0.5}), L.flatten(), L.dense({units: 3})),
    inputs: [[2, 5, 3]],
    note: 'SpatialDropout1D, GaussianNoise, GaussianDropout, AlphaDropout and Dropout are the identity at inference.',
  },
  {
    name: 'rescaling',
    build: () => seq(L.rescaling({scale: 1 / 127.5, offset: -1, inputShape: [2, 3]})),
    inputs: [[2, 2, 3]],
    inputRange: [0, 255],
  },
  {
    name: 'dense_initializers',
    build: () => seq(
      L.dense({units: 4, inputShape: [3], kernelInitializer: tf.initializers.varianceScaling({scale: 2, mode: 'fanIn', distribution: 'normal'}),
        biasInitializer: tf.initializers.constant({value: 0.1})}),
      L.dense({units: 3, kernelInitializer: 'glorotUniform', biasInitializer: 'ones', activation: 'tanh'}),
      L.dense({units: 2, kernelInitializer: tf.initializers.truncatedNormal({mean: 0, stddev: 0.05}),
        biasInitializer: tf.initializers.randomUniform({minval: -0.1, maxval: 0.1})})),
    inputs: [[2, 3]],
    note: 'Initializers only appear in the config (weights are overwritten). DEVIATION: tfjs VarianceScaling ' +
      'distribution "normal" draws a truncated normal with stddev sqrt(scale/n), without Keras\'s /0.8796 correction.',
  },
  {
    name: 'conv2d_initializers',
    build: () => seq(
      L.conv2d({filters: 2, kernelSize: 2, inputShape: [4, 4, 1], kernelInitializer: 'heNormal', biasInitializer: 'zeros'}),
      L.conv2d({filters: 3, kernelSize: 2, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: 'leCunUniform',
        biasInitializer: tf.initializers.randomNormal({mean: 0, stddev: 0.02})}),
      L.conv2d({filters: 2, kernelSize: 1, kernelInitializer: tf.initializers.orthogonal({gain: 1.5}), useBias: true})),
    inputs: [[2, 4, 4, 1]],
    note: 'Initializers only appear in the config (weights are overwritten).',
  },
];
