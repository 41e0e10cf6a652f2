// The models of the .keras -> TensorFlow.js check (tools/tfjs/keras_check.sh, test_keras_tfjs.cpp):
// xkeras saves each as .keras, xkeras-convert turns it into a TensorFlow.js folder, and tfjs 4.22's
// predictions on fixed inputs are committed in tests/data/keras_tfjs/<case>/tfjs_outputs.json.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <xkeras/models/model.hpp>

namespace keras_tfjs {

struct Case {
  std::string name;
  std::function<xkeras::Model()> build;  // weights seeded, deterministic
};

/// Every case; layers TensorFlow.js 4.22 runs as Keras 3 does (tools/tfjs/README.md lists the others).
std::vector<Case> cases();

/// tests/data/keras_tfjs in the source tree.
std::string data_dir();

}  // namespace keras_tfjs
