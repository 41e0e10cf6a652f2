// Normalization::adapt: the mean and population variance of data over every axis but the kept ones.
#include <algorithm>
#include <mutex>

#include "xkeras/errors.hpp"
#include "xkeras/layers/normalization.hpp"

namespace xkeras::layers {

namespace {

struct Moments {
  std::vector<double> mean, variance;  // one per kept position, in kept-axis order
  double count = 0;                    // values reduced into each position
};

// Two passes in double precision (exact up to rounding, no cancellation): the mean, then the
// mean squared deviation. `slot[d]` is the stride of axis d in the kept-position index (0 on
// reduced axes), so an odometer over the data walks both indexes at once.
Moments moments(const Tensor& data, const std::vector<std::size_t>& keep, std::size_t positions) {
  const Shape s = data.shape();
  const std::size_t nd = s.size();
  std::vector<std::size_t> slot(nd, 0);
  std::size_t stride = 1;
  for (std::size_t i = keep.size(); i-- > 0;) {
    slot[keep[i]] = stride;
    stride *= s[keep[i]];
  }
  Moments m;
  m.mean.assign(positions, 0.0);
  m.variance.assign(positions, 0.0);
  const std::size_t total = data.size();
  m.count = positions ? double(total) / double(positions) : 0.0;
  if (total == 0) return m;
  const float* p = data.data();
  auto walk = [&](auto&& visit) {
    if (nd == 0) { visit(0, 0); return; }
    const std::size_t inner = s[nd - 1], step = slot[nd - 1];
    std::vector<std::size_t> idx(nd, 0);
    std::size_t k = 0;
    for (std::size_t o = 0; o < total; o += inner) {
      for (std::size_t j = 0; j < inner; ++j) visit(o + j, k + j * step);
      for (std::size_t d = nd - 1; d-- > 0;) {  // odometer over the outer axes
        k += slot[d];
        if (++idx[d] < s[d]) break;
        k -= slot[d] * s[d];
        idx[d] = 0;
      }
    }
  };
  walk([&](std::size_t i, std::size_t k) { m.mean[k] += p[i]; });
  for (auto& v : m.mean) v /= m.count;
  walk([&](std::size_t i, std::size_t k) {
    const double d = p[i] - m.mean[k];
    m.variance[k] += d * d;
  });
  for (auto& v : m.variance) v /= m.count;
  return m;
}

}  // namespace

void NormalizationImpl::build_for_adapt(const Shape& data_shape) {
  if (options_.mean)
    throw ValueError("Layer \"" + name() + "\" (Normalization) was given `mean` and `variance`, so it has no weights to "
                     "adapt; construct it without them to learn them from data");
  const TensorShape shape(data_shape.begin(), data_shape.end());
  std::lock_guard<std::recursive_mutex> lock(build_mutex());
  if (!built()) {
    // Keras builds from the data's shape as it is, batch size included; build_config records the batch
    // as None (as every xkeras build does) unless axis 0 is kept, so a reloaded model builds the same way.
    build(shape);
    TensorShape recorded = shape;
    if (!recorded.empty() && std::find(keep_.begin(), keep_.end(), 0) == keep_.end()) recorded[0] = None;
    build_shapes_ = std::vector<TensorShape>{recorded};
    mark_built();
    return;
  }
  bool ok = data_shape.size() == built_shape_.size();
  for (std::size_t k : keep_) ok = ok && static_cast<Dim>(data_shape[k]) == built_shape_[k];
  if (!ok)
    throw ValueError("Layer \"" + name() + "\" (Normalization): The layer was built with input_shape=" +
                     shape_str(built_shape_) + ", but adapt() is being called with data with an incompatible shape, "
                     "data.shape=" + shape_str(shape));
}

void NormalizationImpl::assign(const std::vector<double>& mean, const std::vector<double>& variance) {
  float* pm = mean_w_->value.data();
  float* pv = variance_w_->value.data();
  for (std::size_t i = 0; i < mean.size(); ++i) {
    pm[i] = static_cast<float>(mean[i]);
    pv[i] = static_cast<float>(variance[i]);
  }
}

void NormalizationImpl::adapt(const Tensor& data) {
  if (!data.defined()) throw ValueError("Layer \"" + name() + "\" (Normalization): adapt() received an undefined tensor");
  build_for_adapt(data.shape());
  const Moments m = moments(data, keep_, shape_size(keep_shape_));
  assign(m.mean, m.variance);
}

void NormalizationImpl::adapt(const Tensors& batches) {
  if (batches.empty())
    throw ValueError("Layer \"" + name() + "\" (Normalization): adapt() received an empty list of batches. Expected at "
                     "least one batch.");
  const std::size_t positions = [&] {
    for (const auto& b : batches)
      if (!b.defined()) throw ValueError("Layer \"" + name() + "\" (Normalization): adapt() received an undefined tensor");
    build_for_adapt(batches[0].shape());
    return shape_size(keep_shape_);
  }();
  // Keras's merge of batch moments: with w = n_b / (n + n_b) and the new mean mu',
  //   var' = (var + (mu - mu')^2)(1 - w) + (var_b + (mu_b - mu')^2) w, exact for population variances.
  std::vector<double> mean(positions, 0.0), variance(positions, 0.0);
  double count = 0;
  for (const auto& b : batches) {
    build_for_adapt(b.shape());  // every batch must match the kept sizes
    const Moments m = moments(b, keep_, positions);
    if (m.count == 0) continue;
    count += m.count;
    const double w = m.count / count;
    for (std::size_t k = 0; k < positions; ++k) {
      const double mu = mean[k] * (1.0 - w) + m.mean[k] * w;
      variance[k] = (variance[k] + (mean[k] - mu) * (mean[k] - mu)) * (1.0 - w) +
                    (m.variance[k] + (m.mean[k] - mu) * (m.mean[k] - mu)) * w;
      mean[k] = mu;
    }
  }
  assign(mean, variance);
}

}  // namespace xkeras::layers
