#include "xkeras/layers/normalization.hpp"

#include <algorithm>
#include <cmath>

#include <xtensor/xbroadcast.hpp>

#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

namespace {
constexpr float kEpsilon = 1e-7f;  // Keras's backend.epsilon()

std::string who(const Layer& l) { return "Layer \"" + l.name() + "\" (Normalization)"; }

// max(sqrt(variance), eps) elementwise, as Keras's call computes it in float32.
Array denominator(const Array& variance) {
  Array d = variance;
  float* p = d.data();
  for (std::size_t i = 0, n = d.size(); i < n; ++i) p[i] = std::max(std::sqrt(p[i]), kEpsilon);
  return d;
}
}  // namespace

NormalizationImpl::NormalizationImpl(NormalizationOptions options)
    : Layer("Normalization", options.name), options_(std::move(options)) {
  const auto& o = options_;
  if (o.mean.has_value() != o.variance.has_value())
    throw ValueError(who(*this) + ": When setting values directly, both `mean` and `variance` must be set. Received: "
                     "mean=" + (o.mean ? o.mean->to_json().dump() : "None") +
                     " and variance=" + (o.variance ? o.variance->to_json().dump() : "None"));
  if (o.axis.size() > 16) throw ValueError(who(*this) + ": expected at most 16 axes, got " + std::to_string(o.axis.size()));
  if (o.mean) {
    if (o.mean->shape != o.variance->shape)
      throw ValueError(who(*this) + ": When setting values directly, `mean` and `variance` must have the same shape. "
                       "Received: mean shape " + shape_str(o.mean->shape) + " and variance shape " +
                       shape_str(o.variance->shape));
    if (o.mean->shape.size() > o.axis.size())
      throw ValueError(who(*this) + ": The rank of `mean` must be less than or equal to the number of axes (" +
                       std::to_string(o.axis.size()) + "). Received: mean shape " + shape_str(o.mean->shape));
  }
}

void NormalizationImpl::build(const TensorShape& input_shape) {
  const int ndim = static_cast<int>(input_shape.size());
  keep_.clear();
  for (int a : options_.axis) {
    if (a < -ndim || a >= ndim)
      throw ValueError(who(*this) + ": All `axis` values must be in the range [-ndim, ndim). Received inputs with ndim=" +
                       std::to_string(ndim) + ", while axis=" + int_list_json(options_.axis).dump());
    const std::size_t k = static_cast<std::size_t>(a < 0 ? a + ndim : a);
    if (std::find(keep_.begin(), keep_.end(), k) != keep_.end())
      throw ValueError(who(*this) + ": axis " + std::to_string(a) + " is repeated in axis=" + int_list_json(options_.axis).dump());
    keep_.push_back(k);
  }
  std::sort(keep_.begin(), keep_.end());
  keep_shape_.clear();
  broadcast_shape_.assign(input_shape.size(), 1);
  InputSpec spec{.ndim = ndim};
  for (std::size_t k : keep_) {
    if (input_shape[k] < 0)
      throw ValueError(who(*this) + ": All `axis` values to be kept must have a known shape. Received axis=" +
                       int_list_json(options_.axis).dump() + ", inputs.shape=" + shape_str(input_shape) +
                       ", with unknown axis at index " + std::to_string(k));
    keep_shape_.push_back(static_cast<std::size_t>(input_shape[k]));
    broadcast_shape_[k] = keep_shape_.back();
    spec.axes[static_cast<int>(k)] = input_shape[k];
  }
  checked_sample_size(input_shape, who(*this));
  // The statistics' size: the batch axis may be kept, so it is checked apart from the sample.
  checked_sample_size(TensorShape(keep_shape_.begin(), keep_shape_.end()), who(*this), 0);
  built_shape_ = input_shape;
  const auto& o = options_;
  if (!o.mean) {
    mean_w_ = add_weight("mean", keep_shape_, initializers::Zeros(), false);
    variance_w_ = add_weight("variance", keep_shape_, initializers::Ones(), false);
    count_w_ = add_weight("count", Shape{}, initializers::Zeros(), false);  // Keras: dtype "int"
  } else {
    // A scalar fills every kept position; an array lines up with the kept axes from the right.
    Shape expanded(input_shape.size(), 1);
    const Shape& ms = o.mean->shape;
    for (std::size_t i = 1; i <= ms.size(); ++i) {
      const std::size_t axis = keep_[keep_.size() - i];
      if (ms[ms.size() - i] != 1 && ms[ms.size() - i] != broadcast_shape_[axis])
        throw ValueError(who(*this) + ": `mean` and `variance` of shape " + shape_str(ms) +
                         " cannot be broadcast to the kept axes of input shape " + shape_str(input_shape) +
                         " (axis=" + int_list_json(o.axis).dump() + ")");
      expanded[axis] = ms[ms.size() - i];
    }
    Array mean = o.mean->to_array(), variance = o.variance->to_array();
    mean.reshape(expanded);
    variance.reshape(expanded);
    given_mean_ = Tensor(Array(xt::broadcast(mean, broadcast_shape_)));
    given_denom_ = Tensor(denominator(Array(xt::broadcast(variance, broadcast_shape_))));
  }
  set_input_spec(spec);
}

std::pair<Tensor, Tensor> NormalizationImpl::statistics() const {
  if (given_mean_.defined()) return {given_mean_, given_denom_};
  Array mean = mean_w_->value.value(), variance = variance_w_->value.value();
  mean.reshape(broadcast_shape_);
  variance.reshape(broadcast_shape_);
  return {Tensor(std::move(mean)), Tensor(denominator(variance))};
}

Tensor NormalizationImpl::call(const Tensor& x, bool) {
  const auto [mean, denom] = statistics();
  if (options_.invert) return ops::add(mean, ops::mul(x, denom));
  return ops::div(ops::sub(x, mean), denom);
}

std::vector<TensorShape> NormalizationImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError(who(*this) + " expects 1 input, but it received " + std::to_string(input_shapes.size()) +
                     " input tensors");
  const int ndim = static_cast<int>(input_shapes[0].size());
  for (int a : options_.axis)
    if (a < -ndim || a >= ndim) incompatible(0, "expected axis " + std::to_string(a) + " to exist", input_shapes[0]);
  return input_shapes;
}

json NormalizationImpl::get_config() const {
  const auto& o = options_;
  json c = base_config();
  c["axis"] = int_list_json(o.axis);
  c["invert"] = o.invert;
  c["mean"] = o.mean ? o.mean->to_json() : json(nullptr);
  c["variance"] = o.variance ? o.variance->to_json() : json(nullptr);
  return c;
}

std::shared_ptr<NormalizationImpl> NormalizationImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  NormalizationOptions o;
  if (config.contains("axis") && config["axis"].is_null()) o.axis = {};  // axis=None
  else o.axis = r.int_or_list("axis", {-1});
  o.invert = r.get_bool("invert", false);
  if (r.has("mean")) o.mean = ArrayValue::from_json(r.raw("mean"), r.path("mean"));
  if (r.has("variance")) o.variance = ArrayValue::from_json(r.raw("variance"), r.path("variance"));
  if (o.mean.has_value() != o.variance.has_value())
    r.fail(o.mean ? "variance" : "mean", "`mean` and `variance` must be given together (both numbers or lists, or both null)");
  if (o.mean && o.mean->shape != o.variance->shape)
    r.fail("variance", "expected the shape of `mean` " + shape_str(o.mean->shape) + ", got " + shape_str(o.variance->shape));
  if (o.mean && o.mean->shape.size() > o.axis.size())
    r.fail("mean", "expected at most " + std::to_string(o.axis.size()) + " axes (one per kept axis), got shape " +
                       shape_str(o.mean->shape));
  o.name = r.name();
  auto layer = std::make_shared<NormalizationImpl>(std::move(o));
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(NormalizationImpl, "Normalization");

Normalization::Normalization(NormalizationOptions options)
    : Holder<NormalizationImpl>(std::make_shared<NormalizationImpl>(std::move(options))) {}

}  // namespace xkeras::layers
