'use strict';
// Sequence layers (reference §1, §3): Embedding, TimeDistributed, Bidirectional.
const {tf, seq} = require('./helpers');
const L = tf.layers;

module.exports = [
  {
    name: 'embedding_flatten_dense',
    build: () => seq(L.embedding({inputDim: 10, outputDim: 3, inputLength: 4}), L.flatten(), L.dense({units: 2})),
    inputs: [[2, 4]],
    inputRange: [0, 9.99],
    note: 'Float ids in [0, 10) are cast to int32 (truncated toward zero) before the lookup; input_length 4 fixes the length Flatten needs.',
  },
  {
    name: 'embedding_mask_zero_lstm',
    build: () => seq(L.embedding({inputDim: 6, outputDim: 4, maskZero: true, inputShape: [5]}),
      L.lstm({units: 3, recurrentActivation: 'sigmoid'})),
    inputs: [[2, 5]],
    inputRange: [0, 2.5],
    note: 'Ids 0, 1, 2 (floats truncated); the zeros are masked steps, which the LSTM skips (its state carries over).',
  },
  {
    name: 'time_distributed_dense',
    build: () => seq(L.timeDistributed({layer: L.dense({units: 3, activation: 'tanh'}), inputShape: [4, 5]})),
    inputs: [[2, 4, 5]],
  },
  {
    name: 'bidirectional_lstm',
    build: () => seq(L.bidirectional({layer: L.lstm({units: 3}), inputShape: [4, 2]})),
    inputs: [[2, 4, 2]],
    note: 'tfjs LSTM default recurrent_activation hard_sigmoid is Keras 2\'s clip(0.2x + 0.5, 0, 1).',
  },
  {
    name: 'bidirectional_lstm_sequences_sum',
    build: () => seq(L.bidirectional({
      layer: L.lstm({units: 2, recurrentActivation: 'sigmoid', returnSequences: true}),
      mergeMode: 'sum', inputShape: [3, 2]})),
    inputs: [[2, 3, 2]],
  },
];
