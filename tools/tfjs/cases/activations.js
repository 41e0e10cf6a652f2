'use strict';
// Activation layers and every activation name tfjs-layers registers
// (tfjs-layers/src/activations.ts), reference §6.
const {tf, seq} = require('./helpers');
const L = tf.layers;

// Names as tfjs writes them into a config (snake_cased on save, §12.3).
const ACTIVATIONS = {
  elu: 'elu',
  selu: 'selu',
  relu: 'relu',
  relu6: 'relu6',
  linear: 'linear',
  sigmoid: 'sigmoid',
  hard_sigmoid: 'hardSigmoid',
  softplus: 'softplus',
  softsign: 'softsign',
  tanh: 'tanh',
  softmax: 'softmax',
  log_softmax: 'logSoftmax',
  gelu: 'gelu',
  gelu_new: 'gelu_new',
  mish: 'mish',
  swish: 'swish',
};

const NOTES = {
  hard_sigmoid: 'DEVIATION: tfjs hard_sigmoid is clip(0.2*x + 0.5, 0, 1) (Keras 2); Keras 3 uses clip(x/6 + 0.5, 0, 1).',
  gelu: 'tfjs gelu is the exact erf form x*0.5*(1+erf(x/sqrt(2))) (Keras 3 gelu with approximate=False).',
  gelu_new: 'tfjs gelu_new is the tanh approximation 0.5*x*(1+tanh(sqrt(2/pi)*(x+0.044715*x^3))) (Keras 3 gelu with ' +
    'approximate=True). tfjs 4.22 cannot reload this file: on load "gelu_new" is camelCased to "geluNew", which is not ' +
    'registered; the outputs come from the model as built, before saving.',
  relu6: 'Inputs reach beyond 6 to show the cap.',
  softmax: 'Activation softmax is over the last axis.',
  log_softmax: 'Over the last axis.',
};

const activationCases = Object.entries(ACTIVATIONS).map(([name, id]) => ({
  name: `activation_${name}`,
  build: () => seq(L.activation({activation: id, inputShape: [2, 6]})),
  inputs: [[2, 2, 6]],
  inputRange: [-7, 7],
  note: NOTES[name] || '',
  noReload: name === 'gelu_new',
}));

module.exports = [
  ...activationCases,
  {
    name: 'relu_layer',
    build: () => seq(L.reLU({inputShape: [5]})),
    inputs: [[2, 5]],
  },
  {
    name: 'relu_layer_max_value',
    build: () => seq(L.reLU({maxValue: 1.5, inputShape: [6]})),
    inputs: [[2, 6]],
    note: 'tfjs ReLU supports only max_value (no negative_slope, no threshold).',
  },
  {
    name: 'leaky_relu_default',
    build: () => seq(L.leakyReLU({inputShape: [5]})),
    inputs: [[2, 5]],
    note: 'Default alpha 0.3 (Keras 3 negative_slope=0.3); tfjs writes the key alpha.',
  },
  {
    name: 'leaky_relu_alpha',
    build: () => seq(L.leakyReLU({alpha: 0.05, inputShape: [5]})),
    inputs: [[2, 5]],
  },
  {
    name: 'prelu',
    build: () => seq(L.dense({units: 4, inputShape: [3]}), L.prelu({})),
    inputs: [[2, 3]],
  },
  {
    name: 'prelu_shared_axes',
    build: () => seq(L.prelu({sharedAxes: [1, 2], inputShape: [3, 3, 2]})),
    inputs: [[2, 3, 3, 2]],
    note: 'alpha has shape (1, 1, 2).',
  },
  {
    name: 'elu_layer',
    build: () => seq(L.elu({inputShape: [5]})),
    inputs: [[2, 5]],
    note: 'tfjs ELU layer only accepts alpha = 1.0 (NotImplementedError otherwise).',
  },
  {
    name: 'softmax_layer_default',
    build: () => seq(L.softmax({inputShape: [5]})),
    inputs: [[2, 5]],
    note: 'DEVIATION: tfjs Softmax layer default axis is 1 (Keras: -1); same thing on rank 2.',
  },
  {
    name: 'softmax_layer_axes',
    build: () => seq(L.softmax({axis: [1, 2], inputShape: [2, 3]})),
    inputs: [[2, 2, 3]],
    note: 'Softmax over two axes at once (axis [1, 2]).',
  },
  {
    name: 'softmax_layer_last',
    build: () => seq(L.softmax({axis: -1, inputShape: [2, 4]})),
    inputs: [[2, 2, 4]],
  },
  {
    name: 'thresholded_relu',
    build: () => seq(L.thresholdedReLU({theta: 0.5, inputShape: [6]})),
    inputs: [[2, 6]],
    note: 'x if x > theta else 0.',
  },
];
