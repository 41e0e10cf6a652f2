// The models test_tfjs_save.cpp writes with save_tfjs: one per layer family xkeras has, plus the
// functional shapes (two equal branches, nested Sequential / Functional, several inputs and outputs).
// tools/tfjs/round_trip.sh then loads the same folders in TensorFlow.js.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "xkeras/models/model.hpp"

namespace tfjs_save {

using namespace xkeras;

struct SaveCase {
  std::string name;
  std::function<Model()> build;     // called after clear_session()
  std::vector<Shape> input_shapes;  // with the batch dimension
};

/// Every case, in a fixed order (names are folder names under tfjs_round_trip/).
const std::vector<SaveCase>& save_cases();

/// Sets every weight from a seeded stream, uniform in [-0.5, 0.5); variances (BatchNormalization's
/// moving_variance, Normalization's variance) in [0.5, 1.5) so the models stay finite.
void seed_weights(const Model& m, unsigned seed);

/// One input per shape, uniform in [-2, 2), seeded.
Tensors seeded_inputs(const std::vector<Shape>& shapes, unsigned seed);

}  // namespace tfjs_save
