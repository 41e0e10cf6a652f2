'use strict';
// Convolution variants (reference §4).
const {tf, seq} = require('./helpers');
const L = tf.layers;

module.exports = [
  {
    name: 'conv1d_valid',
    build: () => seq(L.conv1d({filters: 3, kernelSize: 3, inputShape: [7, 2]})),
    inputs: [[2, 7, 2]],
  },
  {
    name: 'conv1d_same_stride2',
    build: () => seq(L.conv1d({filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', inputShape: [7, 2]})),
    inputs: [[2, 7, 2]],
    note: 'Odd length 7 with stride 2: output length 4, TF same padding (left 1, right 1).',
  },
  {
    name: 'conv1d_causal_dilation2',
    build: () => seq(L.conv1d({filters: 2, kernelSize: 3, padding: 'causal', dilationRate: 2, inputShape: [8, 2]})),
    // tfjs 4.22 cannot run causal padding (conv1dWithBias: NotImplementedError),
    // so tfjs computes the outputs with the same weights on explicit left padding.
    referenceBuild: () => seq(L.reshape({targetShape: [8, 2, 1], inputShape: [8, 2]}),
      L.zeroPadding2d({padding: [[4, 0], [0, 0]]}), L.reshape({targetShape: [12, 2]}),
      L.conv1d({filters: 2, kernelSize: 3, padding: 'valid', dilationRate: 2})),
    inputs: [[2, 8, 2]],
    note: 'Causal: left-pads (kernel_size - 1) * dilation = 4 steps. tfjs 4.22 loads but cannot run causal Conv1D ' +
      '(NotImplementedError in conv1dWithBias): the outputs are tfjs\'s for the same weights on a ' +
      'Reshape -> ZeroPadding2D([[4,0],[0,0]]) -> Reshape -> Conv1D(valid, dilation 2) model.',
  },
  {
    name: 'conv2d_transpose_same_s2',
    build: () => seq(L.conv2dTranspose({filters: 2, kernelSize: 3, strides: 2, padding: 'same', inputShape: [3, 3, 2]})),
    inputs: [[2, 3, 3, 2]],
    note: 'Kernel layout (kh, kw, filters, in_channels).',
  },
  {
    name: 'conv2d_transpose_valid_s2',
    build: () => seq(L.conv2dTranspose({filters: 2, kernelSize: [3, 2], strides: 2, padding: 'valid', inputShape: [3, 2, 2]})),
    inputs: [[2, 3, 2, 2]],
  },
  {
    name: 'depthwise_conv2d_dm2',
    build: () => seq(L.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2, padding: 'same', inputShape: [4, 5, 2]})),
    inputs: [[2, 4, 5, 2]],
    note: 'Weight name depthwise_kernel, shape (kh, kw, in_channels, depth_multiplier); output channel c*2+m.',
  },
  {
    name: 'separable_conv2d',
    build: () => seq(L.separableConv2d({filters: 3, kernelSize: 3, strides: 2, padding: 'same',
      activation: 'relu', inputShape: [5, 5, 2]})),
    inputs: [[2, 5, 5, 2]],
    note: 'Weights depthwise_kernel (3,3,2,1), pointwise_kernel (1,1,2,3), bias.',
  },
  {
    name: 'separable_conv2d_dm2',
    build: () => seq(L.separableConv2d({filters: 3, kernelSize: 3, depthMultiplier: 2, padding: 'valid',
      inputShape: [4, 5, 2]})),
    // tfjs 4.22's SeparableConv.getConfig leaves depth_multiplier out, so its
    // own file would reload with depth_multiplier 1 and fail on the kernel
    // shape; the key is put back where Keras writes it.
    patchTopology: (topo) => {
      topo.config.layers[0].config.depth_multiplier = 2;
    },
    inputs: [[2, 4, 5, 2]],
    note: 'Weights depthwise_kernel (3,3,2,2), pointwise_kernel (1,1,4,3), bias. tfjs 4.22 omits depth_multiplier from a ' +
      'SeparableConv2D config (its own save cannot be reloaded when depth_multiplier != 1); this model.json has the key added.',
  },
  {
    name: 'conv3d',
    build: () => seq(L.conv3d({filters: 2, kernelSize: [2, 3, 2], strides: [1, 1, 2], padding: 'valid', inputShape: [3, 4, 4, 2]})),
    inputs: [[2, 3, 4, 4, 2]],
  },
  {
    name: 'conv3d_same',
    build: () => seq(L.conv3d({filters: 3, kernelSize: 2, padding: 'same', activation: 'tanh', inputShape: [3, 3, 3, 1]})),
    inputs: [[1, 3, 3, 3, 1]],
  },
];
