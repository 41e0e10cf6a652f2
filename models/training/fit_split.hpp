// Keras's validation_split rule, exposed for tests (array_slicing.py::train_validation_split).
#pragma once

#include <cstddef>

namespace xkeras::training {

/// split_at = floor(n * (1 - split)): rows [0, split_at) train, [split_at, n) validate. Returns n
/// for split 0; throws ValueError when split is outside [0, 1) or either part would be empty.
std::size_t validation_split_at(std::size_t n, double split);

}  // namespace xkeras::training
