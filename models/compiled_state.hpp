// What compile() fixes for a model: optimizer, one loss per output, metric specs.
#pragma once

#include <vector>

#include "xkeras/losses.hpp"
#include "xkeras/metrics.hpp"
#include "xkeras/optimizers.hpp"

namespace xkeras {

struct CompiledState {
  Optimizer optimizer;
  std::vector<Loss> losses;
  std::vector<Metric> metrics;
};

}  // namespace xkeras
