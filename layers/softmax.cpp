#include "layers/image_layer_utils.hpp"
#include "xkeras/layers/activation_layers.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/ops/sequence.hpp"
#include "xkeras/registry.hpp"
#include "xkeras/tape.hpp"

namespace xkeras::layers {

namespace {
std::string axes_str(const std::vector<int>& axes) {
  std::string s;
  for (int a : axes) s += (s.empty() ? "" : ", ") + std::to_string(a);
  return "(" + s + ")";
}
}  // namespace

SoftmaxImpl::SoftmaxImpl(std::vector<int> axes, bool as_list, std::string name)
    : ElementwiseLayer("Softmax", std::move(name)), axes_(std::move(axes)), as_list_(as_list || axes_.size() != 1) {
  if (axes_.empty()) throw ValueError(detail::who(*this) + ": expected at least one axis, received axis=()");
  mark_built();
}

Tensor SoftmaxImpl::call(const Tensor& x, bool) {
  std::vector<std::size_t> ax;
  try {
    ax = ops::normalize_axes(axes_, x.shape().size());
  } catch (const ValueError& e) {
    throw ValueError(detail::who(*this) + ": invalid axis " + axes_str(axes_) + " for an input of shape " +
                     shape_str(x.shape()) + ": " + e.what());
  }
  if (ax.size() == 1) return ops::softmax(x, static_cast<int>(ax[0]));
  // Joint softmax over several axes: exp(x - logsumexp(x, axes)). The shift m only keeps exp in
  // range; its gradient contributions cancel, so it is taken off the tape.
  const ops::Axes a(ax.begin(), ax.end());
  Tensor m;
  {
    NoGrad ng;
    m = ops::max(x, a, true);
  }
  const Tensor shifted = ops::sub(x, m);
  return ops::exp(ops::sub(shifted, ops::log(ops::sum(ops::exp(shifted), a, true))));
}

// Keras 3: masked positions (mask <= 0.5) enter as -1e9, so they get ~0 weight, and leave as exactly
// 0 (a fully masked row would otherwise come out uniform). Both steps are where(), so the gradient
// reaches x only at kept positions.
Tensors SoftmaxImpl::call_args(const Tensors& xs, const CallArgs& args) {
  if (xs.size() != 1 || args.masks.empty() || !args.masks[0].defined()) return ElementwiseLayer::call_args(xs, args);
  const Tensor& x = xs[0];
  const Tensor& m = args.masks[0];
  const Shape xs_shape = x.shape(), ms = m.shape();
  bool ok = ms.size() <= xs_shape.size();
  for (std::size_t i = 1; ok && i <= ms.size(); ++i) {
    const std::size_t md = ms[ms.size() - i], xd = xs_shape[xs_shape.size() - i];
    ok = md == 1 || md == xd;
  }
  if (!ok)
    throw ValueError(detail::who(*this) + ": the mask must be broadcastable to the inputs (each mask dimension 1 or the "
                     "input's, and no more dimensions); received inputs of shape " + shape_str(xs_shape) +
                     " and a mask of shape " + shape_str(ms));
  Array keep = Array::from_shape(ms);
  const float* pm = m.data();
  for (std::size_t i = 0, n = keep.size(); i < n; ++i) keep.data()[i] = pm[i] > 0.5f ? 1.0f : 0.0f;
  const Tensor cond(std::move(keep));
  const Tensor y = call(ops::where(cond, x, Tensor::scalar(-1e9f)), args.training);
  return {ops::where(cond, y, Tensor::scalar(0.0f))};
}

std::vector<TensorShape> SoftmaxImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  auto out = ElementwiseLayer::compute_output_shape(input_shapes);
  try {
    ops::normalize_axes(axes_, out[0].size());
  } catch (const ValueError& e) {
    throw ValueError(detail::who(*this) + ": invalid axis " + axes_str(axes_) + " for an input of shape " +
                     shape_str(out[0]) + ": " + e.what());
  }
  return out;
}

json SoftmaxImpl::get_config() const {
  json c = base_config();
  c["axis"] = as_list_ ? int_list_json(axes_) : json(axes_[0]);
  return c;
}

std::shared_ptr<SoftmaxImpl> SoftmaxImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  const std::vector<int> axes = r.int_or_list("axis", {-1});
  if (axes.empty()) r.fail("axis", "expected an axis or a non-empty list of axes, got []");
  auto layer = std::make_shared<SoftmaxImpl>(axes, r.has("axis") && config["axis"].is_array(), r.name());
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(SoftmaxImpl, "Softmax");

Softmax::Softmax(int axis, const std::string& name)
    : Holder<SoftmaxImpl>(std::make_shared<SoftmaxImpl>(std::vector<int>{axis}, false, name)) {}
Softmax::Softmax(std::vector<int> axes, const std::string& name)
    : Holder<SoftmaxImpl>(std::make_shared<SoftmaxImpl>(std::move(axes), true, name)) {}

}  // namespace xkeras::layers
