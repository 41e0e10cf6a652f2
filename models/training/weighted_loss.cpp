#include "models/training/weighted_loss.hpp"

#include <vector>

#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"

namespace xkeras::training {

namespace {

// One weight per per-sample loss value: a sample's weight repeats over its values (time steps).
std::vector<float> spread(const Tensor& sw, const Shape& per) {
  const std::size_t total = [&] {
    std::size_t t = 1;
    for (auto d : per) t *= d;
    return t;
  }();
  const std::size_t n = per.empty() ? 1 : per[0];
  const Tensor w = sw.is_int() ? ops::cast(sw, DType::float32) : sw;
  std::vector<float> out(total);
  if (w.shape() == per) {
    std::copy(w.data(), w.data() + total, out.begin());
  } else if (w.size() == n && n > 0 && (w.shape().size() == 1 || (w.shape().size() == 2 && w.shape()[1] == 1))) {
    const std::size_t each = total / n;
    for (std::size_t i = 0; i < n; ++i) std::fill(out.begin() + i * each, out.begin() + (i + 1) * each, w.data()[i]);
  } else {
    throw ValueError("sample_weight with shape " + shape_str(sw.shape()) + " does not fit the per-sample losses of shape " +
                     shape_str(per) + "; expected shape (" + std::to_string(n) + ",), one weight per sample");
  }
  return out;
}

}  // namespace

Tensor weighted_loss(const Loss& loss, const Tensor& y, const Tensor& y_pred, const Tensor& sample_weight) {
  Tensor mask = y_pred.keras_mask();
  if (!mask.defined() && !sample_weight.defined()) return loss(y, y_pred);
  const Tensor per = loss->per_sample(y, y_pred);
  if (mask.defined() && mask.shape() != per.shape()) {
    if (!sample_weight.defined()) return loss(y, y_pred);  // the mask does not describe these losses
    mask = Tensor();
  }
  std::vector<float> w(per.size(), 1.0f);
  if (sample_weight.defined()) w = spread(sample_weight, per.shape());
  double count = static_cast<double>(per.size());
  if (mask.defined()) {
    // Keras 3 rescales the mask by total / valid, so masked losses average over the valid entries.
    count = 0;
    const float* m = mask.data();
    for (std::size_t i = 0; i < w.size(); ++i) {
      w[i] *= m[i];
      count += m[i];
    }
  }
  const Tensor weighted = ops::sum(ops::mul(per, Tensor::from(per.shape(), w)));
  return ops::scale(weighted, count == 0 ? 0.0f : static_cast<float>(1.0 / count));
}

}  // namespace xkeras::training
