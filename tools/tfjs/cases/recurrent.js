'use strict';
// Recurrent layers (reference §2, §2.8): TensorFlow.js's SimpleRNN, LSTM and GRU (its GRU only
// supports reset_after false; its recurrent activation default is hardSigmoid, Keras 2's).
const {tf, seq} = require('./helpers');
const L = tf.layers;

module.exports = [
  {name: 'rnn_simple_rnn', build: () => seq(L.simpleRNN({units: 3, inputShape: [4, 2]})), inputs: [[2, 4, 2]]},
  {
    name: 'rnn_lstm_sequences',
    build: () => seq(L.lstm({units: 3, returnSequences: true, inputShape: [5, 2]})),
    inputs: [[2, 5, 2]],
    note: 'Default recurrentActivation hardSigmoid: clip(0.2x + 0.5, 0, 1).',
  },
  {
    name: 'rnn_lstm_backwards_sigmoid',
    build: () => seq(L.lstm({units: 2, goBackwards: true, recurrentActivation: 'sigmoid', inputShape: [4, 3]})),
    inputs: [[2, 4, 3]],
  },
  {name: 'rnn_gru', build: () => seq(L.gru({units: 3, inputShape: [4, 2]})), inputs: [[2, 4, 2]]},
  {
    name: 'rnn_gru_sequences_then_dense',
    build: () => seq(L.gru({units: 2, returnSequences: true, activation: 'relu', inputShape: [3, 2]}),
      L.simpleRNN({units: 2}), L.dense({units: 1})),
    inputs: [[2, 3, 2]],
  },
];
