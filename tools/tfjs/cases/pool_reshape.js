'use strict';
// Pooling, cropping, padding, upsampling, permute, repeat, reshape (reference §5).
const {tf, seq} = require('./helpers');
const L = tf.layers;

module.exports = [
  {
    name: 'max_pooling1d',
    build: () => seq(L.maxPooling1d({poolSize: 2, inputShape: [7, 3]})),
    inputs: [[2, 7, 3]],
    note: 'Default strides = pool_size, valid: length 7 -> 3.',
  },
  {
    name: 'average_pooling1d_same',
    build: () => seq(L.averagePooling1d({poolSize: 3, strides: 2, padding: 'same', inputShape: [7, 3]})),
    inputs: [[2, 7, 3]],
    note: 'Same padding: the average counts only the real (unpadded) elements.',
  },
  {
    name: 'global_max_pooling1d',
    build: () => seq(L.globalMaxPooling1d({inputShape: [5, 3]})),
    inputs: [[2, 5, 3]],
  },
  {
    name: 'global_average_pooling1d',
    build: () => seq(L.globalAveragePooling1d({inputShape: [5, 3]})),
    inputs: [[2, 5, 3]],
  },
  {
    name: 'max_pooling3d',
    build: () => seq(L.maxPooling3d({poolSize: 2, inputShape: [4, 4, 5, 2]})),
    inputs: [[2, 4, 4, 5, 2]],
  },
  {
    name: 'average_pooling3d_same',
    build: () => seq(L.averagePooling3d({poolSize: [2, 2, 2], strides: [1, 2, 2], padding: 'same', inputShape: [3, 4, 3, 2]})),
    inputs: [[2, 3, 4, 3, 2]],
  },
  {
    name: 'cropping2d',
    build: () => seq(L.cropping2D({cropping: [[1, 0], [0, 2]], inputShape: [5, 5, 2]})),
    inputs: [[2, 5, 5, 2]],
  },
  {
    name: 'zero_padding2d',
    build: () => seq(L.zeroPadding2d({padding: [[1, 2], [0, 1]], inputShape: [3, 3, 2]})),
    inputs: [[2, 3, 3, 2]],
  },
  {
    name: 'upsampling2d_nearest',
    build: () => seq(L.upSampling2d({size: [2, 3], inputShape: [2, 3, 2]})),
    inputs: [[2, 2, 3, 2]],
  },
  {
    name: 'upsampling2d_bilinear',
    build: () => seq(L.upSampling2d({size: [2, 2], interpolation: 'bilinear', inputShape: [3, 3, 1]})),
    inputs: [[2, 3, 3, 1]],
    note: 'DEVIATION: tfjs resizes with tf.image.resizeBilinear(alignCorners=false, halfPixelCenters=false), ' +
      'i.e. source = dst * in/out (TF1 legacy), while Keras 3 uses half-pixel centers; these outputs are tfjs\'s, not Keras 3\'s.',
  },
  {
    name: 'permute',
    build: () => seq(L.permute({dims: [3, 1, 2], inputShape: [2, 3, 4]})),
    inputs: [[2, 2, 3, 4]],
  },
  {
    name: 'repeat_vector',
    build: () => seq(L.repeatVector({n: 3, inputShape: [4]})),
    inputs: [[2, 4]],
  },
  {
    name: 'reshape_minus1',
    build: () => seq(L.reshape({targetShape: [-1, 2], inputShape: [3, 4]})),
    inputs: [[2, 3, 4]],
  },
  {
    name: 'flatten_dense_dropout',
    build: () => seq(L.flatten({inputShape: [3, 2, 2]}), L.dropout({rate: 0.5}), L.dense({units: 3, activation: 'sigmoid'})),
    inputs: [[2, 3, 2, 2]],
    note: 'Dropout is the identity at inference.',
  },
];
