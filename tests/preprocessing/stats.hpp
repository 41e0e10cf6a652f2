// Sample statistics for the tests of the random layers.
#pragma once

#include <cmath>
#include <vector>

#include <xkeras/tensor.hpp>

namespace xkeras::testing {

struct SampleStats {
  double mean = 0, variance = 0;  // population variance
};

inline SampleStats sample_stats(const Tensor& t) {
  SampleStats s;
  const std::size_t n = t.size();
  for (std::size_t i = 0; i < n; ++i) s.mean += t.data()[i];
  s.mean /= double(n);
  for (std::size_t i = 0; i < n; ++i) s.variance += (t.data()[i] - s.mean) * (t.data()[i] - s.mean);
  s.variance /= double(n);
  return s;
}

}  // namespace xkeras::testing
