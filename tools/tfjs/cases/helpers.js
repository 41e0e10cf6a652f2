'use strict';
// Small builders shared by the case lists.
const tf = require('@tensorflow/tfjs');

// A Sequential model of the given layers; the first layer needs inputShape.
function seq(...layers) {
  const m = tf.sequential();
  for (const l of layers) m.add(l);
  return m;
}

module.exports = {tf, seq};
