// Small helpers for the metric tests: tensors from literals and one-shot metric values.
#pragma once

#include <vector>

#include <xkeras/metrics.hpp>

namespace xkeras::testing {

inline Tensor T(const Shape& s, const std::vector<float>& v) { return Tensor::from(s, v); }

/// A fresh state of `m`, updated once with (y_true, y_pred[, sample_weight]): Keras's m(y_true, y_pred).
inline std::shared_ptr<metrics::MetricImpl> call(const Metric& m, const Tensor& t, const Tensor& p,
                                                 const Tensor& w = Tensor()) {
  auto impl = m.make(t.shape(), p.shape());
  impl->update_state(t, p, w);
  return impl;
}

}  // namespace xkeras::testing
