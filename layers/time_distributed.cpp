#include "xkeras/layers/time_distributed.hpp"

#include "layers/image_layer_utils.hpp"
#include "xkeras/registry.hpp"
#include "layers/wrapper_utils.hpp"
#include "xkeras/ops.hpp"

namespace xkeras::layers {

TimeDistributedImpl::TimeDistributedImpl(LayerPtr layer, std::string name)
    : Layer("TimeDistributed", std::move(name)), layer_(std::move(layer)) {
  if (!layer_) throw ValueError(detail::who(*this) + ": expected a layer to wrap, received none");
  set_input_spec(InputSpec{.min_ndim = 3});
}

namespace {

// (B, T, rest...) -> (B, rest...): the shape one time step has.
TensorShape step_shape(const TensorShape& s) {
  TensorShape out{s[0]};
  out.insert(out.end(), s.begin() + 2, s.end());
  return out;
}

}  // namespace

void TimeDistributedImpl::build(const TensorShape& input_shape) {
  if (input_shape.size() < 3) incompatible(0, "expected min_ndim=3 (batch, time, ...)", input_shape);
  detail::build_inner(*layer_, step_shape(input_shape), name());
}

Tensor TimeDistributedImpl::call(const Tensor& x, bool training) {
  CallArgs args;
  args.training = training;
  return call_args({x}, args).at(0);
}

// The steps are folded into the batch: (B, T, rest) -> (B*T, rest) is a reshape (no copy of the
// order), so one inner call does all steps, and its (B*T, out) result reshapes to (B, T, out).
Tensors TimeDistributedImpl::call_args(const Tensors& xs, const CallArgs& args) {
  if (xs.size() != 1)
    throw ValueError(detail::who(*this) + " expects 1 input, but it received " + std::to_string(xs.size()) + " input tensors");
  const Tensor& x = xs[0];
  const Shape s = x.shape();
  if (s.size() < 3) incompatible(0, "expected min_ndim=3 (batch, time, ...)", TensorShape(s.begin(), s.end()));
  const std::size_t b = s[0], t = s[1];
  Shape folded{b * t};
  folded.insert(folded.end(), s.begin() + 2, s.end());
  Tensor xr = ops::reshape(x, folded);
  if (!args.masks.empty() && args.masks[0].defined()) {
    const Tensor& m = args.masks[0];
    const Shape ms = m.shape();
    if (ms.size() < 2 || ms[0] != b || ms[1] != t)
      throw ValueError(detail::who(*this) + ": the mask must have shape (batch, time, ...) matching the input's first two "
                       "dimensions; received a mask of shape " + shape_str(ms) + " for an input of shape " + shape_str(s));
    Shape mf{b * t};
    mf.insert(mf.end(), ms.begin() + 2, ms.end());
    xr.set_keras_mask(ops::reshape(m, mf));
  }
  const Tensors ys = (*layer_)(Tensors{xr}, args.training);
  Tensors out;
  for (const Tensor& y : ys) {
    const Shape ys_shape = y.shape();
    if (ys_shape.empty() || ys_shape[0] != b * t)
      throw ValueError(detail::who(*this) + ": the wrapped layer \"" + layer_->name() + "\" returned shape " +
                       shape_str(ys_shape) + " for " + std::to_string(b * t) + " steps; expected one output row per step");
    Shape back{b, t};
    back.insert(back.end(), ys_shape.begin() + 1, ys_shape.end());
    out.push_back(ops::reshape(y, back));
  }
  return out;
}

std::vector<TensorShape> TimeDistributedImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError(detail::who(*this) + " expects 1 input, but it received " + std::to_string(input_shapes.size()) +
                     " input tensors");
  const TensorShape& s = input_shapes[0];
  if (s.size() < 3) incompatible(0, "expected min_ndim=3 (batch, time, ...)", s);
  std::vector<TensorShape> out = layer_->compute_output_shape({step_shape(s)});
  for (TensorShape& o : out) {
    if (o.empty()) throw ValueError(detail::who(*this) + ": the wrapped layer returned a scalar shape");
    o.insert(o.begin() + 1, s[1]);
  }
  return out;
}

json TimeDistributedImpl::get_config() const {
  json c = base_config();
  c["layer"] = detail::nested_layer_object(*layer_);
  return c;
}

std::shared_ptr<TimeDistributedImpl> TimeDistributedImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  LayerPtr inner = detail::nested_layer_from_object(r.raw("layer"), r.path("layer"));
  auto layer = std::make_shared<TimeDistributedImpl>(std::move(inner), r.name());
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(TimeDistributedImpl, "TimeDistributed");

TimeDistributed::TimeDistributed(LayerPtr layer, const std::string& name)
    : Holder<TimeDistributedImpl>(std::make_shared<TimeDistributedImpl>(std::move(layer), name)) {}

}  // namespace xkeras::layers
