#include "xkeras/layers/layer_normalization.hpp"

#include <algorithm>
#include <cmath>

#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/ops/normalization.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {

LayerNormalizationImpl::LayerNormalizationImpl(LayerNormalizationOptions options)
    : Layer("LayerNormalization", options.name), options_(std::move(options)) {
  if (options_.axis.empty())
    throw ValueError("Layer \"" + name() + "\" (LayerNormalization): expected an axis or a non-empty list of axes, "
                     "received axis=[]");
  if (!std::isfinite(options_.epsilon) || options_.epsilon < 0)
    throw ValueError("Layer \"" + name() + "\" (LayerNormalization): expected a non-negative epsilon, got " +
                     std::to_string(options_.epsilon));
}

void LayerNormalizationImpl::build(const TensorShape& input_shape) {
  const int rank = static_cast<int>(input_shape.size());
  std::vector<int> canonical;
  for (int a : options_.axis) {
    const int c = a < 0 ? a + rank : a;
    if (c < 0 || c >= rank)
      throw ValueError("Layer \"" + name() + "\" (LayerNormalization): axis " + std::to_string(a) +
                       " is out of bounds for input shape " + shape_str(input_shape));
    if (std::find(canonical.begin(), canonical.end(), c) != canonical.end())
      throw ValueError("Layer \"" + name() + "\" (LayerNormalization): axis " + std::to_string(a) +
                       " is repeated for input shape " + shape_str(input_shape));
    canonical.push_back(c);
  }
  std::sort(canonical.begin(), canonical.end());  // the weights follow ascending axis order (Keras HEAD)
  Shape shape;
  InputSpec spec{.ndim = rank};
  for (int c : canonical) {
    const Dim d = input_shape[static_cast<std::size_t>(c)];
    if (d < 0)
      throw ValueError("Layer \"" + name() + "\" (LayerNormalization): the normalized axis " + std::to_string(c) +
                       " must have a known size, got input shape " + shape_str(input_shape));
    shape.push_back(static_cast<std::size_t>(d));
    spec.axes[c] = d;
  }
  const auto& o = options_;
  if (o.scale) gamma_ = add_weight("gamma", shape, o.gamma_initializer, true, o.gamma_regularizer, o.gamma_constraint);
  if (o.center) beta_ = add_weight("beta", shape, o.beta_initializer, true, o.beta_regularizer, o.beta_constraint);
  set_input_spec(spec);
}

Tensor LayerNormalizationImpl::call(const Tensor& x, bool) {
  return ops::layer_norm(x, gamma_ ? gamma_->value : Tensor(), beta_ ? beta_->value : Tensor(), options_.axis,
                         options_.epsilon);
}

std::vector<TensorShape> LayerNormalizationImpl::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError("Layer \"" + name() + "\" (LayerNormalization) expects 1 input, but it received " +
                     std::to_string(input_shapes.size()) + " input tensors");
  const int rank = static_cast<int>(input_shapes[0].size());
  for (int a : options_.axis)
    if (a < -rank || a >= rank) incompatible(0, "expected axis " + std::to_string(a) + " to exist", input_shapes[0]);
  return input_shapes;
}

json LayerNormalizationImpl::get_config() const {
  const auto& o = options_;
  json c = base_config();
  c["axis"] = int_list_json(o.axis);
  c["epsilon"] = clean_float(o.epsilon);
  c["center"] = o.center;
  c["scale"] = o.scale;
  c["rms_scaling"] = false;
  c["beta_initializer"] = o.beta_initializer.to_json();
  c["gamma_initializer"] = o.gamma_initializer.to_json();
  c["beta_regularizer"] = o.beta_regularizer.to_json();
  c["gamma_regularizer"] = o.gamma_regularizer.to_json();
  c["beta_constraint"] = o.beta_constraint.to_json();
  c["gamma_constraint"] = o.gamma_constraint.to_json();
  return c;
}

std::shared_ptr<LayerNormalizationImpl> LayerNormalizationImpl::from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  LayerNormalizationOptions o;
  o.axis = r.int_or_list("axis", {-1});
  if (o.axis.empty()) r.fail("axis", "expected an integer or a non-empty list of integers, got []");
  o.epsilon = r.get_float("epsilon", 1e-3f);
  if (o.epsilon < 0) r.fail("epsilon", "expected a non-negative number, got " + r.raw("epsilon").dump());
  o.center = r.get_bool("center", true);
  o.scale = r.get_bool("scale", true);
  if (r.get_bool("rms_scaling", false))
    r.fail("rms_scaling", "rms_scaling=true is deprecated in Keras and not supported by xkeras");
  o.beta_initializer = r.initializer("beta_initializer", "zeros");
  o.gamma_initializer = r.initializer("gamma_initializer", "ones");
  o.beta_regularizer = r.regularizer("beta_regularizer");
  o.gamma_regularizer = r.regularizer("gamma_regularizer");
  o.beta_constraint = r.constraint("beta_constraint");
  o.gamma_constraint = r.constraint("gamma_constraint");
  o.name = r.name();
  auto layer = std::make_shared<LayerNormalizationImpl>(std::move(o));
  r.apply_base(*layer);
  return layer;
}

XKERAS_REGISTER_LAYER_NAMED(LayerNormalizationImpl, "LayerNormalization");

LayerNormalization::LayerNormalization(LayerNormalizationOptions options)
    : Holder<LayerNormalizationImpl>(std::make_shared<LayerNormalizationImpl>(std::move(options))) {}
LayerNormalization::LayerNormalization(int axis, float epsilon)
    : LayerNormalization(LayerNormalizationOptions{.axis = {axis}, .epsilon = epsilon}) {}

}  // namespace xkeras::layers
