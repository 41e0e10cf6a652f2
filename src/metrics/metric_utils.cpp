#include "src/metrics/metric_utils.hpp"

#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"

namespace xkeras::metrics::detail {

void shape_error(const std::string& metric, const Tensor& t, const Tensor& p, const std::string& what) {
  throw ValueError("Metric \"" + metric + "\": " + what + ", but received y_true with shape " + shape_str(t.shape()) +
                   " and y_pred with shape " + shape_str(p.shape()));
}

Tensor as_float(const Tensor& t) { return t.defined() && t.is_int() ? ops::cast(t, DType::float32) : t; }

Shape same_shape(const std::string& metric, const Tensor& t, const Tensor& p) {
  if (!t.defined() || !p.defined()) throw ValueError("Metric \"" + metric + "\": y_true and y_pred must be defined tensors");
  Shape ts = t.shape(), ps = p.shape();
  if (ts.size() == ps.size() + 1 && !ts.empty() && ts.back() == 1) ps.push_back(1);
  else if (ps.size() == ts.size() + 1 && !ps.empty() && ps.back() == 1) ts.push_back(1);
  if (ts != ps) shape_error(metric, t, p, "y_true and y_pred must have the same shape");
  return ps;
}

std::vector<float> element_weights(const std::string& metric, const Tensor& sw, const Shape& target) {
  if (!sw.defined()) return {};
  const Tensor w = as_float(sw);
  Shape ws = w.shape();
  // Keras appends an axis, then squeezes a trailing 1 when that makes the ranks equal.
  if (ws.size() == target.size() + 1 && !ws.empty() && ws.back() == 1) ws.pop_back();
  const auto bad = [&] {
    throw ValueError("Metric \"" + metric + "\": sample_weight with shape " + shape_str(sw.shape()) +
                     " cannot be broadcast to the values' shape " + shape_str(target));
  };
  if (ws.size() > target.size()) bad();
  while (ws.size() < target.size()) ws.push_back(1);
  for (std::size_t d = 0; d < ws.size(); ++d)
    if (ws[d] != 1 && ws[d] != target[d]) bad();
  std::size_t total = 1;
  for (auto d : target) total *= d;
  std::vector<float> out(total);
  // Walk the target's elements with a multi-index; the weight's stride is 0 along broadcast axes.
  std::vector<std::size_t> stride(ws.size(), 0), idx(ws.size(), 0);
  std::size_t s = 1;
  for (std::size_t d = ws.size(); d-- > 0;) {
    stride[d] = ws[d] == 1 ? 0 : s;
    s *= ws[d];
  }
  const float* wp = w.data();
  std::size_t off = 0;
  for (std::size_t i = 0; i < total; ++i) {
    out[i] = wp[off];
    for (std::size_t d = idx.size(); d-- > 0;) {  // increment the multi-index
      off += stride[d];
      if (++idx[d] < target[d]) break;
      off -= stride[d] * target[d];
      idx[d] = 0;
    }
  }
  return out;
}

std::vector<float> sample_weights(const std::string& metric, const Tensor& sw, std::size_t n) {
  if (!sw.defined()) return {};
  const Tensor w = as_float(sw);
  const Shape ws = w.shape();
  if (w.size() == 1 && ws.size() <= 1) return std::vector<float>(n, w.data()[0]);
  if ((ws.size() == 1 && ws[0] == n) || (ws.size() == 2 && ws[0] == n && ws[1] == 1))
    return std::vector<float>(w.data(), w.data() + n);
  throw ValueError("Metric \"" + metric + "\": sample_weight must have shape (" + std::to_string(n) +
                   ",), one weight per sample, but received shape " + shape_str(sw.shape()));
}

std::size_t argmax(const float* row, std::size_t n) {
  std::size_t best = 0;
  for (std::size_t j = 1; j < n; ++j)
    if (row[j] > row[best]) best = j;
  return best;
}

}  // namespace xkeras::metrics::detail
